// Epidemic curve of one disease in one county: case counts as bars, the detection threshold as a shaded
// band (0 … threshold), the observed statistic (CIDARS daily: 7-day sum) as a line, stored signals marked.
(function () {
  const el = document.getElementById("epi-curve");
  const source = document.getElementById("curve-data");
  if (!el || !source || !window.echarts) return;
  const c = JSON.parse(source.textContent);
  const L = c.labels;
  const signalAt = new Map(c.signals.map((s) => [s.period, s]));
  const daily7 = c.method === "cidars-daily";
  const chart = echarts.init(el, null, { renderer: "canvas" });
  chart.on("finished", () => { el.dataset.ready = "1"; });
  chart.setOption({
    title: { text: L.title, left: 10, top: 4, textStyle: { fontSize: 14 } },
    tooltip: { trigger: "axis" },
    legend: { top: 4, right: 10 },
    grid: { left: 50, right: 20, top: 40, bottom: 60 },
    dataZoom: [{ type: "inside" }, { type: "slider", height: 18, bottom: 10 }],
    xAxis: { type: "category", data: c.periods },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      { name: L.cases, type: "bar", data: c.counts, itemStyle: { color: "#5b8db8" } },
      {
        name: L.threshold, type: "line", data: c.threshold, step: daily7 ? false : "middle", symbol: "none",
        lineStyle: { color: "#d98c1f", type: "dashed" }, areaStyle: { color: "rgba(217,140,31,0.15)" },
      },
      daily7 ? { name: L.observed, type: "line", data: c.observed, symbol: "none", lineStyle: { color: "#1d2b36" } } : null,
      {
        name: L.signal, type: "scatter", symbolSize: 12, itemStyle: { color: "#b3261e" },
        data: c.periods.map((p, i) => (signalAt.has(p) ? [p, daily7 ? c.observed[i] : c.counts[i]] : null)).filter(Boolean),
      },
    ].filter(Boolean),
  });
  window.addEventListener("resize", () => chart.resize());
})();
