// The self-rating over time as a line chart; the table below carries the same data.
(() => {
  document.addEventListener("DOMContentLoaded", () => {
    const el = document.getElementById("systemmap-rating-chart");
    const source = document.getElementById("systemmap-rating-data");
    if (!el || !source || typeof echarts === "undefined") return;
    const rows = JSON.parse(source.textContent);
    const chart = echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: rows.map((r) => r.date) },
      yAxis: { type: "value", min: 0, max: 10, interval: 2 },
      series: [{ type: "line", data: rows.map((r) => r.rating), step: false, symbolSize: 8 }],
    });
    window.addEventListener("resize", () => chart.resize());
  });
})();
