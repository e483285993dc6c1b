// No inline scripts (the CSP forbids them): behaviour is bound here by data attributes.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
  // A chart's numbers print with it: its closed data table opens for printing, then closes.
  var opened = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details.chart-data:not([open])").forEach(function (d) {
      d.open = true;
      opened.push(d);
    });
  });
  window.addEventListener("afterprint", function () {
    opened.splice(0).forEach(function (d) { d.open = false; });
  });
  document.querySelectorAll("form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var question = form.getAttribute("data-confirm");
      if (question && !window.confirm(question)) {
        event.preventDefault();
        return;
      }
      // A return form lists every field of a long application: empty reasons of unticked
      // boxes are not sent, so the form stays within the server's field limit.
      form.querySelectorAll(".doc-pick").forEach(function (pick) {
        var box = pick.querySelector("input[type=checkbox]");
        var reason = pick.querySelector("input:not([type=checkbox])");
        if (box && reason && !box.checked && reason.value === "") { reason.disabled = true; }
      });
      if (form.method.toLowerCase() === "post") {
        // One decision per click: a double click must not post twice.
        form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
      }
    });
  });
});
