/* The target form: shows the figures the chosen kind needs, and draws the yearly path that
   the preview (an htmx fragment computed on the server by the code that saves) returns, as
   the target page draws its chart (sixclear/target-chart.js, loaded before this file).
   No inline script: the page keeps its strict Content-Security-Policy. Without JavaScript
   every field shows and the "Preview the path" button fills the same table. */
(function () {
  "use strict";

  var chart = null;

  function showFieldsOfKind() {
    var select = document.querySelector("[data-kind-select]");
    if (!select) {
      return;
    }
    var kind = select.value;
    document.querySelectorAll("[data-kinds]").forEach(function (slot) {
      var kinds = slot.getAttribute("data-kinds").split(" ");
      slot.hidden = kind !== "" && kinds.indexOf(kind) === -1;
    });
  }

  // The preview's look beside the target page's (sixclear/target-chart.js): a solid path,
  // redrawn without animation as the person types.
  var PREVIEW = {
    expected: {},
    options: { animation: false, layout: { padding: { left: 12, right: 12 } } }
  };

  function drawPreview() {
    var canvas = document.getElementById("preview-chart");
    var box = document.getElementById("preview-chart-box");
    if (!canvas || typeof window.Chart === "undefined" || !window.sixclear) {
      return;
    }
    var source = document.getElementById("preview-chart-data");
    if (!source) {
      if (chart) {
        chart.destroy();
        chart = null;
      }
      box.hidden = true;
      return;
    }
    box.hidden = false;
    var config = window.sixclear.targetChart.config(canvas, JSON.parse(source.textContent),
                                                    PREVIEW);
    if (chart) {
      chart.data.labels = config.data.labels;
      chart.data.datasets = config.data.datasets;
      chart.update();
      return;
    }
    chart = new window.Chart(canvas, config);
  }

  function start() {
    var select = document.querySelector("[data-kind-select]");
    if (select) {
      select.addEventListener("change", showFieldsOfKind);
      showFieldsOfKind();
    }
    drawPreview();
    document.body.addEventListener("htmx:afterSettle", function (event) {
      if (event.detail && event.detail.target && event.detail.target.id === "preview-body") {
        drawPreview();
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
