% rebase('base.tpl', title='Profile ' + original, wide=True)
% from webadmin.records import cell_error
<h1>Profile {{original}}</h1>
<p><a href="/profiles">← all profiles</a></p>
<form method="post" action="/profiles/{{original}}" class="profile" novalidate>{{!csrf_field}}
% if err('_form'):
  <p class="error" role="alert">{{err('_form')}}</p>
% end
  <div class="form">
% include('field.tpl', name=base + '.name', label='Name', form={base + '.name': doc['name']})
% include('field.tpl', name=base + '.timezone', label='Time zone', form={base + '.timezone': doc['timezone']}, hint='e.g. Europe/Berlin: the slots are in this zone')
% include('field.tpl', name=base + '.holidays', label='Holidays', form={base + '.holidays': ', '.join(doc.get('holidays') or [])}, hint='dates as YYYY-MM-DD, separated by commas: nobody is on duty', placeholder='2026-12-24, 2026-12-25')
  </div>
% rows = max(3, max(len(s) for s in slots.values()) + 1)
  <table class="week">
    <thead><tr><th>Day</th>
% for j in range(rows):
      <th>Slot {{j + 1}}: from – to, ring first, then</th>
% end
    </tr></thead>
    <tbody>
% for day, label in days.items():
    <tr data-day="{{day}}"><th scope="row">{{label}}
      <input type="hidden" name="{{base}}.week.{{day}}.count" value="{{rows}}">
      <span class="field-error" id="{{base}}.week.{{day}}-error">{{err(base + '.week.' + day)}}</span></th>
%   for j in range(rows):
%     at = f'{base}.week.{day}[{j}]'
%     s = slots[day][j] if j < len(slots[day]) else {}
%     def box(key, name, width, ph=''):
%       problem = cell_error(errors, f'{at}.{name}')
        <input name="{{at}}.{{name}}" value="{{s.get(key, '')}}" style="width: {{width}}ch" aria-label="{{label}} slot {{j + 1}} {{name}}"{{!' aria-invalid="true"' if problem else ''}}{{!' placeholder="%s"' % ph if ph else ''}}>
%     end
      <td class="slot">
%     box('start', 'start', 6, 'hh:mm')
        –
%     box('end', 'end', 6, 'hh:mm')
        <br>
%     box('n0', 'numbers[0]', 11, 'number')
%     box('n1', 'numbers[1]', 11, 'then')
        <span class="field-error" id="{{at}}-error">{{cell_error(errors, at)}}</span>
      </td>
%   end
    </tr>
% end
    </tbody>
  </table>
  <p><button type="button" id="copy-monday">Copy Monday to Tuesday–Friday</button>
    <span class="muted">Times as HH:MM; 24:00 ends a slot at midnight. Empty slots are left out.</span></p>
  <button type="submit">Save</button>
  <span class="muted">The next callback follows the new hours.</span>
</form>
<form method="post" action="/profiles/{{original}}/remove" class="inline">{{!csrf_field}}
  <button type="submit" class="danger">Remove this profile</button>
</form>
<script>
document.getElementById("copy-monday").addEventListener("click", function () {
  var mon = document.querySelectorAll('tr[data-day="mon"] input:not([type=hidden])');
  ["tue", "wed", "thu", "fri"].forEach(function (day) {
    var to = document.querySelectorAll('tr[data-day="' + day + '"] input:not([type=hidden])');
    for (var i = 0; i < mon.length && i < to.length; i++) to[i].value = mon[i].value;
  });
});
</script>
