% if not calls:
<p class="muted">No call in progress.</p>
% else:
<table>
  <thead><tr><th>Call</th><th>From</th><th>To</th><th>Direction</th><th>State</th><th>Since</th><th>Channels</th></tr></thead>
  <tbody>
%   for c in calls:
    <tr id="call-{{c['call']}}"><td>{{c['call']}}</td><td>{{c['from']}}</td><td>{{c['to']}}</td>
      <td>{{c['direction']}}</td><td class="call-state {{c['state']}}">{{c['state']}}{{' (conference)' if c['conference'] else ''}}</td>
      <td>{{clock(c['answered'] or c['started'])}} · {{ago(c['answered'] or c['started'])}}</td>
      <td>{{', '.join(leg['channel'] + (' held' if leg['held'] else '') for leg in c['legs'])}}</td></tr>
%   end
  </tbody>
</table>
% end
