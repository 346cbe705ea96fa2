// Draws the dashboard's charts from the JSON block the page carries
// (no inline script: Content-Security-Policy). A count hidden for
// publication arrives as null with a mark (figures.py, chart_mark), and is
// drawn, never left as a silent gap: "<10" as a hatched bar up to the
// threshold, labelled "<10" (it is somewhere under it); "suppressed" (at
// least the threshold, by how much unknown) as its label at the foot of the
// bar, with no bar to misread. The table beside each chart holds every
// figure, for screen readers and copying.
(function () {
  "use strict";
  var COLOURS = ["#1d70b8", "#d4351c", "#00703c", "#6f72af", "#f47738"];
  var INK = "#0b0c0c";

  // Diagonal stripes of the series' colour on white: "not an exact value".
  function hatch(colour) {
    var tile = document.createElement("canvas");
    tile.width = tile.height = 8;
    var pen = tile.getContext("2d");
    pen.fillStyle = "#ffffff";
    pen.fillRect(0, 0, 8, 8);
    pen.strokeStyle = colour;
    pen.lineWidth = 2;
    pen.beginPath();
    pen.moveTo(-2, 2); pen.lineTo(2, -2);
    pen.moveTo(0, 8); pen.lineTo(8, 0);
    pen.moveTo(6, 10); pen.lineTo(10, 6);
    pen.stroke();
    return pen.createPattern(tile, "repeat");
  }

  function markAt(series, index) {
    return (series.marks || [])[index] || null;
  }

  // Writes each mark's text at the end of its hatched bar, or at the foot of
  // the axis for a mark with no bar.
  var markLabels = {
    id: "dashboardMarks",
    afterDatasetsDraw: function (chart) {
      var horizontal = chart.options.indexAxis === "y";
      var values = horizontal ? chart.scales.x : chart.scales.y;
      var indexes = horizontal ? chart.scales.y : chart.scales.x;
      var context = chart.ctx;
      context.save();
      context.fillStyle = INK;
      context.font = "600 12px system-ui, -apple-system, 'Segoe UI', sans-serif";
      chart.data.datasets.forEach(function (dataset, datasetIndex) {
        var meta = chart.getDatasetMeta(datasetIndex);
        if (!chart.isDatasetVisible(datasetIndex)) { return; }
        (dataset.marks || []).forEach(function (mark, index) {
          if (!mark) { return; }
          var element = meta.data[index];
          var along = element ? (horizontal ? element.y : element.x) : NaN;
          if (!isFinite(along)) { along = indexes.getPixelForValue(index); }
          var end = values.getPixelForValue(mark.up_to !== null ? mark.up_to : 0);
          if (horizontal) {
            context.textAlign = "left";
            context.textBaseline = "middle";
            context.fillText(mark.text, end + 4, along);
          } else {
            context.textAlign = "center";
            context.textBaseline = "bottom";
            context.fillText(mark.text, along, end - 3);
          }
        });
      });
      context.restore();
    }
  };

  function draw(canvas, chart) {
    var horizontal = chart.type === "horizontal";
    var line = chart.type === "line";
    var marked = chart.series.some(function (series) { return (series.marks || []).some(Boolean); });
    var valueAxis = { beginAtZero: true, ticks: { precision: 0 } };
    // Room beyond the tallest bar for a mark's label.
    if (marked) { valueAxis.grace = "12%"; }
    new window.Chart(canvas, {
      type: line ? "line" : "bar",
      data: {
        labels: chart.labels,
        datasets: chart.series.map(function (series, index) {
          var colour = COLOURS[index % COLOURS.length];
          var striped = hatch(colour);
          function fill(context) {
            return markAt(series, context.dataIndex) ? striped : colour;
          }
          return {
            label: series.label,
            marks: series.marks || [],
            // A "<10" stands at the threshold; a mark with no bar stays null.
            data: series.values.map(function (value, at) {
              var mark = markAt(series, at);
              return mark ? mark.up_to : value;
            }),
            backgroundColor: fill,
            borderColor: colour,
            borderWidth: line ? 2 : function (context) { return markAt(series, context.dataIndex) ? 1 : 0; },
            pointBackgroundColor: line ? function (context) { return markAt(series, context.dataIndex) ? "#ffffff" : colour; } : undefined,
            pointRadius: line ? function (context) { return markAt(series, context.dataIndex) ? 5 : 3; } : undefined,
            // A line into or out of a "<10" point is dashed: it is not an exact height.
            segment: line ? {
              borderDash: function (context) {
                return markAt(series, context.p0DataIndex) || markAt(series, context.p1DataIndex) ? [5, 4] : undefined;
              }
            } : undefined,
            spanGaps: false
          };
        })
      },
      options: {
        indexAxis: horizontal ? "y" : "x",
        maintainAspectRatio: false,
        animation: false,
        plugins: {
          legend: { display: chart.series.length > 1 },
          tooltip: {
            callbacks: {
              label: function (item) {
                var mark = markAt(item.dataset, item.dataIndex);
                return item.dataset.label + ": " + (mark ? mark.text : item.formattedValue);
              }
            }
          }
        },
        scales: horizontal ? { x: valueAxis, y: {} } : { x: {}, y: valueAxis }
      },
      plugins: [markLabels]
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
