// Health-check charts: means per question (with previous round and reference), and the yearly trend.
document.addEventListener("DOMContentLoaded", () => {
  if (!window.echarts) return;
  const num = (v) => (v === null || v === undefined || v === "" ? null : Number(v));
  const read = (id) => {
    const el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  };
  const short = (s) => (s.length > 48 ? s.slice(0, 46) + "…" : s);

  const meansEl = document.getElementById("hc-means");
  const means = read("hc-means-data");
  if (meansEl && means) {
    const series = [
      { name: means.names.current, type: "bar", data: means.current.map(num), itemStyle: { color: "#107a68" } },
    ];
    if (means.previous.some((v) => v !== null)) {
      series.push({ name: means.names.previous, type: "bar", data: means.previous.map(num), itemStyle: { color: "#9aa5b1" } });
    }
    if (means.reference.some((v) => v !== null)) {
      series.push({
        name: means.names.reference,
        type: "scatter",
        symbol: "diamond",
        symbolSize: 11,
        data: means.reference.map(num),
        itemStyle: { color: "#b45309" },
      });
    }
    const chart = window.echarts.init(meansEl);
    chart.setOption({
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: {},
      grid: { left: 10, right: 30, top: 40, bottom: 30, containLabel: true },
      xAxis: { type: "value", min: 1, max: 5 },
      yAxis: {
        type: "category",
        inverse: true,
        data: means.labels,
        axisLabel: { width: 300, overflow: "truncate" },
      },
      series,
    });
    meansEl.style.height = Math.max(340, means.labels.length * 34 + 80) + "px";
    chart.resize();
    window.addEventListener("resize", () => chart.resize());
  }

  const trendEl = document.getElementById("hc-trend");
  const trend = read("hc-trend-data");
  if (trendEl && trend) {
    const chart = window.echarts.init(trendEl);
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { type: "scroll", bottom: 0 },
      grid: { left: 40, right: 30, top: 20, bottom: 60 },
      xAxis: { type: "category", data: trend.rounds.map((r) => r.period) },
      yAxis: { type: "value", min: 1, max: 5 },
      // Each question's baseline (the source's mean for it) as a dashed line in the question's colour.
      series: trend.series.map((s) => {
        const line = { name: short(s.label), type: "line", data: s.values.map(num) };
        if (s.baseline !== null && s.baseline !== undefined) {
          line.markLine = {
            silent: true,
            symbol: "none",
            lineStyle: { type: "dashed", width: 1 },
            label: { show: false },
            data: [{ yAxis: num(s.baseline) }],
          };
        }
        return line;
      }),
    });
    window.addEventListener("resize", () => chart.resize());
  }
});
