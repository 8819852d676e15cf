// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // The element an error-summary link should focus: the field itself, or a fieldset's first (checked) input.
  function focusTarget(target) {
    if (target.tagName === "FIELDSET") {
      return target.querySelector("input:checked") || target.querySelector("input, select, textarea") || target;
    }
    return target;
  }

  // The label or legend the page scrolls to, so the question stays visible above the field it belongs to.
  function scrollTarget(target) {
    if (target.tagName === "FIELDSET") {
      return target.querySelector("legend") || target;
    }
    var label = target.id ? document.querySelector('label[for="' + CSS.escape(target.id) + '"]') : null;
    return label || target;
  }

  function enhanceErrorSummary(summary) {
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) {
        return;
      }
      var target = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
      if (!target) {
        return;
      }
      event.preventDefault();
      scrollTarget(target).scrollIntoView();
      focusTarget(target).focus({ preventScroll: true });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var summaries = document.querySelectorAll(".error-summary");
    Array.prototype.forEach.call(summaries, enhanceErrorSummary);
    // Move focus to the error summary after a failed submit, so screen reader users hear what went wrong.
    var summary = document.querySelector("[data-focus-on-load]");
    if (summary) {
      summary.focus();
    }
  });
})();
