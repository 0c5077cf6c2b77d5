// Chengdu district map: the eight county cities coloured by population, the rest in grey.
(function () {
  const el = document.getElementById("county-map");
  if (!el || !window.echarts) return;
  const data = JSON.parse(document.getElementById("map-data").textContent);
  const chart = echarts.init(el);
  chart.setOption({
    tooltip: {
      trigger: "item",
      formatter: (p) => p.data ? `${p.data.label}<br>${p.data.population_label}` : p.name,
    },
    visualMap: {
      min: data.min, max: data.max, left: 10, bottom: 10, calculable: true,
      text: [data.legend_high, data.legend_low], inRange: { color: ["#fde4d8", "#b3261e"] },
    },
    series: [{
      type: "map", map: "成都", roam: true, name: data.title,
      label: { show: true, fontSize: 10 },
      itemStyle: { areaColor: "#e9ecef", borderColor: "#fff" },
      data: data.regions,
    }],
  });
  el.dataset.ready = "1";
  el.dataset.regions = String(data.regions.length);
  window.addEventListener("resize", () => chart.resize());
})();
