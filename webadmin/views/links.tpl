% rebase('base.tpl', title='Links')
<h1>Callback links</h1>
<p>A link is what the office's website embeds: one script tag puts the “Call me back”
button on a page. Each link names the profile that says who is on duty. The button
speaks the page's language ({{', '.join(languages)}}; English otherwise); a site in one
language can load only that one: <code>widget.js?lang=de</code>, a smaller script.</p>
% for k in links:
<section class="link-card">
  <h2><a href="/links/{{k['id']}}">{{k['id']}}</a> <span class="muted">{{k['name']}} · profile {{k['profile']}} · at most {{k['limits']['max_concurrent']}} at once</span></h2>
  <label for="snippet-{{k['id']}}">Embed snippet: paste it into the website's HTML</label>
  <textarea id="snippet-{{k['id']}}" class="snippet" readonly rows="2" onclick="this.select()">{{snippets[k['id']]}}</textarea>
</section>
% end
% if not links:
<p class="muted">No link yet.</p>
% end
<h2>New link</h2>
% if has_profiles:
<form method="post" action="/links" class="form narrow" novalidate>{{!csrf_field}}
% include('field.tpl', name='id', label='Link name', hint='lower-case letters, digits and dashes: it goes into the snippet', placeholder='sales')
  <button type="submit">Make it</button>
</form>
% else:
<p>Make a <a href="/profiles">profile</a> first: a link needs someone on duty.</p>
% end
