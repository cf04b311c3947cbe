// A round's statistics charts (vendored Chart.js): entries over time, scores, questions, units.
// The data, labels already translated, comes from <script type="application/json" id="online-charts-data">.
(function () {
  "use strict";
  const source = document.getElementById("online-charts-data");
  if (!source || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const red = "#b3261e", gold = "#f2c230", blue = "#1f4e8c", green = "#1e6b3a";

  function bars(set, colour) {
    return Object.assign({ backgroundColor: colour, borderColor: colour }, set);
  }

  const build = {
    times: (d) => ({
      type: "bar",
      data: { labels: d.labels, datasets: d.datasets.map((s) => bars(s, red)) },
      options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
    }),
    scores: (d) => ({
      type: "bar",
      data: { labels: d.labels, datasets: d.datasets.map((s) => bars(s, blue)) },
      options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
    }),
    // Share correct (0–100 %) as bars, discrimination (−1..1) as points on a second axis.
    questions: (d) => ({
      type: "bar",
      data: {
        labels: d.labels,
        datasets: d.datasets.map((s) =>
          s.key === "discrimination"
            ? Object.assign({ type: "line", yAxisID: "y2", showLine: false, pointRadius: 5,
                backgroundColor: gold, borderColor: "#8a6d00" }, s)
            : bars(Object.assign({ yAxisID: "y" }, s), green)),
      },
      options: {
        scales: {
          y: { min: 0, max: 100, position: "left" },
          y2: { min: -1, max: 1, position: "right", grid: { drawOnChartArea: false } },
        },
        plugins: { tooltip: { callbacks: { title: (items) => d.titles[items[0].dataIndex] } } },
      },
    }),
    units: (d) => ({
      type: "bar",
      data: {
        labels: d.labels,
        datasets: d.datasets.map((s) =>
          s.key === "rate" ? bars(Object.assign({ xAxisID: "x" }, s), red)
                           : bars(Object.assign({ xAxisID: "x2" }, s), blue)),
      },
      options: {
        indexAxis: "y",
        scales: {
          x: { beginAtZero: true, position: "bottom" },
          x2: { beginAtZero: true, position: "top", grid: { drawOnChartArea: false }, ticks: { precision: 0 } },
        },
      },
    }),
  };

  document.querySelectorAll("canvas[data-chart]").forEach((canvas) => {
    const key = canvas.dataset.chart;
    if (!data[key] || !build[key]) return;
    const config = build[key](data[key]);
    config.options = Object.assign({ maintainAspectRatio: false, animation: false }, config.options);
    new Chart(canvas, config);
  });
})();
