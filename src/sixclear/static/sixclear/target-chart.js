/* Draws a target's expected path and reported values with Chart.js. The numbers come from a
   json_script element and the labels from the canvas's data attributes, so the page needs no
   inline script and a strict Content-Security-Policy stays possible. */
(function () {
  "use strict";

  function draw() {
    var canvas = document.getElementById("target-chart");
    var source = document.getElementById("target-chart-data");
    if (!canvas || !source || typeof window.Chart === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var marks = data.numbers || { decimal: ".", thousands: ",", places: 2 };
    // The page's way of writing numbers (sixclear/numbers.py), not the browser's: grouped by
    // thousands with the language's marks, at most the unit's decimals, none when whole.
    function formatNumber(value) {
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
    }
    var rtl = document.documentElement.dir === "rtl";
    var hasHigh = data.expected_high.some(function (value) { return value !== null; });
    var datasets = [
      {
        label: canvas.dataset.labelExpected,
        data: data.expected,
        borderColor: "#0b57d0",
        backgroundColor: "#0b57d0",
        borderDash: [6, 4],
        spanGaps: true,
        pointRadius: 3
      }
    ];
    if (hasHigh) {
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
    datasets.push({
      label: canvas.dataset.labelMeasured,
      data: data.measured,
      borderColor: "#1e6b34",
      backgroundColor: "#1e6b34",
      borderWidth: 3,
      spanGaps: false,
      pointRadius: 5,
      pointStyle: "rectRot"
    });
    new window.Chart(canvas, {
      type: "line",
      data: { labels: data.years, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        locale: document.documentElement.lang || undefined,
        animation: window.matchMedia("(prefers-reduced-motion: reduce)").matches ? false : {},
        plugins: {
          legend: { position: "bottom", rtl: rtl, textDirection: rtl ? "rtl" : "ltr" },
          tooltip: {
            rtl: rtl,
            textDirection: rtl ? "rtl" : "ltr",
            callbacks: {
              label: function (context) {
                return context.dataset.label + ": " + formatNumber(context.parsed.y);
              }
            }
          }
        },
        scales: {
          x: { reverse: rtl },
          y: {
            position: rtl ? "right" : "left",
            ticks: { callback: function (value) { return formatNumber(value); } },
            title: { display: Boolean(data.unit_of_measure), text: data.unit_of_measure }
          }
        }
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
