<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
% if defined('refresh'):
<meta http-equiv="refresh" content="{{refresh}}">
% end
<title>{{title}} · Ringback</title>
<link rel="stylesheet" href="/static/style.css">
</head>
<body>
<header>
  <strong>Ringback</strong> <span class="muted">{{version}}</span>
% if get('user'):
  <nav>
%   for entry in nav:
    <a href="{{entry.path}}"{{!' aria-current="page"' if path == entry.path or (entry.path != '/' and path.startswith(entry.path + '/')) else ''}}>{{entry.name}}</a>
%   end
  </nav>
  <form class="logout" method="post" action="/logout">{{!csrf_field}}
    <span class="who">{{user['name']}} ({{user['role']}})</span>
    <button type="submit">Log out</button>
  </form>
% end
</header>
<main{{!' class="wide"' if get('wide') else ''}}>
% if get('flash'):
<p class="flash" role="status">{{flash}}</p>
% end
{{!base}}
</main>
</body>
</html>
