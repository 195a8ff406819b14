% # one labelled form field with its error beside it: include('field.tpl', name=..., label=..., ...)
% kind = get('kind', 'text')
% invalid = ' aria-invalid="true"' if err(name) else ''
<label for="{{name}}">{{label}}</label>
% if kind == 'select':
<select id="{{name}}" name="{{name}}"{{!invalid}}>
%   for value, text in options:
  <option value="{{value}}"{{!' selected' if str(form.get(name, '')) == value else ''}}>{{text}}</option>
%   end
</select>
% elif kind == 'password':
<input id="{{name}}" name="{{name}}" type="password" autocomplete="{{get('autocomplete', 'new-password')}}"{{!invalid}}>
% else:
<input id="{{name}}" name="{{name}}" value="{{form.get(name, '')}}"{{!invalid}}{{!' placeholder="%s"' % placeholder if defined('placeholder') else ''}}>
% end
% if defined('hint'):
<span class="hint">{{hint}}</span>
% end
<span class="field-error" id="{{name}}-error">{{err(name)}}</span>
