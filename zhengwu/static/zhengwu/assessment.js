/* 考核 pages: the bar chart of totals (ECharts, data from a json_script element next to the chart),
 * the print button and the confirmation before publishing. No inline script (CSP). */
(function () {
  "use strict";

  function drawChart(el) {
    var source = document.getElementById(el.getAttribute("data-source"));
    if (!window.echarts || !source) return;
    var data = JSON.parse(source.textContent);
    var rows = data.rows || [];
    if (!rows.length) return;
    el.style.height = Math.max(220, 60 + rows.length * 34) + "px";
    var chart = window.echarts.getInstanceByDom(el) || window.echarts.init(el, null, { renderer: "svg" });
    var names = rows.map(function (r) { return r.rank + ". " + r.name; }).reverse();
    var values = rows.map(function (r) {
      return { value: parseFloat(r.total), itemStyle: { color: r.recommended ? "#b71c1c" : "#90a4ae" } };
    }).reverse();
    chart.setOption({
      animation: false,
      grid: { left: 8, right: 56, top: 16, bottom: 24, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: { type: "value", max: Math.max(parseFloat(data.scale), Math.max.apply(null, values.map(function (v) { return v.value; }))) },
      yAxis: { type: "category", data: names },
      series: [{ type: "bar", data: values, barMaxWidth: 22, label: { show: true, position: "right", formatter: function (p) { return p.value.toFixed(2); } } }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function init() {
    document.querySelectorAll("[data-assessment-chart]").forEach(drawChart);
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
    document.querySelectorAll("button[data-confirm]").forEach(function (button) {
      button.addEventListener("click", function (event) {
        if (!window.confirm(button.getAttribute("data-confirm"))) event.preventDefault();
      });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
