// Draws the contributions Sankey from the JSON in #flow-data. The table below the chart has the same data.
(function () {
  "use strict";
  function draw() {
    const el = document.getElementById("flow-chart");
    const src = document.getElementById("flow-data");
    if (!el || !src || typeof echarts === "undefined") return;
    const data = JSON.parse(src.textContent);
    const kindColours = { funding: "#2a9d8f", in_kind: "#e9c46a", asset: "#8d6cab", data: "#457b9d", other: "#b5838d" };
    const palette = ["#264653", "#2a9d8f", "#e76f51", "#f4a261", "#6d597a", "#457b9d", "#588157", "#bc6c25", "#9c6644", "#386641", "#7f5539", "#3d405b"];
    let i = 0;
    const nodes = data.nodes.map((n) => ({
      name: n.name,
      depth: n.depth,
      label: { formatter: () => n.label },
      itemStyle: { color: n.kind ? kindColours[n.kind] : (n.depth === 2 ? "#8a94a6" : palette[i++ % palette.length]) },
      tooltip: { formatter: () => n.label },
    }));
    const labels = Object.fromEntries(data.nodes.map((n) => [n.name, n.label]));
    const money = new Intl.NumberFormat(document.documentElement.lang || undefined, { maximumFractionDigits: 0 });
    const unit = data.measure === "count" ? "" : " " + data.currency;
    const chart = echarts.init(el, null, { renderer: "svg" });
    // Labels fit the room they have: each column's labels are cut to the gap before the
    // next column ("…"; the full name is in the tooltip and the table), smaller on a phone,
    // and a label that would overlap another is left out rather than drawn over it.
    function layout() {
      const width = el.clientWidth || 800;
      const narrow = width < 640;
      const right = narrow ? Math.min(110, Math.round(width * 0.3)) : 200;
      const nodeWidth = narrow ? 10 : 14;
      const gap = Math.max(40, (width - 8 - right - 3 * nodeWidth) / 2);
      return {
        right,
        nodeWidth,
        nodeGap: narrow ? 8 : 14,
        fontSize: narrow ? 10 : 12,
        inner: Math.round(gap - 10),
        outer: right - 10,
      };
    }
    function options() {
      const l = layout();
      return {
        series: [{
          right: l.right,
          nodeWidth: l.nodeWidth,
          nodeGap: l.nodeGap,
          label: { fontSize: l.fontSize, width: l.inner },
          levels: [
            { depth: 0, label: { width: l.inner } },
            { depth: 1, label: { width: l.inner } },
            { depth: 2, label: { position: "right", width: l.outer } },
          ],
        }],
      };
    }
    chart.setOption({
      animation: false, // draw at once: no moving bands, and screenshots show the whole diagram
      tooltip: {
        trigger: "item",
        formatter: (p) => p.dataType === "edge"
          ? `${labels[p.data.source]} → ${labels[p.data.target]}<br><b>${money.format(p.data.value)}${unit}</b>`
          : `${labels[p.name]}<br><b>${money.format(p.value)}${unit}</b>`,
      },
      series: [{
        type: "sankey",
        left: 8, top: 12, bottom: 12,
        nodeAlign: "justify", layoutIterations: 64,
        draggable: false,
        emphasis: { focus: "adjacency" },
        lineStyle: { color: "gradient", curveness: 0.5, opacity: 0.45 },
        label: { color: "#1f2933", overflow: "truncate", ellipsis: "…" },
        labelLayout: { hideOverlap: true },
        data: nodes,
        links: data.links.map((l) => ({ source: l.source, target: l.target, value: Number(l.value) })),
      }],
    });
    chart.setOption(options());
    window.addEventListener("resize", () => {
      chart.setOption(options());
      chart.resize();
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
