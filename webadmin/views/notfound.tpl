% rebase('base.tpl', title='Not found')
<h1>Not found</h1>
<p>There is no page at <code>{{path}}</code>. <a href="/">Back to the dashboard</a>.</p>
