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
<header><strong>Ringback</strong> <span class="muted">{{version}}</span></header>
<main>
{{!base}}
</main>
</body>
</html>
