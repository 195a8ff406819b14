% rebase('base.tpl', title='Profiles')
<h1>Working-day profiles</h1>
<p>Who is on duty for web callbacks: each profile is a week of time slots, and each slot
rings up to two numbers in order (an extension, a group, or an outside number). Outside
the slots and on holidays a callback waits for the next opening.</p>
<table>
  <thead><tr><th>Profile</th><th>Time zone</th><th>Slots a week</th><th>Holidays</th><th>Used by links</th></tr></thead>
  <tbody>
% for p in profiles:
    <tr><td><a href="/profiles/{{p['name']}}">{{p['name']}}</a></td><td>{{p['timezone']}}</td>
      <td>{{sum(len(s) for s in p['week'].values())}}</td><td>{{len(p['holidays'])}}</td>
      <td>{{', '.join(used.get(p['name'], [])) or '–'}}</td></tr>
% end
% if not profiles:
    <tr><td colspan="5" class="muted">No profile yet.</td></tr>
% end
  </tbody>
</table>
<h2>New profile</h2>
<form method="post" action="/profiles" class="form narrow" novalidate>{{!csrf_field}}
% include('field.tpl', name='name', label='Name', placeholder='support')
  <button type="submit">Make it</button>
</form>
