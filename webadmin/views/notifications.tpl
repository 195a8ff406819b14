% rebase('base.tpl', title='Notifications')
<h1>Notifications</h1>
<p>Missed callbacks, voicemail and reports go out by email through the office's mail
server and by SMS through a GSM modem on the box. Notices wait in the outbox and are tried
again until they go out.</p>
<form method="post" action="/notifications" class="form" novalidate>{{!csrf_field}}
% if err('_form'):
  <p class="error" role="alert">{{err('_form')}}</p>
% end
  <fieldset><legend>Email (SMTP)</legend>
% include('field.tpl', name='email.on', label='Send email', kind='check')
% include('field.tpl', name='email.host', label='Mail server', placeholder='mail.example.com')
% include('field.tpl', name='email.security', label='Security', kind='select', options=security, hint='certificates are always checked when TLS is on')
% include('field.tpl', name='email.port', label='Port', hint='empty: the usual port of the security mode')
% include('field.tpl', name='email.sender', label='Sender', placeholder='Ringback <ringback@example.com>')
% include('field.tpl', name='email.username', label='User name', hint='empty: the server takes mail without a login')
% include('field.tpl', name='email.password', label='Password', kind='password', autocomplete='new-password', hint='stored; leave empty to keep it' if form.get('email.password.stored') else 'with the user name')
% if form.get('email.password.stored'):
% include('field.tpl', name='email.password.forget', label='Forget the stored password', kind='check')
% end
% include('field.tpl', name='email.cafile', label='CA certificate file', hint='only for a server with its own certificate authority')
% include('field.tpl', name='email.helo_name', label='EHLO name', hint='empty: the box\'s host name')
% if err('email.settings'):
  <p class="error">{{err('email.settings')}}</p>
% end
  </fieldset>
  <fieldset><legend>SMS (GSM modem)</legend>
% include('field.tpl', name='sms.on', label='Send SMS', kind='check')
% include('field.tpl', name='sms.device', label='Modem device', placeholder='/dev/ttyUSB0')
% include('field.tpl', name='sms.baudrate', label='Speed (baud)', placeholder='115200')
% include('field.tpl', name='sms.pin', label='SIM PIN', kind='password', autocomplete='off', hint='stored; leave empty to keep it' if form.get('sms.pin.stored') else '4 to 8 digits, if the SIM asks for one')
% if form.get('sms.pin.stored'):
% include('field.tpl', name='sms.pin.forget', label='Forget the stored PIN', kind='check')
% end
% include('field.tpl', name='sms.max_parts', label='Longest message (SMS parts)', placeholder='3')
% if err('sms.settings'):
  <p class="error">{{err('sms.settings')}}</p>
% end
  </fieldset>
  <button type="submit">Save</button>
</form>

<h2>Outbox</h2>
% if outbox.get('trouble'):
<p class="error">{{outbox['trouble']}}</p>
% end
<p>{{outbox['sent']}} sent and {{outbox['given_up']}} given up since the box started.</p>
% if outbox['pending']:
<table>
  <thead><tr><th>By</th><th>To</th><th>Subject</th><th>Tries</th><th>Last error</th></tr></thead>
  <tbody>
%   for n in outbox['pending']:
    <tr><td>{{n['channel']}}</td><td>{{n['to']}}</td><td>{{n['subject']}}</td><td>{{n['attempts']}}</td><td>{{n['last_error'] or '–'}}</td></tr>
%   end
  </tbody>
</table>
% else:
<p class="muted">Nothing waits to go out.</p>
% end
