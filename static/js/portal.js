// Small progressive enhancements; every page works without this script.
(function () {
  "use strict";

  // Move focus to the error summary so screen-reader and keyboard users hear the problem first.
  function focusErrorSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
  }

  // Links in the error summary: focus the field (and scroll its label into view).
  function handleErrorLinks(event) {
    var link = event.target.closest(".error-summary__list a[href^='#']");
    if (!link) {
      return;
    }
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (!field) {
      return;
    }
    event.preventDefault();
    var label = document.querySelector("label[for='" + field.id + "']") || field;
    label.scrollIntoView();
    field.focus({ preventScroll: true });
  }

  document.addEventListener("DOMContentLoaded", focusErrorSummary);
  document.addEventListener("click", handleErrorLinks);
})();
