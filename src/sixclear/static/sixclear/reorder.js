// After htmx moves an item of an ordered list (viewpoints, breakthroughs, task groups,
// program sections) and swaps the list, keep the keyboard focus on the moved item's button,
// which the swap would otherwise drop to the top of the page. Without JavaScript the move
// buttons are plain form posts and this file does nothing.
(function () {
  "use strict";
  var moved = null;
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.detail.elt;
    var button = form && form.querySelector ? form.querySelector("button[data-move]") : null;
    var row = form && form.closest ? form.closest("li[id]") : null;
    moved = button && row ? { row: row.id, move: button.getAttribute("data-move") } : null;
  });
  document.addEventListener("htmx:afterSettle", function () {
    if (!moved) { return; }
    var row = document.getElementById(moved.row);
    var other = moved.move === "up" ? "down" : "up";
    var target = row && (row.querySelector("button[data-move=" + moved.move + "]") ||
                         row.querySelector("button[data-move=" + other + "]"));
    if (target) { target.focus(); }
    moved = null;
  });
}());
