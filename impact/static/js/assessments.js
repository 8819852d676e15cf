// Progressive enhancement for the assessment form: every page works without this file.
// - Parts that only apply to some answers are hidden until they apply (data-reveal-when="field=value,value", or
//   several such rules joined by ";", any of which reveals the part).
// - Leaving a page with unsaved changes asks first (forms marked data-unsaved-warning).
(function () {
  "use strict";

  function checkedValues(form, name) {
    var values = [];
    form.querySelectorAll('input[name="' + name + '"]:checked').forEach(function (input) {
      values.push(input.value);
    });
    return values;
  }

  function updateReveals(form) {
    form.querySelectorAll("[data-reveal-when]").forEach(function (part) {
      // "field=value,value", or several such rules joined by ";": shown when any of them holds.
      var show = part.getAttribute("data-reveal-when").split(";").some(function (text) {
        var rule = text.split("=");
        var wanted = rule[1].split(",");
        return checkedValues(form, rule[0]).some(function (value) { return wanted.indexOf(value) !== -1; });
      });
      // Keep a part visible when it holds an error or text, so nothing typed is ever hidden.
      var hasContent = part.querySelector(".error-message") !== null ||
        Array.prototype.some.call(part.querySelectorAll("textarea"), function (area) { return area.value.trim() !== ""; });
      part.hidden = !(show || hasContent);
    });
  }

  function serialise(form) {
    return new URLSearchParams(new FormData(form)).toString();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-unsaved-warning]").forEach(function (form) {
      var initial = serialise(form);
      var submitting = false;
      updateReveals(form);
      form.addEventListener("change", function () { updateReveals(form); });
      form.addEventListener("submit", function () { submitting = true; });
      window.addEventListener("beforeunload", function (event) {
        if (!submitting && serialise(form) !== initial) {
          event.preventDefault();
          event.returnValue = "";
        }
      });
    });
  });
})();

// "Copy into the evidence": without this file the button submits the page and the server adds the figure; with it
// the figure is added in place, the text area keeps focus order, and a status line says what was added.
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button[data-copy-text]") : null;
    if (!button) { return; }
    var target = document.getElementById(button.getAttribute("data-copy-target"));
    if (!target) { return; }
    event.preventDefault();
    var text = button.getAttribute("data-copy-text");
    var current = target.value.replace(/\s+$/, "");
    target.value = current ? current + "\n" + text : text;
    target.dispatchEvent(new Event("change", { bubbles: true }));
    var status = document.getElementById("figures-status");
    if (status) { status.textContent = button.getAttribute("data-copied-message") + " " + text; }
  });
})();
