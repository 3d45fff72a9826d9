// Attendance trend: reads the data the page printed with json_script.
const escapeHtml = (s) =>
  String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

document.addEventListener("DOMContentLoaded", () => {
  const el = document.getElementById("attendance-chart");
  const data = document.getElementById("attendance-data");
  if (!el || !data || typeof echarts === "undefined") return;
  const rows = JSON.parse(data.textContent);
  const chart = echarts.init(el);
  chart.setOption({
    tooltip: { trigger: "axis", formatter: (p) => `${escapeHtml(rows[p[0].dataIndex].title)}<br>${p[0].value}` },
    grid: { left: 36, right: 12, top: 20, bottom: 60 },
    xAxis: { type: "category", data: rows.map((r) => r.date), axisLabel: { rotate: 30 } },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      { name: el.dataset.presentLabel || "Present", type: "line", data: rows.map((r) => r.present), showSymbol: true, symbolSize: 8, areaStyle: { opacity: 0.15 } },
    ],
  });
  window.addEventListener("resize", () => chart.resize());
});
