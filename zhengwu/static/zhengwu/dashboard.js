/* 效能监督 charts (ECharts): the ranking of the units by the chosen metric and its monthly trend.
 * The data comes from the json_script element "dash-data"; no inline script (CSP). */
(function () {
  "use strict";

  function suffix(unit) { return unit === "%" ? "%" : ""; }

  function ranking(el, data) {
    var rows = data.ranking.slice().reverse();  // the best on top of a horizontal bar chart
    el.style.height = Math.max(160, 60 + rows.length * 26) + "px";
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: function (v) { return v + suffix(data.unit) + (data.unit !== "%" ? " " + data.unit : ""); } },
      xAxis: { type: "value", axisLabel: { formatter: "{value}" + suffix(data.unit) } },
      yAxis: { type: "category", data: rows.map(function (r) { return r.name; }), axisLabel: { width: 140, overflow: "truncate" } },
      series: [{
        type: "bar",
        data: rows.map(function (r) { return r.value; }),
        itemStyle: { color: "#1e88e5" },
        label: { show: true, position: "right", formatter: function (p) { return p.value + suffix(data.unit); } }
      }]
    });
    return chart;
  }

  function trend(el, data) {
    el.style.height = "260px";
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      grid: { left: 8, right: 24, top: 24, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: data.trend.map(function (r) { return r.month; }) },
      yAxis: { type: "value", axisLabel: { formatter: "{value}" + suffix(data.unit) } },
      series: [{ type: "line", connectNulls: false, data: data.trend.map(function (r) { return r.value; }), itemStyle: { color: "#43a047" }, name: data.metric }]
    });
    return chart;
  }

  function draw() {
    var source = document.getElementById("dash-data");
    if (!window.echarts || !source) return;
    var data = JSON.parse(source.textContent);
    var charts = [];
    document.querySelectorAll("[data-dash-chart]").forEach(function (el) {
      var kind = el.getAttribute("data-dash-chart");
      if (kind === "ranking" && data.ranking.length) charts.push(ranking(el, data));
      if (kind === "trend" && data.trend.length) charts.push(trend(el, data));
    });
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
