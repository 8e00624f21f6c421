// Draws the report charts with the vendored Chart.js. Progressive: each chart's
// numbers are also in the page's table, so without JavaScript nothing is lost.
// A chart is a <canvas id="X"> next to <script type="application/json" id="X-data">.
(function () {
  "use strict";
  var COLOURS = ["#1d4ed8", "#15803d", "#b91c1c", "#b45309", "#7c3aed"];

  function draw(canvas) {
    var source = document.getElementById(canvas.id + "-data");
    if (!source || typeof window.Chart === "undefined") return;
    var spec = JSON.parse(source.textContent);
    spec.datasets.forEach(function (dataset, i) {
      var colour = COLOURS[i % COLOURS.length];
      dataset.borderColor = colour;
      dataset.backgroundColor = colour;
      dataset.tension = 0.2;
      dataset.pointRadius = spec.labels.length > 60 ? 0 : 2;
    });
    new window.Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets: spec.datasets },
      options: {
        animation: false,
        interaction: { mode: "index", intersect: false },
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
      },
    });
  }

  function start() {
    document.querySelectorAll("canvas[id]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
