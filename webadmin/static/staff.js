/* The staff screen-pop: follows /staff/events and shows a card per answered call. */
(function () {
  "use strict";
  var watch = document.getElementById("watch"), pops = document.getElementById("pops");
  var ext = watch.dataset.ext, csrf = watch.dataset.csrf, cards = {};
  // the office's zone, as on every other page (the desk's browser may be set otherwise)
  var shown = { timeZone: watch.dataset.timezone, dateStyle: "medium", timeStyle: "short" };

  function el(tag, attrs, kids) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (a) {
      if (a === "text") e.textContent = attrs[a];
      else if (a.slice(0, 2) === "on") e.addEventListener(a.slice(2), attrs[a]);
      else e.setAttribute(a, attrs[a]);
    });
    (kids || []).forEach(function (k) { if (k) e.appendChild(typeof k === "string" ? document.createTextNode(k) : k); });
    return e;
  }
  function when(epoch) {
    if (!epoch) return "";
    try { return new Date(epoch * 1000).toLocaleString(undefined, shown); }
    catch (e) { return new Date(epoch * 1000).toLocaleString(); } // a zone this browser lacks
  }
  function row(label, value, href) {
    if (!value) return null;
    return el("tr", {}, [el("th", { text: label }), el("td", {}, [href ?
      el("a", { href: value, target: "_blank", rel: "noopener noreferrer", text: value }) : value])]);
  }

  function pop(p) {
    var box = el("section", { "class": "pop card", id: "pop-" + p.id, "data-number": p.number || "" });
    // a request asked by phone (a "callback:LINK" route) has no page behind it
    var title = p.kind === "callback" ? (p.form.page_url ? "Web callback for " : "Callback for ") +
      (p.form.name || p.number) : "Call from " + (p.number || p.caller);
    box.appendChild(el("h2", { text: title }));
    box.appendChild(el("p", { "class": "state", id: "state-" + p.id,
      text: p.kind === "callback" ? "Answered — press 1 on the phone to accept" : "Connected" }));
    if (p.kind === "callback") {
      var f = p.form;
      box.appendChild(el("table", { "class": "form-data" }, [
        row("Number", p.number), row("Name", f.name), row("Email", f.email), row("Note", f.note),
        row("Page", f.page_url, true), row("Page title", f.page_title),
        row("Came from", f.referrer, true), row("Language", f.language),
        row("Asked at", when(f.created)), row("Link", p.link)]));
    }
    // this very request is on the card's list too: it is no earlier contact
    var cardBox = el("div", { "class": "caller-card", "data-request": p.kind === "callback" ? p.id : "" });
    box.appendChild(cardBox);
    if (p.card) showCard(cardBox, p.card);
    pops.insertBefore(box, pops.firstChild);
    cards[p.id] = box;
    document.title = "☎ " + title + " · Ringback";
  }

  function showCard(box, card) {
    box.textContent = "";
    box.appendChild(el("h3", { text: "Caller card " + card.number }));
    var contacts = el("ul", { "class": "contacts" }), current = box.getAttribute("data-request");
    var earlier = card.contacts.filter(function (c) { return !(c.kind === "callback" && c.id === current); });
    earlier.forEach(function (c) {
      contacts.appendChild(el("li", {}, [when(c.time) + " — " + (c.kind === "callback" ?
        "callback " + c.state + (c.page_url ? " from " + c.page_url : "") :
        c.direction + " call, " + c.disposition + (c.seconds ? ", " + c.seconds + " s" : ""))]));
    });
    box.appendChild(el("h4", { text: "Earlier contacts (" + earlier.length + ")" }));
    box.appendChild(contacts);
    var notes = el("ul", { "class": "notes" });
    card.notes.forEach(function (n) {
      notes.appendChild(el("li", {}, [n.text + " — " + (n.author || "?") + ", " + when(n.time)]));
    });
    box.appendChild(el("h4", { text: "Notes (" + card.notes.length + ")" }));
    box.appendChild(notes);
    var tickets = el("ul", { "class": "tickets" });
    card.tickets.forEach(function (t) {
      tickets.appendChild(el("li", {}, ["#" + t.id + " " + t.title + " — " + (t.author || "?")]));
    });
    box.appendChild(el("h4", { text: "Open tickets (" + card.tickets.length + ")" +
      (card.closed_tickets ? ", " + card.closed_tickets + " closed" : "") }));
    box.appendChild(tickets);
    box.appendChild(form(card.number, "note", "text", "Add a note", "textarea", box));
    box.appendChild(form(card.number, "ticket", "title", "Open a ticket", "input", box));
  }

  function form(number, what, field, label, tag, box) {
    var id = what + "-" + number.replace(/\W/g, "");
    var input = el(tag, { id: id, name: field, required: "", "aria-describedby": id + "-error" });
    var error = el("span", { "class": "field-error", id: id + "-error" });
    var f = el("form", { "class": "card-form " + what }, [el("label", { "for": id, text: label }),
      input, el("button", { type: "submit", text: label }), error]);
    f.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var body = { number: number };
      body[field] = input.value;
      fetch("/staff/" + what, { method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
        body: JSON.stringify(body) })
        .then(function (r) { return r.json().then(function (j) { return [r.status, j]; }); })
        .then(function (a) {
          if (a[0] === 200) return showCard(box, a[1]);
          error.textContent = (a[1].fields && a[1].fields[field]) || a[1].message;
          input.setAttribute("aria-invalid", "true");
        }, function () { error.textContent = "The box did not answer; try again."; });
    });
    return f;
  }

  var SAYS = { "ringing-visitor": "Accepted — calling the visitor", connected: "Talking to the visitor",
    done: "Call ended", failed: "The callback failed", cancelled: "Cancelled by the visitor",
    requeued: "Back in the queue", ended: "Call ended", "staff-declined": "Declined",
    "staff-silent": "Not accepted" };
  var events = new EventSource("/staff/events?ext=" + encodeURIComponent(ext));
  events.addEventListener("hello", function () { watch.textContent = "Watching extension " + ext + "."; });
  events.addEventListener("pop", function (e) { pop(JSON.parse(e.data)); });
  events.addEventListener("progress", function (e) {
    var p = JSON.parse(e.data), line = document.getElementById("state-" + p.id);
    if (line) line.textContent = SAYS[p.state === "queued" ? p.what : p.state] || p.state;
  });
  events.addEventListener("trouble", function (e) { watch.textContent = JSON.parse(e.data).message; });
  events.onerror = function () { watch.textContent = "Reconnecting…"; };
})();
