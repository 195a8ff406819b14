% rebase('base.tpl', title='Users')
<h1>Users</h1>
% if err('_form') and not password_for:
<p class="error" role="alert">{{err('_form')}}</p>
% end
<table>
  <thead><tr><th>Name</th><th>Role</th><th>Extension</th><th></th></tr></thead>
  <tbody>
% for u in users:
    <tr><td>{{u['name']}}{{' (you)' if u['name'] == user['name'] else ''}}</td><td>{{u['role']}}</td>
      <td>{{u['extension'] or '–'}}</td>
      <td><a href="/users?password={{u['name']}}">Set password</a>
% if u['name'] != user['name']:
        <form class="inline" method="post" action="/users/{{u['name']}}/remove">{{!csrf_field}}
          <button type="submit" class="danger" aria-label="Remove {{u['name']}}">Remove</button></form>
% end
      </td></tr>
% end
  </tbody>
</table>

% if password_for:
<h2>New password for {{password_for}}</h2>
<form method="post" action="/users/{{password_for}}/password" class="form narrow" novalidate>{{!csrf_field}}
% if err('_form'):
  <p class="error" role="alert">{{err('_form')}}</p>
% end
% include('field.tpl', name='password', label='Password', kind='password', hint='at least 10 characters')
% include('field.tpl', name='password2', label='Password again', kind='password')
  <button type="submit">Set password</button> <a href="/users">Cancel</a>
</form>
% else:
<h2>Add a user</h2>
<form method="post" action="/users" class="form narrow" novalidate>{{!csrf_field}}
% include('field.tpl', name='name', label='User name', hint='lower-case letters, digits, . _ -')
% include('field.tpl', name='role', label='Role', kind='select', options=roles)
% include('field.tpl', name='extension', label='Extension (staff)', kind='select', options=extensions, hint='the phone whose calls pop up on their screen')
% include('field.tpl', name='password', label='Password', kind='password', hint='at least 10 characters')
% include('field.tpl', name='password2', label='Password again', kind='password')
  <button type="submit">Add user</button>
</form>
% end
