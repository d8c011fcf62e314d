/* The target form: shows the figures the chosen kind needs, and draws the yearly path that
   the preview (an htmx fragment computed on the server by the code that saves) returns.
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

  function formatter(marks) {
    return function (value) {
      if (value === null || value === undefined || isNaN(value)) {
        return "";
      }
      var rounded = Number(value).toFixed(marks.places);
      if (Number(rounded) === Math.trunc(Number(rounded))) {
        rounded = Math.trunc(Number(rounded)).toString();
      }
      var negative = rounded.charAt(0) === "-";
      var parts = rounded.replace("-", "").split(".");
      var whole = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, marks.thousands);
      var shown = parts.length > 1 ? whole + marks.decimal + parts[1] : whole;
      return (negative && Number(rounded) !== 0 ? "-" : "") + shown;
    };
  }

  function drawPreview() {
    var canvas = document.getElementById("preview-chart");
    var box = document.getElementById("preview-chart-box");
    if (!canvas || typeof window.Chart === "undefined") {
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
    var data = JSON.parse(source.textContent);
    var format = formatter(data.numbers);
    var rtl = document.documentElement.dir === "rtl";
    var datasets = [{
      label: canvas.dataset.labelExpected,
      data: data.expected,
      borderColor: "#0b57d0",
      backgroundColor: "#0b57d0",
      pointRadius: 3
    }];
    if (data.expected_high.some(function (value) { return value !== null; })) {
      datasets.push({
        label: canvas.dataset.labelExpectedHigh,
        data: data.expected_high,
        borderColor: "#6b4200",
        backgroundColor: "#6b4200",
        borderDash: [2, 3],
        spanGaps: true,
        pointRadius: 2
      });
    }
    if (chart) {
      chart.data.labels = data.years;
      chart.data.datasets = datasets;
      chart.update();
      return;
    }
    chart = new window.Chart(canvas, {
      type: "line",
      data: { labels: data.years, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        layout: { padding: { left: 12, right: 12 } },
        plugins: {
          legend: { position: "bottom", rtl: rtl, textDirection: rtl ? "rtl" : "ltr" },
          tooltip: {
            rtl: rtl,
            textDirection: rtl ? "rtl" : "ltr",
            callbacks: {
              label: function (context) {
                return context.dataset.label + ": " + format(context.parsed.y);
              }
            }
          }
        },
        scales: {
          x: { reverse: rtl },
          y: { position: rtl ? "right" : "left", ticks: { callback: format } }
        }
      }
    });
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
