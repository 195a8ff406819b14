% rebase('base.tpl', title='Form refused')
<h1>This form was refused</h1>
<p class="error">The form's security token was missing or did not match your session, so
nothing was changed. This happens when a form was open for a long time, after logging in
again elsewhere, or when another site tries to send a form to this box.</p>
<p><a href="{{path}}">Open the page again</a> and send the form once more.</p>
