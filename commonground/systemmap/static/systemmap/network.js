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
    // On a phone: names of the busiest organisations only, in smaller type, a legend
    // that wraps instead of scrolling, and the graph pulled in from the edges.
    const narrow = (el.clientWidth || 800) < 640;
    const named = new Set(
      [...data.nodes].sort((a, b) => b.degree - a.degree).slice(0, narrow ? 3 : 10).map((n) => n.id),
    );
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
      // Named on the map: the partnership, the path, and the best-connected few (ten on a
      // wide screen, three on a phone); every other name shows when its node is
      // pointed at or tapped.
      label: { show: named.has(n.id) || n.on_path || n.category === "partnership" },
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
      legend: [
        narrow
          ? { data: categories.map((c) => c.name), type: "plain", bottom: 0, left: 0, right: 0, itemWidth: 14, itemGap: 6, textStyle: { fontSize: 10 } }
          : { data: categories.map((c) => c.name), type: "scroll", bottom: 0 },
      ],
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
          // The layout is worked out before it is drawn (no settling animation), so the
          // labels are placed once, on the final positions, and overlapping ones hidden.
          force: narrow
            ? { repulsion: 200, edgeLength: [40, 100], gravity: 0.15, layoutAnimation: false }
            : { repulsion: 280, edgeLength: [50, 140], gravity: 0.1, layoutAnimation: false },
          zoom: narrow ? 0.6 : 0.8,
          labelLayout: { hideOverlap: true },
          top: 10,
          bottom: narrow ? 110 : 50,
          emphasis: { focus: "adjacency", label: { show: true } },
          // Names are cut to a width ("…"; the full name is in the tooltip and the
          // tables below) and drawn on a white halo so crossing lines do not hide them.
          label: {
            position: "right",
            fontSize: narrow ? 10 : 11,
            width: narrow ? 90 : 150,
            overflow: "truncate",
            ellipsis: "…",
            textBorderColor: "#fff",
            textBorderWidth: 3,
          },
        },
      ],
    });
    window.addEventListener("resize", () => chart.resize());
  }

  document.addEventListener("DOMContentLoaded", draw);
})();
