% rebase('base.tpl', title='Dashboard')
<h1>Dashboard <span id="live" class="live muted" role="status" data-timezone="{{timezone}}">connecting…</span></h1>
<section class="facts">
  <div><span class="label">Board</span> {{s['board']}}</div>
  <div><span class="label">Up since</span> {{started}}</div>
  <div><span class="label">Boot</span> #{{s['boots']}}</div>
  <div><span class="label">Country</span> {{s['country']}}</div>
</section>

<h2>Calls in progress</h2>
<div id="calls">{{!calls_html}}</div>

<h2>Callback queue</h2>
<div id="queue">{{!queue_html}}</div>

<h2>Today</h2>
<div id="today">{{!today_html}}</div>

<h2>Ports</h2>
<div id="ports">{{!ports_html}}</div>

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
<p class="muted">Daemon pid {{s['pid']}} · store schema {{s['store']['schema']}} · times in {{timezone}}</p>
<script src="/static/dashboard.js"></script>
