// EMS pages: county bar chart (index), reach-within chart (county), scenario comparison, and the network
// map (stations, hospitals, demand points coloured by response) on the local Chengdu outlines.
// Each chart sets data-ready="1" on its container when drawn, for tests and users.
(function () {
  if (!window.echarts) return;
  const read = (id) => {
    const el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  };
  const draw = (id, option) => {
    const el = document.getElementById(id);
    if (!el) return null;
    const chart = echarts.init(el, null, { renderer: "canvas" });
    chart.on("finished", () => { el.dataset.ready = "1"; });
    chart.setOption(option);
    window.addEventListener("resize", () => chart.resize());
    return chart;
  };

  const counties = read("ems-county-data");
  if (counties) {
    const L = counties.labels;
    draw("ems-county-chart", {
      tooltip: { trigger: "axis" },
      legend: { data: [L.average, L.p90] },
      xAxis: { type: "category", data: counties.names },
      yAxis: { type: "value", name: "min" },
      series: [
        { name: L.average, type: "bar", data: counties.average,
          markLine: { symbol: "none", data: [{ yAxis: counties.target, name: L.target }], lineStyle: { color: "#b3261e" } } },
        { name: L.p90, type: "bar", data: counties.p90 },
      ],
    });
  }

  const within = read("ems-within-data");
  if (within) {
    draw("ems-within-chart", {
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: within.thresholds.map((t) => `≤ ${t} ${within.unit}`) },
      yAxis: { type: "value", max: 100, name: "%" },
      series: [{ name: within.label, type: "bar", data: within.shares, label: { show: true, position: "top" } }],
    });
  }

  const cmp = read("ems-compare-data");
  if (cmp) {
    const L = cmp.labels;
    const series = [
      { name: L.average, type: "bar", data: cmp.average },
      { name: L.p90, type: "bar", data: cmp.p90 },
      { name: L.cost, type: "line", yAxisIndex: 1, data: cmp.cost_million },
    ];
    Object.keys(cmp.within).forEach((t) => {
      series.push({ name: `${L.within} ${t} min (%)`, type: "line", yAxisIndex: 2, data: cmp.within[t] });
    });
    draw("ems-compare-chart", {
      tooltip: { trigger: "axis" },
      legend: { type: "scroll" },
      grid: { right: 120 },
      xAxis: { type: "category", data: cmp.names },
      yAxis: [
        { type: "value", name: "min" },
        { type: "value", name: L.cost, position: "right" },
        { type: "value", name: "%", max: 100, position: "right", offset: 60 },
      ],
      series,
    });
  }

  const map = read("ems-map-data");
  const mapEl = document.getElementById("ems-map");
  if (map && mapEl) {
    if (!echarts.getMap || !echarts.getMap("成都")) {
      mapEl.dataset.ready = "0";
      mapEl.textContent = "地图资源未加载 / map assets not loaded";
      return;
    }
    const L = map.labels;
    const target = map.target || 15;
    draw("ems-map", {
      tooltip: {
        trigger: "item",
        formatter: (p) => {
          const v = p.value || [];
          if (p.seriesIndex === 0) return `${p.name}<br>${L.response}: ${v[2] >= 999 ? "—" : v[2]}<br>${L.population}: ${Math.round(v[3])}`;
          if (p.seriesIndex === 1) return `${p.name}<br>${L.ambulances}: ${v[2]}`;
          return p.name;
        },
      },
      legend: { data: [L.places, L.stations, L.hospitals], left: 10, top: 8 },
      visualMap: { seriesIndex: 0, dimension: 2, min: 0, max: target * 2, left: 10, bottom: 10, calculable: false,
                   inRange: { color: ["#2e7d32", "#f9a825", "#b3261e"] }, text: [`${target * 2}+`, "0"] },
      geo: { map: "成都", roam: true, center: map.center, zoom: 4,
             itemStyle: { areaColor: "#f1f3f5", borderColor: "#adb5bd" }, emphasis: { disabled: true } },
      series: [
        { name: L.places, type: "scatter", coordinateSystem: "geo", data: map.places,
          symbolSize: (v) => Math.max(5, Math.min(22, Math.sqrt(v[3]) / 20)) },
        { name: L.stations, type: "scatter", coordinateSystem: "geo", data: map.stations, symbol: "triangle",
          symbolSize: (v) => 10 + 2 * v[2], itemStyle: { color: "#1565c0" } },
        { name: L.hospitals, type: "scatter", coordinateSystem: "geo", data: map.hospitals, symbol: "diamond",
          symbolSize: 14, itemStyle: { color: "#6a1b9a" } },
      ],
    });
  }
})();
