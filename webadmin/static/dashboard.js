/* The dashboard follows /dashboard/events: each update carries the sections' new HTML. */
(function () {
  "use strict";
  var live = document.getElementById("live"), zone = live.dataset.timezone || undefined;
  var stream = new EventSource("/dashboard/events");
  stream.addEventListener("update", function (e) {
    var parts = JSON.parse(e.data);
    Object.keys(parts).forEach(function (id) {
      var target = document.getElementById(id);
      if (target) target.innerHTML = parts[id];
    });
    live.textContent = "live · " + new Date().toLocaleTimeString([], { timeZone: zone });
    live.className = "live ok";
  });
  stream.addEventListener("trouble", function (e) {
    live.textContent = JSON.parse(e.data).message;
    live.className = "live error";
  });
  stream.onerror = function () {
    live.textContent = "reconnecting…";
    live.className = "live muted";
  };
})();
