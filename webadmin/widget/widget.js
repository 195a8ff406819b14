/* Ringback callback widget: <script src="http://BOX:8081/widget.js" data-link="office"
   [data-lang="de"] async></script> puts a "Call me back" button on the page (in the page's
   language, or data-lang's; widget.js?lang=de carries German only). No framework; its own
   shadow DOM, so the site's CSS and ours leave each other alone. The box serves this file
   minified, with the translations put in (webadmin/widget_bundle.py). */
(function () {
  "use strict";
  var me = document.currentScript || document.querySelector("script[data-link][src*='widget.js']");
  if (!me || window.__ringback) return;
  window.__ringback = 1;
  var base = new URL(me.src).origin, link = me.getAttribute("data-link") || "office";
  // {lang: {key: text}}: filled in by the box from lang.json (webadmin/widget_bundle.py),
  // every language, or only the one the script's address names (widget.js?lang=de).
  var T = {} /* translations */;
  var lang = (me.getAttribute("data-lang") || navigator.language || "en").slice(0, 2).toLowerCase();
  if (!T[lang]) lang = T.en ? "en" : Object.keys(T)[0];
  var L = T[lang];
  function t(k, v) {
    return (L[k] || k).replace(/\{(\w)\}/g, function (_, n) { return v && v[n] != null ? v[n] : ""; });
  }
  // The box explains in English; the word in "reason" lets us say it in the visitor's language.
  var REASON = { missing: "e_number", invalid: "r_invalid", region: "r_region", premium: "r_premium",
    emergency: "r_emergency", "carrier-prefix": "r_prefix", when: "r_when", "refused-starting": "e_net" };
  function said(j, english) {
    var k = REASON[j.reason] || (/^refused-/.test(j.reason || "") ? "r_refused" : "");
    return lang !== "en" && k ? t(k) : english || j.message || t(k || "e_net");
  }
  function fieldsSaid(j) {
    var out = {};
    Object.keys(j.fields).forEach(function (f) { out[f] = said(j, j.fields[f]); });
    return out;
  }

  var CSS = ":host{all:initial;font:15px/1.4 system-ui,sans-serif;color:#1b1f24}" +
    "button{font:inherit;cursor:pointer;border-radius:6px;border:1px solid #0b5cab;padding:.45em .9em;background:#fff;color:#0b5cab}" +
    "button.main{background:#0b5cab;color:#fff}" +
    ".open{position:fixed;right:20px;bottom:20px;z-index:2147483000;box-shadow:0 2px 8px #0004}" +
    ".panel{position:fixed;right:20px;bottom:20px;z-index:2147483001;width:320px;max-width:calc(100vw - 40px);" +
    "background:#fff;border-radius:10px;box-shadow:0 4px 24px #0005;padding:16px}" +
    "h2{font-size:17px;margin:0 0 10px}label{display:block;margin:8px 0 2px;font-weight:600}" +
    "input,select{font:inherit;box-sizing:border-box;width:100%;padding:6px;border:1px solid #889;border-radius:5px}" +
    "input[type=radio],input[type=checkbox]{width:auto;margin:0 6px 0 0}" +
    "fieldset{border:0;padding:0;margin:8px 0}legend{font-weight:600}" +
    ".opt{display:flex;align-items:center;font-weight:400;margin:3px 0}" +
    "[aria-invalid=true]{border-color:#b00020}.err{color:#b00020;font-size:13px;min-height:0}" +
    ".x{position:absolute;top:8px;right:8px;border:0;font-size:20px;padding:0 6px}" +
    ".row{display:flex;gap:8px;margin-top:12px;flex-wrap:wrap}" +
    ".state{font-size:16px;font-weight:600;margin:6px 0}.eta{font-size:24px;font-variant-numeric:tabular-nums}";

  var host = document.createElement("div");
  host.id = "ringback-widget";
  var root = host.attachShadow({ mode: "open" });
  root.innerHTML = "<style>" + CSS + "</style>";

  function el(tag, attrs, kids) {
    var e = document.createElement(tag);
    for (var a in attrs || {}) {
      if (a === "text") e.textContent = attrs[a];
      else if (a.slice(0, 2) === "on") e.addEventListener(a.slice(2), attrs[a]);
      else e.setAttribute(a, attrs[a]);
    }
    (kids || []).forEach(function (k) { if (k) e.appendChild(k); });
    return e;
  }
  function api(method, path, body) {
    return fetch(base + path, {
      method: method, headers: body ? { "Content-Type": "application/json" } : {},
      body: body ? JSON.stringify(body) : undefined
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (j) { j._code = r.status; return j; });
    });
  }
  var store = window.localStorage, key = "ringback:" + link;
  var visitor = store.getItem("ringback:v") || Math.random().toString(36).slice(2);
  store.setItem("ringback:v", visitor);

  var button = el("button", { "class": "open main", "aria-expanded": "false", text: t("btn"), onclick: open });
  root.appendChild(button);
  var panel = null, info = null, skew = 0, current = null, live = null, ticker = 0, poller = 0;

  function open() {
    button.hidden = true;
    button.setAttribute("aria-expanded", "true");
    panel = el("div", { "class": "panel", role: "dialog", "aria-label": t("title") });
    panel.appendChild(el("button", { "class": "x", "aria-label": t("close"), text: "×", onclick: close }));
    root.appendChild(panel);
    var token = store.getItem(key);
    if (token) return follow(token);
    api("GET", "/api/links/" + encodeURIComponent(link)).then(function (j) {
      info = j._code === 200 ? j : null;
      if (info) skew = info.now - Date.now() / 1000;
      form();
    }, function () { form(); });
  }
  function close() {
    stopLive();
    if (panel) panel.remove();
    panel = null;
    button.hidden = false;
    button.setAttribute("aria-expanded", "false");
    button.focus();
  }
  function body(nodes) {
    while (panel.childNodes.length > 1) panel.lastChild.remove();
    nodes.forEach(function (n) { panel.appendChild(n); });
  }

  // the form ------------------------------------------------------------------------
  function field(name, label, input) {
    input.id = "rb-" + name;
    input.name = name;
    input.setAttribute("aria-describedby", "rb-err-" + name);
    return el("div", {}, [el("label", { "for": input.id, text: label }), input,
      el("div", { "class": "err", id: "rb-err-" + name, role: "alert" })]);
  }
  function whenPicker(closedUntil) {
    var time = el("input", { type: "time", id: "rb-at-time", "aria-label": t("at") });
    var set = el("fieldset", { id: "rb-when", "aria-describedby": "rb-err-when" }, [el("legend", { text: t("when") })]);
    [["now", t("now")], ["2m", t("m2")], ["5m", t("m5")], ["at", t("at")]].forEach(function (o, i) {
      set.appendChild(el("label", { "class": "opt" }, [
        el("input", { type: "radio", name: "when", value: o[0], id: "rb-when-" + o[0] }),
        document.createTextNode(o[1])]));
    });
    set.appendChild(time);
    set.appendChild(el("div", { "class": "err", id: "rb-err-when", role: "alert" }));
    set.querySelector(closedUntil ? "[value=at]" : "[value=now]").checked = true;
    if (closedUntil) time.value = hhmm(closedUntil);
    time.addEventListener("input", function () { set.querySelector("[value=at]").checked = true; });
    set.pick = function () {
      var v = set.querySelector("input[name=when]:checked").value;
      if (v !== "at") return v;
      if (!time.value) return null;
      var p = time.value.split(":"), d = new Date();
      d.setHours(+p[0], +p[1], 0, 0);
      if (d < Date.now() - 60000) d.setDate(d.getDate() + 1);
      return d.toISOString();
    };
    return set;
  }
  function form() {
    var regions = (info && info.regions) || ["DE"], names = null;
    try { names = new Intl.DisplayNames([lang], { type: "region" }); } catch (e) { /* old browser */ }
    var guess = (navigator.language.split("-")[1] || "").toUpperCase();
    var country = el("select", {}, regions.map(function (r) {
      return el("option", { value: r, text: names ? names.of(r) : r });
    }));
    country.value = regions.indexOf(guess) >= 0 ? guess : (info && info.country) || regions[0];
    var number = el("input", { type: "tel", autocomplete: "tel", required: "", inputmode: "tel" });
    var name = el("input", { autocomplete: "name", maxlength: "80" });
    var email = el("input", { type: "email", autocomplete: "email", maxlength: "120" });
    var consent = el("input", { type: "checkbox", id: "rb-consent", "aria-describedby": "rb-err-consent" });
    var closed = info && !info.open && info.next_opening;
    var when = whenPicker(closed ? info.next_opening : null);
    var top = el("div", { "class": "err", id: "rb-err-form", role: "alert" });
    var f = el("form", { novalidate: "" }, [
      el("h2", { text: t("title") }),
      closed ? el("p", { text: t("closed", { t: hhmm(info.next_opening) }) }) : null,
      field("country", t("country"), country), field("number", t("number"), number),
      field("name", t("name"), name), field("email", t("email"), email), when,
      el("label", { "class": "opt" }, [consent, document.createTextNode(t("consent"))]),
      el("div", { "class": "err", id: "rb-err-consent", role: "alert" }), top,
      el("div", { "class": "row" }, [el("button", { "class": "main", type: "submit", text: t("send") })])]);
    f.addEventListener("submit", function (ev) {
      ev.preventDefault();
      clearErrors(f);
      var errs = {}, w = when.pick();
      if (!/\d{3,}/.test(number.value.replace(/[\s()\/.-]/g, ""))) errs.number = t("e_number");
      if (email.value && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email.value)) errs.email = t("e_email");
      if (!w) errs.when = t("e_time");
      if (!consent.checked) errs.consent = t("e_consent");
      if (showErrors(f, errs)) return;
      var sending = f.querySelector("[type=submit]");
      sending.disabled = true;
      api("POST", "/api/callbacks", {
        link: link, country: country.value, number: number.value, name: name.value,
        email: email.value, when: w, consent: true, page_url: location.href,
        page_title: document.title, referrer: document.referrer, language: lang, cookie: visitor
      }).then(function (j) {
        sending.disabled = false;
        if (j._code === 201) {
          store.setItem(key, j.token);
          return follow(j.token, j);
        }
        if (j.fields) return showErrors(f, fieldsSaid(j));
        top.textContent = said(j);
      }, function () { sending.disabled = false; top.textContent = t("e_net"); });
    });
    body([f]);
    number.focus();
  }
  function clearErrors(f) {
    f.querySelectorAll(".err").forEach(function (e) { e.textContent = ""; });
    f.querySelectorAll("[aria-invalid]").forEach(function (e) { e.removeAttribute("aria-invalid"); });
  }
  function showErrors(f, errs) {
    var first = null;
    Object.keys(errs).forEach(function (k) {
      var box = f.querySelector("#rb-err-" + k) || f.querySelector("#rb-err-form");
      box.textContent = errs[k];
      var input = f.querySelector("#rb-" + k);
      if (input) { input.setAttribute("aria-invalid", "true"); first = first || input; }
    });
    if (first) first.focus();
    return Object.keys(errs).length > 0;
  }

  // the live status -----------------------------------------------------------------
  function follow(token, first) {
    var state = el("div", { "class": "state", id: "rb-state" }), detail = el("div", { id: "rb-detail" });
    var eta = el("div", { "class": "eta", id: "rb-eta" }), actions = el("div", { "class": "row" });
    body([el("h2", { text: t("title") }), el("div", { "aria-live": "polite", "aria-atomic": "true" },
      [state, detail]), eta, actions]);
    current = { token: token, state: state, detail: detail, eta: eta, actions: actions };
    if (first) show(first);
    startLive(token);
    ticker = setInterval(countdown, 1000);
  }
  function startLive(token) {
    var url = base + "/api/callbacks/" + encodeURIComponent(token);
    var poll = function () {
      api("GET", "/api/callbacks/" + encodeURIComponent(token)).then(function (j) {
        if (j._code === 200) show(j);
        else if (j._code === 404) forget();
      }, function () { /* offline a moment: the next poll tries again */ });
    };
    if (window.EventSource) {
      var failures = 0;
      live = new EventSource(url + "/events");
      live.addEventListener("status", function (e) { failures = 0; show(JSON.parse(e.data)); });
      live.onerror = function () {
        if (++failures < 3 && live.readyState !== 2) return;  // EventSource retries itself
        live.close();
        live = null;
        if (!poller) poller = setInterval(poll, 3000);
      };
    } else {
      poll();
      poller = setInterval(poll, 3000);
    }
  }
  function stopLive() {
    if (live) live.close();
    clearInterval(poller);
    clearInterval(ticker);
    live = null; poller = ticker = 0; current = null;
  }
  function forget() {
    store.removeItem(key);
    stopLive();
    if (panel) { body([]); form(); }
  }
  var FINAL = { done: 1, failed: 1, cancelled: 1 };
  var SAYS = { "ringing-staff": "staff", "staff-answered": "staff", "ringing-visitor": "you",
    connected: "connected", done: "done", failed: "failed", cancelled: "cancelled" };
  function show(s) {
    if (!current) return;
    skew = s.now - Date.now() / 1000;
    var c = current, was = c.s && c.s.state + c.s.reason;
    c.s = s;
    var busy = s.state === "queued" && s.reason;
    c.state.textContent = busy ? t("busy") : s.state === "queued" ?
      t("queued", { p: s.position }) : t(SAYS[s.state] || s.state);
    c.state.setAttribute("data-state", s.state);
    // why it failed is the box's English, for English pages only
    c.detail.textContent = s.state === "failed" && s.reason && lang === "en" ? s.reason : "";
    countdown();
    if (was === s.state + s.reason) return;  // keep the buttons a person may be using
    c.actions.textContent = "";
    if (FINAL[s.state]) {
      if (live) live.close();
      clearInterval(poller);
      store.removeItem(key);
      c.actions.appendChild(el("button", { text: t("again"), onclick: function () { stopLive(); form(); } }));
      return;
    }
    if (s.state === "queued") {
      if (busy) c.actions.appendChild(picker(c));
      else c.actions.appendChild(el("button", { text: t("resched"), onclick: function () {
        c.actions.textContent = ""; c.actions.appendChild(picker(c));
      } }));
    }
    if (s.state === "connected") return;  // talking: hanging up is the phone's job
    c.actions.appendChild(el("button", { id: "rb-cancel", text: t("cancel"), onclick: function () {
      api("POST", "/api/callbacks/" + encodeURIComponent(c.token) + "/cancel", {}).then(function (j) {
        if (j._code === 200) show(j);
      });
    } }));
  }
  function picker(c) {
    var when = whenPicker(null);
    var save = el("button", { "class": "main", text: t("save"), onclick: function () {
      var w = when.pick(), err = when.querySelector(".err");
      if (!w) { err.textContent = t("e_time"); return; }
      api("POST", "/api/callbacks/" + encodeURIComponent(c.token) + "/reschedule", { when: w })
        .then(function (j) {
          if (j._code === 200) { c.s = null; show(j); } else err.textContent = said(j, j.fields && j.fields.when);
        });
    } });
    return el("div", { style: "width:100%" }, [when, save]);
  }
  function countdown() {
    var c = current;
    if (!c || !c.s) return;
    var left = c.s.state === "queued" ? Math.round(c.s.expected - Date.now() / 1000 - skew) : null;
    c.eta.textContent = left == null ? "" : left > 0 ? t("eta", { t: mmss(left) }) : t("soon");
  }
  function mmss(s) {
    var h = Math.floor(s / 3600), m = Math.floor(s % 3600 / 60), r = s % 60;
    return (h ? h + ":" + pad(m) : m) + ":" + pad(r);
  }
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function hhmm(epoch) {
    var d = new Date(epoch * 1000);
    return pad(d.getHours()) + ":" + pad(d.getMinutes());
  }
  function start() {
    document.body.appendChild(host);
    if (store.getItem(key)) open();  // a request in progress survives reloading the page
  }
  if (document.body) start(); else document.addEventListener("DOMContentLoaded", start);
})();
