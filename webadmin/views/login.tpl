% rebase('base.tpl', title='Log in')
<h1>Log in</h1>
<form method="post" action="/login" class="form narrow">{{!csrf_field}}
  <input type="hidden" name="next" value="{{next}}">
% if err('_form'):
  <p class="error" role="alert">{{err('_form')}}</p>
% end
  <label for="name">User name</label>
  <input id="name" name="name" autocomplete="username" value="{{form.get('name', '')}}" required autofocus>
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required>
  <button type="submit">Log in</button>
</form>
