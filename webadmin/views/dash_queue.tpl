% if not queue:
<p class="muted">No callback waiting or in progress.</p>
% else:
<table>
  <thead><tr><th>Visitor</th><th>Number</th><th>Link</th><th>State</th><th>Due</th><th>Tries</th><th>Why it waits</th></tr></thead>
  <tbody>
%   for r in queue:
    <tr id="callback-{{r['id']}}"><td>{{r['name'] or '–'}}</td><td>{{r['number']}}</td><td>{{r['link']}}</td>
      <td class="cb-state">{{r['state']}}{{f" (#{r['position']})" if r.get('position') else ''}}</td>
      <td>{{clock(r['due'])}}</td><td>{{r['staff_attempts']}} staff · {{r['visitor_attempts']}} visitor</td>
      <td>{{r['reason']}}</td></tr>
%   end
  </tbody>
</table>
% end
