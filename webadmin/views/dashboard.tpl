% rebase('base.tpl', title='Dashboard', refresh=5)
<h1>Dashboard</h1>
<section class="facts">
  <div><span class="label">Board</span> {{s['board']}}</div>
  <div><span class="label">Up</span> {{uptime}}</div>
  <div><span class="label">Boot</span> #{{s['boots']}}</div>
  <div><span class="label">Country</span> {{s['country']}}</div>
</section>

<h2>Ports</h2>
<table>
  <thead><tr><th>Port</th><th>Role</th><th>Mode</th><th>Backend</th><th>Layer 1</th>
    <th>Layer 2</th><th>B-channels</th><th>D frames in</th><th>D frames out</th></tr></thead>
  <tbody>
% for p in s['ports']:
    <tr><td>{{p['name']}}</td><td>{{p['role'].upper()}}</td><td>{{p['mode']}}</td>
      <td>{{p['backend']}}</td><td class="l1 {{p['l1']}}">{{p['l1']}}</td>
      <td>{{l2_summary(p.get('l2'))}}</td>
      <td>{{', '.join(f'B{ch}: {proto}' for ch, proto in p['b_channels'].items()) or '–'}}</td>
      <td>{{p['counters']['d_rx']}}</td><td>{{p['counters']['d_tx']}}</td></tr>
% end
  </tbody>
</table>

% if s.get('sim'):
<h2>Simulated line</h2>
<p class="muted">This box runs on the simulated line: these devices stand in for the copper's far ends.</p>
<table>
  <thead><tr><th>Device</th><th>Kind</th><th>Role</th><th>Layer 1</th><th>Layer 2</th><th>Frames seen</th></tr></thead>
  <tbody>
% for p in s['sim']['peers']:
    <tr><td>{{p['name']}}</td><td>{{p['kind']}}</td><td>{{p['role'].upper()}}</td>
      <td class="l1 {{p['l1']}}">{{p['l1']}}</td><td>{{l2_summary(p.get('l2'))}}</td>
      <td>{{p['frames_seen']}}</td></tr>
% end
  </tbody>
</table>
% end
<p class="muted">Daemon pid {{s['pid']}} · store schema {{s['store']['schema']}} · refreshes every 5 s</p>
