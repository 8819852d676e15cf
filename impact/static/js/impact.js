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

  // Tables written as a bare <div class="table-wrap"> (not with the table_wrap macro) become a focusable region
  // named by the table's caption, or the heading before it, so keyboard users can scroll them on a phone.
  function enhanceTableWrap(wrap, index) {
    if (wrap.hasAttribute("tabindex")) {
      return;
    }
    var caption = wrap.querySelector("caption");
    var heading = caption;
    if (!heading) {
      var node = wrap.previousElementSibling;
      while (node && !/^H[1-6]$/.test(node.tagName)) {
        node = node.previousElementSibling;
      }
      heading = node;
    }
    if (!heading || !heading.textContent.trim()) {
      return;
    }
    if (!heading.id) {
      heading.id = "table-wrap-label-" + index;
    }
    wrap.setAttribute("tabindex", "0");
    wrap.setAttribute("role", "region");
    wrap.setAttribute("aria-labelledby", heading.id);
  }

  // Tables that stack as cards on phones (.table--stack) get explicit ARIA table roles: some browsers stop
  // announcing a table as one once CSS changes its display. Added here, as the HTML standard forbids them on a
  // <table>'s own cells in markup.
  var STACK_ROLES = { TABLE: "table", THEAD: "rowgroup", TBODY: "rowgroup", TFOOT: "rowgroup", TR: "row", TD: "cell" };

  function enhanceStackedTable(table) {
    Array.prototype.forEach.call(table.querySelectorAll("*"), function (el) {
      if (el.tagName === "TH") {
        el.setAttribute("role", el.getAttribute("scope") === "row" ? "rowheader" : "columnheader");
      } else if (STACK_ROLES[el.tagName]) {
        el.setAttribute("role", STACK_ROLES[el.tagName]);
      }
    });
    table.setAttribute("role", "table");
  }

  // A background job's progress page (templates/jobs/progress.html): ask for the job's status every second and
  // move the progress bar; when the work has ended, load the page again for the download link or the message.
  // Without this script the page has a Refresh link.
  function followJob(box) {
    var url = box.getAttribute("data-job-status-url");
    var bar = box.querySelector("progress");
    var text = box.querySelector(".job__text");
    var status = box.querySelector(".job__status");
    function poll() {
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store" })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (job) {
          if (!job) {
            return;
          }
          if (!job.active) {
            window.location.reload();
            return;
          }
          if (bar && job.percent !== null) {
            bar.value = job.percent;
            bar.textContent = job.percent + "\u00a0%";
          }
          if (text) {
            text.textContent = job.text;
          }
          if (status) {
            status.textContent = job.label;
          }
          window.setTimeout(poll, 1000);
        })
        .catch(function () {
          window.setTimeout(poll, 5000);
        });
    }
    window.setTimeout(poll, 1000);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var job = document.querySelector("[data-job-status-url][data-job-active]");
    if (job) {
      followJob(job);
    }
    Array.prototype.forEach.call(document.querySelectorAll(".table--stack"), enhanceStackedTable);
    Array.prototype.forEach.call(document.querySelectorAll(".table-wrap"), enhanceTableWrap);
    var summaries = document.querySelectorAll(".error-summary");
    Array.prototype.forEach.call(summaries, enhanceErrorSummary);
    // Move focus to the error summary after a failed submit, so screen reader users hear what went wrong.
    var summary = document.querySelector("[data-focus-on-load]");
    if (summary) {
      summary.focus();
    }
  });
})();
