/* Draws a dashboard's charts with Chart.js from the json_script element "dashboard-data".
   Every chart has a table with the same figures next to it, so nothing depends on this file. */
(function () {
  "use strict";

  var COLOURS = ["#1e6b34", "#6b7280", "#8a5300", "#a4161a", "#0b57d0"];
  var TARGET_COLOURS = ["#1e6b34", "#8a5300", "#a4161a", "#6b7280"];
  var LINE_COLOURS = ["#0b57d0", "#1e6b34", "#6b4200", "#a4161a", "#5b21b6", "#0e7490"];

  // Numbers as the page writes them (sixclear/numbers.py): the language's marks, grouped.
  var marks = { decimal: ".", thousands: ",", places: 0 };

  function formatNumber(value) {
    if (value === null || value === undefined || isNaN(value)) { return ""; }
    var rounded = Number(value).toFixed(marks.places);
    if (Number(rounded) === Math.trunc(Number(rounded))) {
      rounded = Math.trunc(Number(rounded)).toString();
    }
    var negative = rounded.charAt(0) === "-" && Number(rounded) !== 0;
    var parts = rounded.replace("-", "").split(".");
    var whole = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, marks.thousands);
    return (negative ? "-" : "") + (parts.length > 1 ? whole + marks.decimal + parts[1] : whole);
  }

  function tooltipLabel(context) {
    var value = context.parsed.x !== undefined && context.chart.options.indexAxis === "y"
      ? context.parsed.x : context.parsed.y;
    return (context.dataset.label ? context.dataset.label + ": " : "") + formatNumber(value);
  }

  function options(rtl, extra) {
    var reduced = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    var base = {
      responsive: true,
      maintainAspectRatio: false,
      locale: document.documentElement.lang || undefined,
      animation: reduced ? false : {},
      plugins: {
        legend: { position: "bottom", rtl: rtl, textDirection: rtl ? "rtl" : "ltr" },
        tooltip: { rtl: rtl, textDirection: rtl ? "rtl" : "ltr",
                   callbacks: { label: tooltipLabel } }
      }
    };
    return Object.assign(base, extra || {});
  }

  function bar(id, part, colours, rtl) {
    var canvas = document.getElementById(id);
    if (!canvas || !part) { return; }
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: part.labels,
        datasets: [{ data: part.values, backgroundColor: colours }]
      },
      options: options(rtl, {
        indexAxis: "y",
        plugins: { legend: { display: false } },
        scales: { x: { beginAtZero: true, reverse: rtl,
                       ticks: { precision: 0, callback: formatNumber } } }
      })
    });
  }

  function lines(id, part, rtl) {
    var canvas = document.getElementById(id);
    if (!canvas || !part) { return; }
    new window.Chart(canvas, {
      type: "line",
      data: {
        labels: part.labels,
        datasets: part.series.map(function (series, index) {
          var colour = LINE_COLOURS[index % LINE_COLOURS.length];
          return { label: series.label, data: series.values, borderColor: colour,
                   backgroundColor: colour, spanGaps: true, pointRadius: 3 };
        })
      },
      options: options(rtl, { scales: { x: { reverse: rtl },
                                        y: { beginAtZero: true,
                                             ticks: { callback: formatNumber } } } })
    });
  }

  function draw() {
    if (typeof window.Chart === "undefined") { return; }
    var rtl = document.documentElement.dir === "rtl";
    var source = document.getElementById("dashboard-data");
    if (source) {
      var data = JSON.parse(source.textContent);
      marks = data.numbers || marks;
      bar("chart-tasks", data.tasks, COLOURS, rtl);
      bar("chart-targets", data.targets, TARGET_COLOURS, rtl);
      lines("chart-trend", data.trend, rtl);
    }
    var indicator = document.getElementById("indicator-data");
    if (indicator) {
      var part = JSON.parse(indicator.textContent);
      marks = part.numbers || marks;
      lines("chart-indicator", part, rtl);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
}());
