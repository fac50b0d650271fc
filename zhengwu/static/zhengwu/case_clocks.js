/* The clocks of a case on a timeline (ECharts): one bar per clock from its day zero to its due date,
 * pauses shaded, a line for today. The data comes from a json_script element next to the chart; the
 * chart is drawn again whenever htmx swaps a new case panel in. No inline script (CSP). */
(function () {
  "use strict";

  var DAY = 86400000;
  var STATUS_COLORS = { running: "#1e88e5", paused: "#fb8c00", stopped: "#9e9e9e" };

  function day(iso) {
    var parts = iso.split("-");
    return new Date(+parts[0], +parts[1] - 1, +parts[2]).getTime();
  }

  // Tooltips are HTML: labels carry staff free text (a pause reason), so they are escaped as text.
  function esc(text) {
    return window.echarts.format.encodeHTML(String(text == null ? "" : text));
  }

  function fmt(ms) {
    var d = new Date(ms);
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }

  function rect(params, api, heightShare) {
    var start = api.coord([api.value(1), api.value(0)]);
    var end = api.coord([api.value(2), api.value(0)]);
    var height = api.size([0, 1])[1] * heightShare;
    return window.echarts.graphic.clipRectByRect(
      { x: start[0], y: start[1] - height / 2, width: Math.max(end[0] - start[0], 2), height: height },
      { x: params.coordSys.x, y: params.coordSys.y, width: params.coordSys.width, height: params.coordSys.height }
    );
  }

  function draw(el) {
    var source = document.getElementById(el.getAttribute("data-source"));
    if (!window.echarts || !source) return;
    var data = JSON.parse(source.textContent);
    var rows = data.rows || [];
    if (!rows.length) return;
    var today = day(data.today);
    var bars = [];
    var pauses = [];
    var low = today;
    var high = today;
    rows.forEach(function (row, i) {
      var start = day(row.start);
      var end = day(row.end) + DAY;
      low = Math.min(low, start);
      high = Math.max(high, end);
      bars.push({
        value: [i, start, end],
        row: row,
        itemStyle: { color: STATUS_COLORS[row.status] || STATUS_COLORS.running, opacity: row.provisional ? 0.55 : 0.9 }
      });
      row.pauses.forEach(function (pause) {
        // A pause (s, e]: the notice day s still counts, e is the last day not counted.
        pauses.push({ value: [i, day(pause.start) + DAY, day(pause.end) + DAY], pause: pause });
      });
    });
    el.style.height = 90 + rows.length * 42 + "px";
    var chart = window.echarts.getInstanceByDom(el) || window.echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      grid: { left: 8, right: 24, top: 28, bottom: 26, containLabel: true },
      tooltip: {
        formatter: function (p) {
          if (p.data.pause) {
            return esc(p.data.pause.label) + "<br>" + p.data.pause.start + " 至 " + (p.data.pause.open ? "今天（进行中）" : p.data.pause.end);
          }
          var r = p.data.row;
          return esc(r.label) + "（" + esc(r.statusLabel) + "）<br>起算日 " + r.start + "<br>到期日 " + (r.due ? r.due + (r.provisional ? "（预计）" : "") : "待定");
        }
      },
      xAxis: {
        type: "time",
        position: "top",
        min: low - DAY,
        max: high + DAY,
        axisLabel: { formatter: function (v) { return fmt(v).slice(5); }, hideOverlap: true },
        splitLine: { show: true, lineStyle: { color: "#eee" } }
      },
      yAxis: {
        type: "category",
        inverse: true,
        data: rows.map(function (r) { return r.label; }),
        axisTick: { show: false }
      },
      series: [
        {
          type: "custom",
          name: "时限",
          encode: { x: [1, 2], y: 0 },
          data: bars,
          renderItem: function (params, api) {
            var shape = rect(params, api, 0.5);
            return shape && { type: "rect", shape: shape, style: api.style() };
          },
          markLine: {
            silent: true,
            symbol: "none",
            lineStyle: { color: "#b71c1c", type: "dashed", width: 1.5 },
            label: { formatter: "今天", color: "#b71c1c", position: "end" },
            data: [{ xAxis: today + DAY / 2 }]
          }
        },
        {
          type: "custom",
          name: "暂停",
          encode: { x: [1, 2], y: 0 },
          data: pauses,
          z: 3,
          renderItem: function (params, api) {
            var shape = rect(params, api, 0.8);
            return shape && {
              type: "rect",
              shape: shape,
              style: { fill: "rgba(120,120,120,0.28)", stroke: "#777", lineDash: [3, 2] }
            };
          }
        }
      ]
    }, true);
  }

  function scan(root) {
    var scope = root && root.querySelectorAll ? root : document;
    var charts = scope.querySelectorAll("[data-clock-chart]");
    for (var i = 0; i < charts.length; i++) draw(charts[i]);
  }

  document.addEventListener("DOMContentLoaded", function () { scan(document); });
  document.addEventListener("htmx:load", function (event) { scan(event.target); });
  document.addEventListener("htmx:beforeSwap", function (event) {
    var old = event.detail.target ? event.detail.target.querySelectorAll("[data-clock-chart]") : [];
    for (var i = 0; i < old.length; i++) {
      var instance = window.echarts && window.echarts.getInstanceByDom(old[i]);
      if (instance) instance.dispose();
    }
  });
  window.addEventListener("resize", function () {
    var charts = document.querySelectorAll("[data-clock-chart]");
    for (var i = 0; i < charts.length; i++) {
      var instance = window.echarts && window.echarts.getInstanceByDom(charts[i]);
      if (instance) instance.resize();
    }
  });
})();
