// No inline scripts (the CSP forbids them): behaviour is bound here by data attributes.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
  document.querySelectorAll("form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var question = form.getAttribute("data-confirm");
      if (question && !window.confirm(question)) {
        event.preventDefault();
        return;
      }
      if (form.method.toLowerCase() === "post") {
        // One decision per click: a double click must not post twice.
        form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
      }
    });
  });
});
