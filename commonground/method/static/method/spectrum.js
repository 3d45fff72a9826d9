// Relationship spectrum chart: one row per dimension, circles sized by how many gave each rating.
document.addEventListener("DOMContentLoaded", () => {
  const el = document.getElementById("spectrum-chart");
  const source = document.getElementById("spectrum-data");
  if (!el || !source || !window.echarts) return;
  const data = JSON.parse(source.textContent);
  const dims = data.dimensions;
  const points = (key) => {
    const out = [];
    data[key].forEach((counts, row) => {
      counts.forEach((n, i) => { if (n > 0) out.push([i + 1 + (key === "aim_counts" ? 0.18 : -0.18), row, n]); });
    });
    return out;
  };
  const chart = window.echarts.init(el);
  const size = (v) => 8 + Math.sqrt(v[2]) * 9;
  chart.setOption({
    grid: { left: 190, right: 30, top: 40, bottom: 40 },
    legend: { top: 0 },
    tooltip: { formatter: (p) => `${dims[p.value[1]]}<br>${p.seriesName}: ${Math.round(p.value[0])} — ${p.value[2]}` },
    xAxis: { type: "value", min: 0.5, max: 5.5, interval: 0.5, name: data.labels.axis, nameLocation: "middle", nameGap: 28,
      splitLine: { show: false },
      axisLabel: { formatter: (v) => (Number.isInteger(v) ? String(v) : "") } },
    yAxis: { type: "category", data: dims, inverse: true, axisLabel: { width: 170, overflow: "break" } },
    series: [
      { name: data.labels.now, type: "scatter", data: points("now_counts"), symbolSize: size, itemStyle: { color: "#2563eb", opacity: 0.75 } },
      { name: data.labels.aim, type: "scatter", data: points("aim_counts"), symbolSize: size, itemStyle: { color: "#15803d", opacity: 0.75 } },
    ],
  });
  window.addEventListener("resize", () => chart.resize());
});
