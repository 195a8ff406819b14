% rebase('base.tpl', title='Link ' + link_id)
<h1>Link {{link_id}}</h1>
<p><a href="/links">← all links</a></p>
<label for="snippet">Embed snippet</label>
<textarea id="snippet" class="snippet" readonly rows="2" onclick="this.select()">{{snippet}}</textarea>
<form method="post" action="/links/{{link_id}}" class="form" novalidate>{{!csrf_field}}
% if err('_form'):
  <p class="error" role="alert">{{err('_form')}}</p>
% end
  <fieldset><legend>Who and what the visitor sees</legend>
% include('field.tpl', name=base + '.name', label='Name', hint='for you: e.g. the page it is on')
% include('field.tpl', name=base + '.company', label='Company', hint='how the visitor is told who calls')
% include('field.tpl', name=base + '.profile', label='Profile', kind='select', options=profiles, hint='who is on duty when')
% include('field.tpl', name=base + '.allowed_regions', label='Visitors\' countries', hint='country codes such as DE, AT, CZ; empty: this box\'s own country only')
% include('field.tpl', name=base + '.allowed_origins', label='Websites', hint='origins allowed to embed it, e.g. https://www.example.com; empty: any')
  </fieldset>
  <fieldset><legend>The calls</legend>
% include('field.tpl', name=base + '.ring_seconds', label='Each staff number rings (s)', hint='5 to 120')
% include('field.tpl', name=base + '.visitor_ring_seconds', label='The visitor\'s phone rings (s)', hint='5 to 120')
% include('field.tpl', name=base + '.visitor_retries', label='Tries again when the visitor is busy or away', hint='0 to 5 times')
% include('field.tpl', name=base + '.retry_minutes', label='… after (minutes)', hint='1 to 120')
% include('field.tpl', name=base + '.staff_retry_seconds', label='When all staff are busy, try again after (s)', hint='10 to 3600')
% include('field.tpl', name=base + '.announce', label='The visitor hears who calls and presses 1', kind='check')
% include('field.tpl', name=base + '.whisper', label='Staff hear whom the call is for and accept with 1', kind='check')
% include('field.tpl', name=base + '.record', label='Record these calls', kind='check')
% include('field.tpl', name=base + '.prepaid', label='Visitors need a prepaid account (number and PIN)', kind='check')
  </fieldset>
  <fieldset><legend>Missed contacts are reported to</legend>
% include('field.tpl', name=base + '.notify_email', label='Email', placeholder='office@example.com')
% include('field.tpl', name=base + '.notify_sms', label='SMS', placeholder='+491701234567')
  </fieldset>
  <fieldset><legend>Abuse guard</legend>
  <p class="hint">Refusals are polite: the visitor is told to try later. Counted per visitor's address unless said otherwise.</p>
% include('field.tpl', name=base + '.limits.per_15_minutes', label='Requests per 15 minutes')
% include('field.tpl', name=base + '.limits.per_hour', label='Requests per hour')
% include('field.tpl', name=base + '.limits.per_day', label='Requests per day')
% include('field.tpl', name=base + '.limits.numbers_per_ip_hour', label='Different numbers per address and hour')
% include('field.tpl', name=base + '.limits.max_concurrent', label='Callbacks at once (this link)', hint='1 to 999')
% include('field.tpl', name=base + '.limits.daily_minutes', label='Outgoing minutes a day (this link)')
  </fieldset>
  <button type="submit">Save</button>
</form>
<form method="post" action="/links/{{link_id}}/remove" class="inline">{{!csrf_field}}
  <button type="submit" class="danger">Remove this link</button>
</form>
