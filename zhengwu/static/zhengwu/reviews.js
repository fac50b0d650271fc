/* 好差评统计 charts (ECharts): reviews per month (good / bad) and the grade distribution.
 * Data from the json_script element "review-data"; no inline script (CSP). */
(function () {
  "use strict";

  function monthly(el, data) {
    el.style.height = "260px";
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      xAxis: { type: "category", data: data.monthly.map(function (r) { return r.month; }) },
      yAxis: { type: "value" },
      series: [
        { name: "好评", type: "bar", stack: "all", data: data.monthly.map(function (r) { return r.good; }), itemStyle: { color: "#43a047" } },
        { name: "差评", type: "bar", stack: "all", data: data.monthly.map(function (r) { return r.bad; }), itemStyle: { color: "#e53935" } }
      ]
    });
    return chart;
  }

  function grades(el, data) {
    el.style.height = "260px";
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      tooltip: { trigger: "item" },
      color: ["#2e7d32", "#66bb6a", "#fdd835", "#fb8c00", "#e53935"],
      series: [{ type: "pie", radius: ["35%", "65%"], data: data.grades, label: { formatter: "{b} {c}" } }]
    });
    return chart;
  }

  function draw() {
    var source = document.getElementById("review-data");
    if (!window.echarts || !source) return;
    var data = JSON.parse(source.textContent);
    var charts = [];
    document.querySelectorAll("[data-review-chart]").forEach(function (el) {
      var kind = el.getAttribute("data-review-chart");
      if (kind === "monthly" && data.monthly.length) charts.push(monthly(el, data));
      if (kind === "grades") charts.push(grades(el, data));
    });
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
