/* Prospects module: copy buttons and charts. Pages work without this file. */
(function () {
  "use strict";

  function setupCopy() {
    document.querySelectorAll(".prospects-copy").forEach(function (button) {
      var target = document.getElementById(button.dataset.copyTarget);
      if (!target || !navigator.clipboard) { return; }
      button.hidden = false;
      var label = button.textContent;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(target.value).then(function () {
          button.textContent = button.dataset.copied || label;
          window.setTimeout(function () { button.textContent = label; }, 2000);
        });
      });
    });
  }

  function readData(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function setupCharts() {
    if (typeof window.echarts === "undefined") { return; }
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var data = readData(el.dataset.source);
      if (!data) { return; }
      var chart = window.echarts.init(el);
      if (el.dataset.chart === "bar") {
        chart.setOption({
          grid: { left: 8, right: 16, top: 8, bottom: 8, containLabel: true },
          xAxis: { type: "value", minInterval: 1 },
          yAxis: { type: "category", data: data.labels, inverse: true, axisLabel: { width: 160, overflow: "truncate" } },
          series: [{ type: "bar", data: data.values, itemStyle: { color: "#0f766e" } }],
          tooltip: {}
        });
      } else if (el.dataset.chart === "radar") {
        var d = data[el.dataset.key];
        if (!d) { return; }
        chart.setOption({
          radar: { indicator: d.dimensions.map(function (name) { return { name: name, max: 5 }; }), radius: "65%" },
          series: [{ type: "radar", data: [{ value: d.values, name: "" }], areaStyle: { opacity: 0.25 }, itemStyle: { color: "#0f766e" } }],
          tooltip: {}
        });
      }
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  function init() { setupCopy(); setupCharts(); }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else { init(); }
})();
