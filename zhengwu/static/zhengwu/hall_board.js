/* 大厅运行 charts (ECharts): waiting/service-time trend, the weekday × hour issue heat map, and the
 * window and staff rankings. Data from the json_script element "hall-data"; no inline script (CSP). */
(function () {
  "use strict";

  function init(el, height) {
    el.style.height = height + "px";
    return window.echarts.init(el, null, { renderer: "svg" });
  }

  function trend(el, data) {
    var chart = init(el, 260);
    chart.setOption({
      animation: false,
      legend: { top: 0 },
      grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: data.trend.labels },
      yAxis: { type: "value", name: "分钟" },
      series: [
        { type: "line", name: "平均等候时长", data: data.trend.wait, itemStyle: { color: "#e53935" } },
        { type: "line", name: "平均办理时长", data: data.trend.service, itemStyle: { color: "#1e88e5" } }
      ]
    });
    return chart;
  }

  function heat(el, data) {
    var chart = init(el, 300);
    chart.setOption({
      animation: false,
      tooltip: { position: "top", formatter: function (p) { return data.heat.days[p.value[1]] + " " + data.heat.hours[p.value[0]] + "：" + p.value[2] + " 张"; } },
      grid: { left: 8, right: 8, top: 8, bottom: 72, containLabel: true },
      xAxis: { type: "category", data: data.heat.hours, splitArea: { show: true } },
      yAxis: { type: "category", data: data.heat.days, inverse: true, splitArea: { show: true } },
      visualMap: { min: 0, max: Math.max(1, data.heat.max), calculable: true, orient: "horizontal", left: "center", bottom: 0, inRange: { color: ["#f1f8e9", "#fdd835", "#e53935"] } },
      series: [{ type: "heatmap", name: "取号量", data: data.heat.cells, label: { show: false } }]
    });
    return chart;
  }

  function bars(el, rows, unit, color) {
    var shown = rows.slice().reverse();  // the best on top of a horizontal bar chart
    var chart = init(el, Math.max(160, 60 + shown.length * 26));
    chart.setOption({
      animation: false,
      grid: { left: 8, right: 56, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: { type: "value", name: unit },
      yAxis: { type: "category", data: shown.map(function (r) { return r.name; }), axisLabel: { width: 140, overflow: "truncate" } },
      series: [{ type: "bar", data: shown.map(function (r) { return r.value; }), itemStyle: { color: color }, label: { show: true, position: "right" } }]
    });
    return chart;
  }

  function draw() {
    var source = document.getElementById("hall-data");
    if (!window.echarts || !source) return;
    var data = JSON.parse(source.textContent);
    var charts = [];
    document.querySelectorAll("[data-hall-chart]").forEach(function (el) {
      var kind = el.getAttribute("data-hall-chart");
      if (kind === "trend" && data.trend.labels.length) charts.push(trend(el, data));
      if (kind === "heat") charts.push(heat(el, data));
      if (kind === "windows" && data.windows.length) charts.push(bars(el, data.windows, "分钟", "#fb8c00"));
      if (kind === "staff" && data.staff.length) charts.push(bars(el, data.staff, "张", "#1e88e5"));
    });
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
