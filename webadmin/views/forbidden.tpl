% rebase('base.tpl', title='Not allowed')
<h1>Not allowed</h1>
<p class="error">{{reason}}</p>
<p><a href="/">Back to the dashboard</a>.</p>
