// Chengdu district map: the eight county cities shaded by census population and clickable to their region
// page; central districts in grey. data-ready="1" on the container tells tests and users the map is drawn.
(function () {
  const map = window.countybridgeChengduMap("county-map", "map-data");
  if (!map) return;
  const { el, data } = map;
  const L = data.labels;
  const fmt = (n) => (n === null || n === undefined ? "—" : Number(n).toLocaleString("zh-CN"));
  const chart = echarts.init(el, null, { renderer: "canvas" });
  // registered before setOption: the first render can finish synchronously inside it
  chart.on("finished", () => { el.dataset.ready = "1"; });
  chart.setOption({
    tooltip: {
      trigger: "item",
      formatter: (p) => {
        const d = p.data;
        if (!d) return p.name;
        if (!d.county_city) return `${d.display}<br><small>${L.other}</small>`;
        return [
          `<b>${d.display}</b>`,
          `${L.population}: ${fmt(d.value)}`,
          `${L.hospitals}: ${fmt(d.secondary_hospitals)} (${L.synthetic})`,
          `${L.schools}: ${fmt(d.schools)} (${L.synthetic})`,
          L.open && d.url ? `<small>${L.open}</small>` : "",
        ].filter(Boolean).join("<br>");
      },
    },
    visualMap: {
      type: "continuous", min: data.min, max: data.max, left: 10, bottom: 10, calculable: false,
      text: [data.legend_high, data.legend_low], inRange: { color: ["#fde4d8", "#b3261e"] },
      formatter: (v) => fmt(Math.round(v)),
    },
    title: { text: data.title, left: 10, top: 8, textStyle: { fontSize: 13, fontWeight: "normal", color: "#5b6b78" } },
    series: [{
      type: "map", map: "成都", roam: true, name: data.title, selectedMode: false,
      labelLayout: { hideOverlap: true },  // the small central districts would print over each other
      label: {
        show: true, fontSize: 10, color: "#1d2b36",
        formatter: (p) => (p.data ? p.data.display : p.name),
      },
      emphasis: { label: { show: true, fontWeight: "bold" }, itemStyle: { areaColor: "#f7b267" } },
      itemStyle: { areaColor: "#e9ecef", borderColor: "#fff" },
      data: data.regions,
    }],
  });
  chart.on("click", (p) => {
    if (p.data && p.data.url) window.location.href = p.data.url;
  });
  el.dataset.countyCities = String(data.county_cities);
  el.dataset.regions = String(data.regions.length);
  window.addEventListener("resize", () => chart.resize());
})();
