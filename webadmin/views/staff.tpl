% rebase('base.tpl', title='Screen-pop')
<h1>Screen-pop{{f' — extension {ext}' if ext else ''}}</h1>
% if not ext:
<form method="get" action="/staff" class="pick">
  <label for="ext">Watch extension</label>
  <select id="ext" name="ext">
%   for number in extensions:
    <option value="{{number}}">{{number}}</option>
%   end
  </select>
  <button type="submit">Watch</button>
</form>
% else:
<p id="watch" class="muted" role="status" data-ext="{{ext}}" data-csrf="{{csrf}}"
   data-timezone="{{timezone}}">Connecting…</p>
<div id="pops" aria-live="assertive"></div>
<p class="muted">Keep this page open: when a call to {{ext}} is answered, its caller's
card appears here — for a web callback with the page the visitor came from and what
they wrote. Times in {{timezone}}.</p>
<script src="/static/staff.js" defer></script>
% end
