% rebase('base.tpl', title=section.title, wide=True)
% from webadmin.records import cell_error, row_error
<h1>{{section.title}}</h1>
<p>{{section.intro}}</p>
<form method="post" action="{{path}}" class="records" novalidate>{{!csrf_field}}
% if err('_form'):
  <p class="error" role="alert">{{err('_form')}}</p>
% end
% if section.scalars:
  <div class="form">
%   for c in section.scalars:
%     include('field.tpl', name=c.name, label=c.label, hint=c.hint, kind=c.kind, options=c.options, form=edit.scalars)
%   end
  </div>
% end
% rows = edit.rows + ([] if section.fixed_rows else [{'_from': 'new'}])
  <input type="hidden" name="rows" value="{{len(rows)}}">
  <div class="scroll">
  <table>
    <thead><tr>
% for c in section.columns:
      <th scope="col">{{c.label}}</th>
% end
% if not section.fixed_rows:
      <th scope="col">Remove</th>
% end
    </tr></thead>
    <tbody>
% for i, row in enumerate(rows):
%   base = f'{section.key}[{i}]'
    <tr{{!' class="new"' if row['_from'] == 'new' else ''}}>
%   for c in section.columns:
%     name, problem = f'{base}.{c.name}', cell_error(errors, f'{base}.{c.name}')
%     invalid = ' aria-invalid="true"' if problem else ''
      <td>
%     if c.kind == 'readonly':
        {{row.get(c.name, '')}}
%     elif c.kind == 'bool':
        <input type="checkbox" name="{{name}}" value="1" aria-label="{{c.label}}"{{!' checked' if row.get(c.name) else ''}}{{!invalid}}>
%     elif c.kind == 'select':
        <select name="{{name}}" aria-label="{{c.label}}"{{!invalid}}>
%       for value, text in c.options:
          <option value="{{value}}"{{!' selected' if row.get(c.name, '') == value else ''}}>{{text}}</option>
%       end
        </select>
%     else:
        <input name="{{name}}" value="{{row.get(c.name, '')}}" style="width: {{c.size + 1}}ch" aria-label="{{c.label}}"{{!invalid}}{{!' placeholder="new"' if row['_from'] == 'new' and c is section.columns[0] else ''}}>
%     end
        <span class="field-error" id="{{name}}-error">{{problem}}</span>
      </td>
%   end
%   if not section.fixed_rows:
      <td>
%     if row['_from'] != 'new':
        <input type="checkbox" name="{{base}}._remove" value="1" aria-label="Remove row {{i + 1}}">
%     end
      </td>
%   end
      <input type="hidden" name="{{base}}._from" value="{{row['_from']}}">
    </tr>
%   if row_error(errors, section.key, i):
    <tr><td colspan="{{len(section.columns) + 1}}"><span class="field-error" id="{{base}}-error">{{row_error(errors, section.key, i)}}</span></td></tr>
%   end
% end
    </tbody>
  </table>
  </div>
% hints = [c for c in section.columns if c.hint]
% if hints:
  <ul class="hints muted">
%   for c in hints:
    <li><strong>{{c.label}}</strong>: {{c.hint}}</li>
%   end
  </ul>
% end
  <button type="submit">Save</button>
  <span class="muted">Applied at once; calls in progress keep going.</span>
</form>
