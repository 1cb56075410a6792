// Tournée: progress polling on a solve job's page. Every page works without this script.
(function () {
  "use strict";
  var box = document.getElementById("progress");
  if (!box || !window.fetch) { return; }
  var url = box.getAttribute("data-status-url");
  function fr(value, decimals) {
    if (value === null || value === undefined) { return "—"; }
    return Number(value).toLocaleString("fr-FR", { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
  }
  function show(data) {
    var fields = {
      status_label: data.status_label, phase_label: data.phase_label, solutions: fr(data.solutions, 0),
      objective: fr(data.objective, 0), bound: fr(data.bound, 0),
      gap: data.gap === null ? "—" : fr(100 * data.gap, 1) + "\u00a0%", elapsed_s: fr(data.elapsed_s, 1),
      error: data.error
    };
    Object.keys(fields).forEach(function (key) {
      var node = box.querySelector('[data-field="' + key + '"]');
      if (node) { node.textContent = fields[key]; }
    });
    var error = box.querySelector('[data-field="error"]');
    if (error) { error.hidden = !data.error; }  // a solve that fails or loses its worker says why at once
    if (data.plan_url) {
      var link = box.querySelector('[data-href="plan_url"]');
      if (link) { link.setAttribute("href", data.plan_url); }
      var holder = box.querySelector('[data-show="plan"]');
      if (holder) { holder.hidden = false; }
    }
    if (data.finished) {
      var controls = document.querySelector("[data-hide-when-finished]");
      if (controls) { controls.hidden = true; }
    }
  }
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        show(data);
        if (!data.finished) { window.setTimeout(poll, 1000); }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
}());
// A wide table scrolls inside itself on a phone: one that holds nothing to tab to gets a tab stop, so
// that a keyboard can scroll it too (axe: scrollable-region-focusable).
(function () {
  "use strict";
  function reachable() {
    var tables = document.querySelectorAll("table.list");
    for (var i = 0; i < tables.length; i++) {
      var table = tables[i];
      var wide = table.scrollWidth > table.clientWidth + 1;
      var focusable = table.querySelector("a[href], button, input, select, textarea, [tabindex]");
      if (wide && !focusable) {
        table.setAttribute("tabindex", "0");
      } else if (!wide && table.getAttribute("tabindex") === "0") {
        table.removeAttribute("tabindex");
      }
    }
  }
  reachable();
  window.addEventListener("resize", reachable);
}());
