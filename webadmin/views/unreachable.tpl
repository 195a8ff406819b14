% rebase('base.tpl', title='Daemon not reachable', refresh=3)
<h1>The daemon is not answering</h1>
<p class="error">{{error}}</p>
<p class="muted">Checked at {{checked}}; this page tries again every 3 seconds.</p>
