// Indicator chart: measurements, the target line as it stood over time, and revision markers.
document.addEventListener("DOMContentLoaded", () => {
  const el = document.getElementById("indicator-chart");
  const dataEl = document.getElementById("indicator-chart-data");
  if (!el || !dataEl || !window.echarts) return;
  const data = JSON.parse(dataEl.textContent);
  const num = (v) => (v === null || v === undefined ? null : Number(v));
  const lang = document.documentElement.lang || "en";
  const t = lang.startsWith("nb")
    ? { actual: "Målt", target: "Mål", revised: "Mål revidert", baseline: "Utgangspunkt", band: "Bånd" }
    : { actual: "Measured", target: "Target", revised: "Target revised", baseline: "Baseline", band: "Band" };
  const series = [
    {
      name: t.actual,
      type: "line",
      data: data.points.map((p) => [p[0], num(p[1])]),
      symbolSize: 7,
      markLine: {
        symbol: "none",
        label: { formatter: (p) => p.name, position: "insideEndTop" },
        lineStyle: { type: "dotted", color: "#b45309" },
        data: data.revisions.map((r) => ({ name: `${t.revised}: ${r.label}`, xAxis: r.date })),
      },
    },
  ];
  if (data.target.length) {
    series.push({
      name: t.target,
      type: "line",
      step: false,
      data: data.target.map((p) => [p[0], num(p[1])]),
      lineStyle: { type: "dashed" },
      symbol: "none",
    });
  }
  if (data.band) {
    series[0].markArea = {
      itemStyle: { color: "rgba(16, 122, 104, 0.08)" },
      data: [[{ name: t.band, yAxis: num(data.band[0]) }, { yAxis: num(data.band[1]) }]],
    };
  }
  const chart = window.echarts.init(el);
  chart.setOption({
    tooltip: { trigger: "axis" },
    legend: {},
    grid: { left: 50, right: 30, top: 40, bottom: 40 },
    xAxis: { type: "time" },
    yAxis: { type: "value", name: data.unit || "", scale: true, max: data.qualitative ? 5 : null },
    series,
  });
  window.addEventListener("resize", () => chart.resize());
});
