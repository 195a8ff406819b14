<table>
  <thead><tr><th>Port</th><th>Role</th><th>Mode</th><th>Backend</th><th>Layer 1</th>
    <th>Layer 2</th><th>Layer 3</th><th>B-channels</th><th>D frames in</th><th>D frames out</th></tr></thead>
  <tbody>
% for p in s['ports']:
    <tr><td>{{p['name']}}</td><td>{{p['role'].upper()}}</td><td>{{p['mode']}}</td>
      <td>{{p['backend']}}</td><td class="l1 {{p['l1']}}">{{p['l1']}}</td>
      <td>{{l2_summary(p.get('l2'))}}</td><td class="l3">{{l3_summary(p.get('l3'))}}</td>
      <td>{{', '.join(f'B{ch}: {proto}' for ch, proto in p['b_channels'].items()) or '–'}}</td>
      <td>{{p['counters']['d_rx']}}</td><td>{{p['counters']['d_tx']}}</td></tr>
% end
  </tbody>
</table>
