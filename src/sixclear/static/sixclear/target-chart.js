/* Draws a target's expected path and reported values with Chart.js on the target page, and
   lends the same drawing to the target form's preview (`window.sixclear.targetChart`, loaded
   before plans/target-form.js). The numbers come from a json_script element and the labels
   from the canvas's data attributes, so the pages need no inline script and a strict
   Content-Security-Policy stays possible. */
(function () {
  "use strict";

  // The target page's look; the form's preview passes its own (`config`).
  var PAGE = {
    expected: { borderDash: [6, 4], spanGaps: true },
    options: {
      animation: window.matchMedia("(prefers-reduced-motion: reduce)").matches ? false : {}
    }
  };

  // The page's way of writing numbers (sixclear/numbers.py), not the browser's: grouped by
  // thousands with the language's marks, at most the unit's decimals, none when whole.
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

  function line(label, values, colour, style) {
    return Object.assign({ label: label, data: values, borderColor: colour,
                           backgroundColor: colour }, style);
  }

  // The expected path, its upper bound when a range is expected, and the values measured
  // when the data has them (the form's preview has none).
  function datasets(canvas, data, look) {
    var sets = [line(canvas.dataset.labelExpected, data.expected, "#0b57d0",
                     Object.assign({ pointRadius: 3 }, look.expected))];
    if (data.expected_high.some(function (value) { return value !== null; })) {
      sets.push(line(canvas.dataset.labelExpectedHigh, data.expected_high, "#6b4200",
                     { borderDash: [2, 3], spanGaps: true, pointRadius: 2 }));
    }
    if (data.measured) {
      sets.push(line(canvas.dataset.labelMeasured, data.measured, "#1e6b34",
                     { borderWidth: 3, spanGaps: false, pointRadius: 5,
                       pointStyle: "rectRot" }));
    }
    return sets;
  }

  function options(data, look) {
    var format = formatter(data.numbers || { decimal: ".", thousands: ",", places: 2 });
    var rtl = document.documentElement.dir === "rtl";
    var direction = rtl ? "rtl" : "ltr";
    return Object.assign({
      responsive: true,
      maintainAspectRatio: false,
      locale: document.documentElement.lang || undefined,
      plugins: {
        legend: { position: "bottom", rtl: rtl, textDirection: direction },
        tooltip: {
          rtl: rtl,
          textDirection: direction,
          callbacks: {
            label: function (context) {
              return context.dataset.label + ": " + format(context.parsed.y);
            }
          }
        }
      },
      scales: {
        x: { reverse: rtl },
        y: {
          position: rtl ? "right" : "left",
          ticks: { callback: function (value) { return format(value); } },
          title: { display: Boolean(data.unit_of_measure), text: data.unit_of_measure }
        }
      }
    }, look.options);
  }

  // The Chart.js configuration of a target's chart on `canvas` from its `data`; `look` gives
  // the expected path's line style and options of its own (the target page's by default).
  function config(canvas, data, look) {
    look = look || PAGE;
    return {
      type: "line",
      data: { labels: data.years, datasets: datasets(canvas, data, look) },
      options: options(data, look)
    };
  }

  function draw() {
    var canvas = document.getElementById("target-chart");
    var source = document.getElementById("target-chart-data");
    if (!canvas || !source || typeof window.Chart === "undefined") {
      return;
    }
    new window.Chart(canvas, config(canvas, JSON.parse(source.textContent)));
  }

  window.sixclear = window.sixclear || {};
  window.sixclear.targetChart = { config: config };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
