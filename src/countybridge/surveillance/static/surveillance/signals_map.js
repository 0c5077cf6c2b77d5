// Chengdu map of open signals per county city (ECharts and the map outlines served locally).
// data-ready="1" on the container tells tests and users the map is drawn.
(function () {
  const map = window.countybridgeChengduMap("signal-map", "signal-map-data");
  if (!map) return;
  const { el, data } = map;
  const L = data.labels;
  const chart = echarts.init(el, null, { renderer: "canvas" });
  chart.on("finished", () => { el.dataset.ready = "1"; });
  chart.setOption({
    title: { text: L.title, left: 10, top: 8, textStyle: { fontSize: 13, fontWeight: "normal", color: "#5b6b78" } },
    tooltip: {
      trigger: "item",
      formatter: (p) => {
        const d = p.data;
        if (!d) return p.name;
        return [`<b>${d.display}</b>`, `${L.open}: ${d.value}`, `${L.escalated}: ${d.escalated}`,
                `${L.recent}: ${d.recent}`].join("<br>");
      },
    },
    visualMap: {
      type: "continuous", min: 0, max: data.max, left: 10, bottom: 10, calculable: false,
      text: [L.high, L.low], inRange: { color: ["#fdf1d8", "#b3261e"] },
    },
    series: [{
      type: "map", map: "成都", roam: true, selectedMode: false,
      labelLayout: { hideOverlap: true },
      label: { show: true, fontSize: 10, formatter: (p) => (p.data ? `${p.data.display} ${p.data.value}` : "") },
      itemStyle: { areaColor: "#e9ecef", borderColor: "#fff" },
      data: data.regions,
    }],
  });
  chart.on("click", (p) => {
    if (p.data && p.data.code) window.location.search = `?region=${p.data.code}`;
  });
  el.dataset.regions = String(data.regions.length);
  window.addEventListener("resize", () => chart.resize());
})();
