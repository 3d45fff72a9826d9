// The system map as an ECharts force-directed graph. The page works without
// this file: the same nodes and edges are in the tables below the chart.
(() => {
  const COLOURS = {
    public: "#2f6690",
    private: "#d1495b",
    civil: "#3a7d44",
    knowledge: "#7b5ea7",
    funder: "#edae49",
    multilateral: "#00798c",
    residents: "#c46d2b",
    partnership: "#30343f",
  };

  function draw() {
    const el = document.getElementById("systemmap-chart");
    const source = document.getElementById("systemmap-data");
    if (!el || !source || typeof echarts === "undefined") return;
    const data = JSON.parse(source.textContent);
    const catIndex = {};
    const categories = data.categories.map((c, i) => {
      catIndex[c.code] = i;
      return { name: c.name, itemStyle: { color: COLOURS[c.code] || "#888" } };
    });
    const nodes = data.nodes.map((n) => ({
      id: n.id,
      name: n.name,
      category: catIndex[n.category] ?? 0,
      value: n.degree,
      symbolSize: n.category === "partnership" ? 34 : 8 + 5 * Math.sqrt(n.degree),
      symbol: n.category === "partnership" ? "roundRect" : "circle",
      itemStyle: n.on_path ? { borderColor: "#000", borderWidth: 3 } : undefined,
      label: { show: n.degree >= 5 || n.on_path || n.category === "partnership" },
    }));
    const links = data.links.map((l) => ({
      source: l.source,
      target: l.target,
      value: l.label,
      lineStyle: { type: l.dashed ? "dashed" : "solid", opacity: 0.55 },
    }));
    const chart = echarts.init(el);
    chart.setOption({
      tooltip: {
        formatter: (p) =>
          p.dataType === "edge"
            ? `${echarts.format.encodeHTML(p.data.value)}`
            : `${echarts.format.encodeHTML(p.data.name)} · ${p.data.value}`,
      },
      legend: [{ data: categories.map((c) => c.name), type: "scroll", bottom: 0 }],
      series: [
        {
          type: "graph",
          layout: "force",
          roam: true,
          draggable: true,
          data: nodes,
          links,
          categories,
          edgeSymbol: ["none", "arrow"],
          edgeSymbolSize: 6,
          force: { repulsion: 280, edgeLength: [50, 140], gravity: 0.1 },
          zoom: 0.9,
          labelLayout: { hideOverlap: true },
          top: 10,
          bottom: 50,
          emphasis: { focus: "adjacency" },
          label: { position: "right", fontSize: 11 },
        },
      ],
    });
    window.addEventListener("resize", () => chart.resize());
  }

  document.addEventListener("DOMContentLoaded", draw);
})();
