// The bank overview chart: questions per theme, stacked by review status (vendored Chart.js).
(function () {
  "use strict";
  const canvas = document.getElementById("bank-chart");
  const source = document.getElementById("bank-chart-data");
  if (!canvas || !source || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const colours = {
    draft: "#9e9e9e", in_review: "#f2c230", approved: "#1e6b3a", rejected: "#b3261e", retired: "#5f5a57",
  };
  data.datasets.forEach((set) => { set.backgroundColor = colours[set.key]; });
  new Chart(canvas, {
    type: "bar",
    data: data,
    options: {
      indexAxis: "y",
      maintainAspectRatio: false,
      scales: { x: { stacked: true, ticks: { precision: 0 } }, y: { stacked: true } },
    },
  });
})();
