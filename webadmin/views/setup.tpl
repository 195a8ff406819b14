% rebase('base.tpl', title='First-boot setup')
<h1>Welcome: set up this box</h1>
<p>This box has no default password. Choose the admin's name and password and tell it
about the ISDN line; everything can be changed later.</p>
<form method="post" action="/setup" class="form" novalidate>{{!csrf_field}}
% if err('_form'):
  <p class="error" role="alert">{{err('_form')}}</p>
% end
  <fieldset><legend>Administrator</legend>
% include('field.tpl', name='admin', label='Admin user name')
% include('field.tpl', name='password', label='Password', kind='password', hint='at least 10 characters')
% include('field.tpl', name='password2', label='Password again', kind='password')
  </fieldset>
  <fieldset><legend>The line</legend>
% include('field.tpl', name='country', label='Country', kind='select', options=[(c, c) for c in countries])
% include('field.tpl', name='line_type', label='Line type', kind='select', options=[('ptmp', 'Point-to-multipoint (P-MP, MSNs)'), ('ptp', 'Point-to-point (P-P, DDI range)')])
% include('field.tpl', name='msns', label='MSNs (P-MP)', placeholder='5551000, 5551021, 5551022', hint='the numbers the exchange gave the line, separated by commas')
% include('field.tpl', name='ddi', label='DDI range (P-P)', placeholder='5551000-5551099', hint='first and last number of the line\'s range')
  <p class="hint">The line type is the port's mode: it cannot change while the box runs, so a
  change takes effect at the next restart (the dashboard says so).</p>
  </fieldset>
  <fieldset><legend>Time</legend>
% include('field.tpl', name='timezone', label='Time zone', placeholder='Europe/Berlin', hint='for office hours and night service')
  </fieldset>
  <button type="submit">Finish setup</button>
</form>
