% rebase('base.tpl', title='System')
<h1>System</h1>
<section class="facts">
  <div><span class="label">Firmware</span> {{s['version']}}</div>
  <div><span class="label">Board</span> {{s['board']}}</div>
  <div><span class="label">Boot</span> #{{s['boots']}}</div>
  <div><span class="label">Store schema</span> {{s['store']['schema']}}</div>
</section>

<h2>Backup</h2>
<p>One file with all settings: lines, extensions, groups, profiles, callback links,
notifications and the web users. It holds password hashes and the SMTP password: keep it
safe. Call records, voicemail and recordings stay on the box.</p>
<p><a class="button" href="/system/backup" download>Download a backup</a></p>

<h2>Restore</h2>
<form method="post" action="/system/restore" enctype="multipart/form-data" class="form">{{!csrf_field}}
% if restore_errors.get('_form'):
  <p class="error" role="alert">{{restore_errors['_form']}}</p>
% end
  <label for="backup">Backup file</label>
  <input id="backup" name="backup" type="file" accept=".json,application/json">
  <span class="hint">The whole file is checked first; nothing changes unless all of it is good.</span>
  <span class="field-error" id="backup-error">{{restore_errors.get('backup', '')}}</span>
% problems = [(k, v) for k, v in restore_errors.items() if k not in ('_form', 'backup')]
% if problems:
  <ul class="problems">
%   for where, message in problems:
    <li><code>{{where}}</code>: {{message}}</li>
%   end
  </ul>
% end
  <button type="submit">Restore</button>
</form>

<h2>Logs</h2>
<form method="get" action="/system" class="inline">
  <label for="lines">Last</label>
  <select id="lines" name="lines" onchange="this.form.submit()">
% for n in log_lines:
    <option value="{{n}}"{{!' selected' if n == count else ''}}>{{n}} lines</option>
% end
  </select>
  <noscript><button type="submit">Show</button></noscript>
</form>
<pre class="logs" id="logs">{{'\n'.join(logs) or 'no lines yet'}}</pre>
<p class="muted">Newest at the bottom, where the view starts.</p>
<script>var logs = document.getElementById("logs"); logs.scrollTop = logs.scrollHeight;</script>

<h2>Restart</h2>
<form method="post" action="/system/reboot" class="form narrow">{{!csrf_field}}
  <label><input type="checkbox" name="confirm" value="yes"> Calls in progress end</label>
  <span class="field-error" id="confirm-error">{{get('reboot_error', '')}}</span>
  <button type="submit" class="danger">Restart the box</button>
</form>
