% rebase('base.tpl', title='Restarting', refresh='8; url=/system')
<h1>Restarting</h1>
<p role="status">The box is restarting. This page goes back to System by itself when it
answers again (in about ten seconds).</p>
