// Attendance trend: reads the data the page printed with json_script.
document.addEventListener("DOMContentLoaded", () => {
  const el = document.getElementById("attendance-chart");
  const data = document.getElementById("attendance-data");
  if (!el || !data || typeof echarts === "undefined") return;
  const rows = JSON.parse(data.textContent);
  const chart = echarts.init(el);
  chart.setOption({
    tooltip: { trigger: "axis" },
    grid: { left: 36, right: 12, top: 20, bottom: 60 },
    xAxis: { type: "category", data: rows.map((r) => r.date), axisLabel: { rotate: 30 } },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      { name: el.dataset.presentLabel || "Present", type: "line", data: rows.map((r) => r.present), smooth: true, areaStyle: { opacity: 0.15 } },
    ],
  });
  window.addEventListener("resize", () => chart.resize());
});
