// Draws the dashboard's charts from the JSON block the page carries
// (no inline script: Content-Security-Policy). Hidden counts ("<10",
// "suppressed") arrive as null and are left as gaps; the table beside each
// chart holds every figure, so the charts are decoration for sighted readers.
(function () {
  "use strict";
  var COLOURS = ["#1d70b8", "#d4351c", "#00703c", "#6f72af", "#f47738"];

  function draw(canvas, chart) {
    var horizontal = chart.type === "horizontal";
    new window.Chart(canvas, {
      type: chart.type === "line" ? "line" : "bar",
      data: {
        labels: chart.labels,
        datasets: chart.series.map(function (series, index) {
          return {
            label: series.label,
            data: series.values,
            backgroundColor: COLOURS[index % COLOURS.length],
            borderColor: COLOURS[index % COLOURS.length],
            spanGaps: false
          };
        })
      },
      options: {
        indexAxis: horizontal ? "y" : "x",
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: chart.series.length > 1 } },
        scales: { x: { beginAtZero: true }, y: { beginAtZero: true } }
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var block = document.getElementById("dashboard-charts");
    if (!block || !window.Chart) { return; }
    JSON.parse(block.textContent).forEach(function (chart) {
      var canvas = document.querySelector('canvas[data-chart="' + chart.key + '"]');
      if (canvas) { draw(canvas, chart); }
    });
  });
})();
