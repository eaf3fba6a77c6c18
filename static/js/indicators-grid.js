// Data-entry grids: Enter saves the cell (through htmx) instead of submitting the whole grid.
// Without this script the grid is a normal form and "Save all changes" saves every cell.
(function () {
  "use strict";

  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (event.key !== "Enter" || !input.classList || !input.classList.contains("grid-input")) {
      return;
    }
    event.preventDefault();
    if (window.htmx) {
      window.htmx.trigger(input, "grid-save");
    }
  });
})();
