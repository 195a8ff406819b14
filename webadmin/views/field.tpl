% # one labelled form field with its error beside it: include('field.tpl', name=..., label=..., ...)
% kind = get('kind', 'text')
% invalid = ' aria-invalid="true"' if err(name) else ''
% if kind == 'check':
<label class="check"><input id="{{name}}" name="{{name}}" type="checkbox" value="1"{{!' checked' if form.get(name) else ''}}{{!invalid}}> {{label}}</label>
% elif kind == 'select':
<label for="{{name}}">{{label}}</label>
<select id="{{name}}" name="{{name}}"{{!invalid}}>
%   for value, text in options:
  <option value="{{value}}"{{!' selected' if str(form.get(name, '')) == value else ''}}>{{text}}</option>
%   end
</select>
% elif kind == 'password':
<label for="{{name}}">{{label}}</label>
<input id="{{name}}" name="{{name}}" type="password" autocomplete="{{get('autocomplete', 'new-password')}}"{{!invalid}}>
% else:
<label for="{{name}}">{{label}}</label>
<input id="{{name}}" name="{{name}}" value="{{form.get(name, '')}}"{{!invalid}}{{!' placeholder="%s"' % placeholder if defined('placeholder') else ''}}>
% end
% if defined('hint'):
<span class="hint">{{hint}}</span>
% end
<span class="field-error" id="{{name}}-error">{{err(name)}}</span>
