/* Point-of-care case reporting that keeps working on a bad link.
 *
 * Every recorded card gets a client_report_id (UUID) and goes into a queue kept in localStorage (per user),
 * then is uploaded to the API. A card leaves the queue's "waiting" state only when the server answers that it
 * stored it (201) or had stored it before (200): the server's unique client_report_id makes any re-upload
 * harmless, so retrying after a lost answer never creates a second report. Network failures are retried on
 * the browser's "online" event, every 30 s, and with a backoff; refusals (422/409) stay visible with the
 * server's bilingual messages until the user edits or discards them. Nothing is ever dropped silently.
 */
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form) return;
  var catalogue = JSON.parse(document.getElementById("intake-catalogue").textContent);
  var t = JSON.parse(document.getElementById("intake-i18n").textContent);
  var byCode = {};
  catalogue.forEach(function (d) { byCode[d.code] = d; });
  var apiUrl = form.dataset.apiUrl;
  var queueKey = form.dataset.queueKey;
  var statusEl = document.querySelector("[data-testid=link-status]");
  var listEl = document.querySelector("[data-testid=queue]");
  var countEl = document.querySelector("[data-testid=queue-count]");
  var deadlineEl = form.querySelector("[data-testid=deadline]");
  var flushing = false;
  var backoff = 5000;
  var retryTimer = null;

  function uuid4() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function load() {
    try { return JSON.parse(localStorage.getItem(queueKey) || "[]"); } catch (e) { return []; }
  }
  function save(queue) { localStorage.setItem(queueKey, JSON.stringify(queue)); }
  function update(id, changes) {
    var queue = load();
    queue.forEach(function (item) { if (item.id === id) Object.assign(item, changes); });
    save(queue);
    render();
  }

  function csrfToken() {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    var cookie = document.cookie.split("; ").filter(function (c) { return c.indexOf("csrftoken=") === 0; })[0];
    return cookie ? cookie.split("=")[1] : (input ? input.value : "");
  }

  function maskName(name) {
    name = (name || "").trim();
    return name.length > 1 ? name[0] + new Array(name.length).join("*") : "*";
  }

  /* -------------------------------------------------------------- the card: pre-fill and deadline */
  function hoursFor(d, subtype, outbreak) {
    if (!d) return null;
    var urgent = d.hours <= 2 || outbreak || (subtype && d.a_subtypes.indexOf(subtype) >= 0);
    return urgent ? 2 : d.hours;
  }
  function showDeadline() {
    var d = byCode[form.disease.value];
    if (!d) { deadlineEl.textContent = ""; return; }
    var hours = hoursFor(d, form.disease_subtype.value, form.outbreak_related.checked);
    var text = d.name + " · " + t["class"] + " " + d["class"];
    var managed = d.managed_as_a || (form.disease_subtype.value && d.a_subtypes.indexOf(form.disease_subtype.value) >= 0);
    if (managed) text += " (" + t.managed_as_a + ")";
    var diagnosed = form.diagnosed_at.value ? new Date(form.diagnosed_at.value) : null;
    if (diagnosed && !isNaN(diagnosed)) {
      diagnosed.setMinutes(0, 0, 0);
      var due = new Date(diagnosed.getTime() + hours * 3600 * 1000);
      var pad = function (n) { return (n < 10 ? "0" : "") + n; };
      text += " · " + t.due + " " + due.getFullYear() + "-" + pad(due.getMonth() + 1) + "-" + pad(due.getDate()) +
        " " + pad(due.getHours()) + ":00 (" + hours + " " + t.hours + ")";
      if (due < new Date()) text += " · " + t.overdue;
    }
    deadlineEl.textContent = text;
    deadlineEl.dataset.hours = hours;
  }
  function fillSubtypes() {
    var d = byCode[form.disease.value];
    var select = form.disease_subtype;
    while (select.options.length > 1) select.remove(1);
    (d ? d.subtypes : []).forEach(function (s) { select.add(new Option(s.name_zh, s.code)); });
    select.required = !!(d && d.subtypes.length);
    form.chronicity.disabled = !(d && d.chronic);
    form.other_disease_text.required = !!(d && d.kind === "unexplained");
    if (d && !form.diagnosed_at.value) {
      var now = new Date();
      now.setMinutes(0, 0, 0);
      form.diagnosed_at.value = new Date(now.getTime() - now.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
    }
    showDeadline();
  }
  form.disease.addEventListener("change", fillSubtypes);
  ["disease_subtype", "outbreak_related", "diagnosed_at"].forEach(function (name) {
    form[name].addEventListener("change", showDeadline);
  });
  var remembered = form.querySelectorAll("[data-remember]");
  remembered.forEach(function (input) {
    var key = queueKey + ".remember." + input.name;
    if (!input.value) input.value = localStorage.getItem(key) || "";
    input.addEventListener("change", function () { localStorage.setItem(key, input.value); });
  });

  /* -------------------------------------------------------------- the queue */
  function cardFromForm() {
    var data = {};
    new FormData(form).forEach(function (value, key) {
      if (key === "csrfmiddlewaretoken" || value === "") return;
      data[key] = value;
    });
    data.outbreak_related = form.outbreak_related.checked;
    if (data.organisation_id) data.organisation_id = parseInt(data.organisation_id, 10);
    data.recorded_at = new Date().toISOString();
    return data;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var data = cardFromForm();
    var d = byCode[data.disease];
    var queue = load();
    if (!queue.some(function (item) { return item.id === data.client_report_id; })) {
      queue.push({
        id: data.client_report_id,
        data: data,
        label: (d ? d.name : data.disease) + " · " + maskName(data.patient_name),
        status: "queued",
        queuedAt: new Date().toISOString()
      });
      save(queue);
    }
    var keep = {};
    remembered.forEach(function (input) { keep[input.name] = input.value; });
    form.reset();
    Object.keys(keep).forEach(function (name) { form[name].value = keep[name]; });
    form.client_report_id.value = uuid4();
    fillSubtypes();
    render();
    flush();
  });

  function render() {
    var queue = load();
    listEl.textContent = "";
    var waiting = 0;
    queue.slice().reverse().forEach(function (item) {
      if (item.status !== "sent") waiting += 1;
      var li = document.createElement("li");
      li.dataset.testid = "queue-item";
      li.dataset.status = item.status;
      li.dataset.clientId = item.id;
      var text = item.label + " — " + (t[item.status] || item.status);
      if (item.reportId) text += " #" + item.reportId;
      li.appendChild(document.createTextNode(text));
      if (item.errors && item.errors.length) {
        var ul = document.createElement("ul");
        item.errors.forEach(function (e) {
          var el = document.createElement("li");
          el.textContent = (e.field ? e.field + ": " : "") + e.message_zh + " / " + e.message_en;
          ul.appendChild(el);
        });
        li.appendChild(ul);
      }
      if (item.status === "rejected" && item.data) {
        // back into the form under the same id (it was never stored), to be corrected and recorded again
        var edit = document.createElement("button");
        edit.type = "button";
        edit.textContent = t.edit;
        edit.dataset.testid = "queue-edit";
        edit.addEventListener("click", function () {
          Object.keys(item.data).forEach(function (name) {
            var field = form.elements[name];
            if (!field || name === "recorded_at") return;
            if (field.type === "checkbox") field.checked = !!item.data[name];
            else field.value = item.data[name];
            if (name === "disease") fillSubtypes();
          });
          form.client_report_id.value = item.id;
          save(load().filter(function (other) { return other.id !== item.id; }));
          render();
          showDeadline();
          form.scrollIntoView();
        });
        li.appendChild(edit);
      }
      if (item.status === "rejected" || item.status === "sent") {
        var discard = document.createElement("button");
        discard.type = "button";
        discard.textContent = t.discard;
        discard.addEventListener("click", function () {
          save(load().filter(function (other) { return other.id !== item.id; }));
          render();
        });
        li.appendChild(discard);
      }
      listEl.appendChild(li);
    });
    countEl.textContent = String(waiting);
    countEl.dataset.waiting = String(waiting);
  }

  function setLinkStatus() {
    statusEl.textContent = navigator.onLine ? t.online : t.offline;
    statusEl.dataset.online = navigator.onLine ? "1" : "0";
  }

  function scheduleRetry() {
    if (retryTimer) return;
    retryTimer = setTimeout(function () { retryTimer = null; flush(); }, backoff);
    backoff = Math.min(backoff * 2, 60000);
  }

  function uploadOne(item) {
    update(item.id, { status: "sending" });
    return fetch(apiUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), "Accept": "application/json" },
      body: JSON.stringify(item.data)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (response.status === 200 || response.status === 201) {
          // stored (now or before): the card's personal data leaves this device
          update(item.id, { status: "sent", reportId: body.id, data: null, errors: [] });
          return true;
        }
        if (response.status === 401 || response.status === 403) {
          update(item.id, { status: "waiting_login" });
          return false;
        }
        if (response.status === 422 || response.status === 409) {
          var error = body.error || {};
          var details = error.details && error.details.length ? error.details : [error];
          update(item.id, { status: "rejected", errors: details });
          return true;
        }
        update(item.id, { status: "queued" });
        throw new Error("server " + response.status);
      });
    });
  }

  function flush() {
    setLinkStatus();
    if (flushing) return;
    var pending = load().filter(function (item) {
      return item.status === "queued" || item.status === "sending" || item.status === "waiting_login";
    });
    if (!pending.length) return;
    if (!navigator.onLine) {
      pending.forEach(function (item) { if (item.status === "sending") update(item.id, { status: "queued" }); });
      return;
    }
    flushing = true;
    var chain = Promise.resolve(true);
    pending.forEach(function (item) {
      chain = chain.then(function (goOn) { return goOn ? uploadOne(item) : false; });
    });
    chain.then(function () {
      flushing = false;
      backoff = 5000;
    }).catch(function () {
      // the link dropped mid-way: whatever was not confirmed stays queued for the next try
      load().forEach(function (item) { if (item.status === "sending") update(item.id, { status: "queued" }); });
      flushing = false;
      scheduleRetry();
    });
  }

  // a service worker keeps the page itself, so it opens again while the link is down
  if ("serviceWorker" in navigator && form.dataset.swUrl) {
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.wanted && event.data.cached === event.data.wanted) form.dataset.swCached = "1";
    });
    navigator.serviceWorker.register(form.dataset.swUrl).then(function (registration) {
      var urls = [location.pathname];
      document.querySelectorAll("link[rel=stylesheet][href], script[src], link[rel=icon][href]").forEach(function (el) {
        urls.push(el.getAttribute("href") || el.getAttribute("src"));
      });
      var worker = registration.active || registration.waiting || registration.installing;
      var send = function (w) { w.postMessage({ cache: urls }); form.dataset.swReady = "1"; };
      if (worker && worker.state === "activated") send(worker);
      else if (worker) worker.addEventListener("statechange", function () { if (worker.state === "activated") send(worker); });
    }).catch(function () { /* no offline reload, the queue still works */ });
  }

  window.addEventListener("online", flush);
  window.addEventListener("offline", setLinkStatus);
  setInterval(flush, 30000);
  fillSubtypes();
  render();
  flush();
})();
