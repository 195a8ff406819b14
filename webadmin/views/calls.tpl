% rebase('base.tpl', title='Calls', wide=True)
<h1>Calls</h1>
<form method="get" action="/calls" class="filters">
% if err('_form'):
  <p class="error" role="alert">{{err('_form')}}</p>
% end
  <div>
% include('field.tpl', name='number', label='Number', placeholder='from or to')
  </div><div>
% include('field.tpl', name='direction', label='Direction', kind='select', options=directions)
  </div><div>
% include('field.tpl', name='disposition', label='Result', kind='select', options=dispositions)
  </div><div>
% include('field.tpl', name='since', label='From', placeholder='2026-12-01')
  </div><div>
% include('field.tpl', name='until', label='To', placeholder='2026-12-31')
  </div>
  <div><button type="submit">Show</button> <a href="/calls">Clear</a></div>
</form>

<p class="muted">{{total}} call record{{'' if total == 1 else 's'}}{{' match' if query else ''}} · times in {{zone}} ·
  <a href="/calls.csv{{'?' + query if query else ''}}" download>Export CSV</a> (Master.csv columns)</p>
<table class="calls">
  <thead><tr><th>Start</th><th>Direction</th><th>From</th><th>To</th><th>MSN</th><th>Result</th>
    <th>Talk (s)</th><th>Total (s)</th><th>Cause</th><th>Channel</th></tr></thead>
  <tbody>
% for r in rows:
    <tr><td>{{r['start']}}</td><td>{{r['direction']}}</td><td>{{r['src']}}</td><td>{{r['dst']}}</td>
      <td>{{r['msn']}}</td><td class="disp {{r['disposition'].lower().replace(' ', '-')}}">{{r['disposition'].lower()}}</td>
      <td>{{r['billsec']}}</td><td>{{r['duration']}}</td><td>{{r['cause']}}</td><td>{{r['channel']}}</td></tr>
% end
% if not rows:
    <tr><td colspan="10" class="muted">No calls{{' match these filters' if query else ' yet'}}.</td></tr>
% end
  </tbody>
</table>
% sep = '&' if query else ''
<p class="paging">
% if offset > 0:
  <a href="/calls?{{query}}{{sep}}offset={{max(0, offset - page_size)}}" rel="prev">← Newer</a>
% end
% if rows:
  <span class="muted">{{offset + 1}}–{{offset + len(rows)}} of {{total}}</span>
% end
% if offset + page_size < total:
  <a href="/calls?{{query}}{{sep}}offset={{offset + page_size}}" rel="next">Older →</a>
% end
</p>

<h2>Recordings</h2>
% if recordings:
<table>
  <thead><tr><th>File</th><th>Length</th><th>Listen</th></tr></thead>
  <tbody>
%   for r in recordings:
    <tr><td>{{r['file']}}</td><td>{{'%.0f s' % r['seconds']}}</td>
      <td><audio controls preload="none" src="/audio/recording/{{r['file']}}"></audio>
        <a href="/audio/recording/{{r['file']}}" download>download</a></td></tr>
%   end
  </tbody>
</table>
% else:
<p class="muted">No recordings. Extensions and groups with “Record” ticked are recorded.</p>
% end

<h2>Voicemail</h2>
% if mailboxes:
%   for box in mailboxes:
<h3>{{box['mailbox']}} {{box['name']}} <span class="muted">({{box['waiting']}} new)</span></h3>
%     if box['messages']:
<table>
  <thead><tr><th>Received</th><th>From</th><th>Length</th><th>Status</th><th>Listen</th></tr></thead>
  <tbody>
%       for m in box['messages']:
    <tr><td>{{m.get('received', '')}}</td><td>{{m.get('caller', '') or 'unknown'}}</td>
      <td>{{m.get('seconds', '')}} s</td><td>{{'heard' if m.get('heard') else 'new'}}</td>
      <td><audio controls preload="none" src="/audio/voicemail/{{box['mailbox']}}/{{m['id']}}"></audio>
        <a href="/audio/voicemail/{{box['mailbox']}}/{{m['id']}}"
          download="voicemail-{{box['mailbox']}}-{{m['id']}}.wav">download</a></td></tr>
%       end
  </tbody>
</table>
%     else:
<p class="muted">No messages.</p>
%     end
%   end
% else:
<p class="muted">No extension has a mailbox (Extensions → Mailbox).</p>
% end
