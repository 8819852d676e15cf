// Progressive enhancement for the assessment form: every page works without this file.
// - Parts that only apply to some answers are hidden until they apply (data-reveal-when="field=value,value").
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
      var rule = part.getAttribute("data-reveal-when").split("=");
      var wanted = rule[1].split(",");
      var chosen = checkedValues(form, rule[0]);
      // Keep a part visible when it holds an error or text, so nothing typed is ever hidden.
      var hasContent = part.querySelector(".error-message") !== null ||
        Array.prototype.some.call(part.querySelectorAll("textarea"), function (area) { return area.value.trim() !== ""; });
      var show = chosen.some(function (value) { return wanted.indexOf(value) !== -1; });
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
