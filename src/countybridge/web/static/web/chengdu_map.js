// Shared start of the Chengdu maps (home page, surveillance signals): finds the map container and its JSON
// payload; when the locally served ECharts map assets are missing it says so in the container
// (data-ready="0") and returns null.
window.countybridgeChengduMap = function (containerId, dataId) {
  const el = document.getElementById(containerId);
  const source = document.getElementById(dataId);
  if (!el || !source) return null;
  if (!window.echarts || !echarts.getMap || !echarts.getMap("成都")) {
    el.dataset.ready = "0";
    el.textContent = "地图资源未加载 / map assets not loaded";
    return null;
  }
  return { el, data: JSON.parse(source.textContent) };
};
