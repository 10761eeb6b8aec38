// The phone simulator: a shopper's messaging app in one self-contained HTML page (no framework, no external
// assets, so it works offline). Texts go to POST {apiBase}/control/inbound and reach the app as signed
// message.received webhooks; the thread follows the simulator's log over server-sent events, falling back to
// polling. Message text is untrusted and only ever inserted with textContent.
//
// Test hooks (stable): phone-number-input, phone-store-select, phone-shopper-select, phone-compose, phone-send,
// phone-thread, phone-error, and phone-message on every bubble with data-direction = "inbound" (shopper → store)
// or "outbound" (store → shopper) — Telnyx's and the app's point of view — plus data-status and data-message-id.
// `?phone=+1…&store=+1…` preselects both numbers.

export interface ShopperEntry {
  phone: string;
  name: string;
}

export interface PhonePageOptions {
  shopperNumbers: ShopperEntry[];
  storeNumbers: string[];
  /** Where the simulator router is mounted. */
  apiBase?: string;
}

export function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );
}

/** JSON safe to place inside a <script> element: no `</script>`, no `<!--`, no JS line separators. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

const STYLE = `
:root { --blue:#0a7cff; --gray:#e9e9eb; --ink:#1c1c1e; --muted:#6e6e73; --bg:#f2f2f7; --line:#d1d1d6; --danger:#c5221f; }
* { box-sizing: border-box; }
body { margin:0; font:15px/1.4 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color:var(--ink); background:linear-gradient(160deg,#eef1f6,#dfe5ee); min-height:100vh; }
.layout { display:flex; gap:40px; justify-content:center; align-items:flex-start; padding:32px 20px; flex-wrap:wrap; }
.panel { width:320px; background:#fff; border-radius:14px; padding:20px 22px; box-shadow:0 1px 3px rgba(0,0,0,.08); }
.panel h1 { font-size:20px; margin:0 0 6px; }
.hint { color:var(--muted); font-size:13px; margin:0 0 16px; }
.hint code { font-size:12px; background:var(--bg); padding:1px 4px; border-radius:4px; }
label { display:block; font-size:13px; font-weight:600; margin:14px 0 6px; }
input, select, textarea { font:inherit; color:inherit; }
.panel input, .panel select { width:100%; padding:9px 10px; border:1px solid var(--line); border-radius:9px; background:#fff; }
.panel input:focus, .panel select:focus, textarea:focus { outline:2px solid var(--blue); outline-offset:1px; }
.field-hint { font-size:12px; color:var(--muted); margin-top:4px; min-height:16px; }
.field-hint.bad { color:var(--danger); }
.status { font-size:12px; color:var(--muted); margin:16px 0 0; display:flex; align-items:center; gap:6px; }
.dot { width:8px; height:8px; border-radius:50%; background:#c7c7cc; display:inline-block; }
.dot.live { background:#34c759; } .dot.polling { background:#ff9f0a; }
.phone { width:380px; height:760px; background:#fff; border-radius:44px; border:10px solid #1c1c1e; box-shadow:0 20px 50px rgba(0,0,0,.25); display:flex; flex-direction:column; overflow:hidden; position:relative; }
.phone-header { padding:22px 16px 10px; text-align:center; border-bottom:1px solid #e5e5ea; background:#f9f9fb; }
.avatar { width:44px; height:44px; border-radius:50%; margin:0 auto 4px; background:linear-gradient(#a1a1a6,#8e8e93); color:#fff; display:flex; align-items:center; justify-content:center; font-weight:600; font-size:18px; }
.contact { font-size:13px; font-weight:600; }
.contact-number { font-size:11px; color:var(--muted); }
.thread { list-style:none; margin:0; padding:12px 12px 4px; flex:1; overflow-y:auto; display:flex; flex-direction:column; gap:2px; }
.empty { color:var(--muted); text-align:center; font-size:13px; margin:auto 24px; }
.bubble { max-width:78%; display:flex; flex-direction:column; margin-top:6px; }
.bubble .text { padding:8px 12px; border-radius:18px; white-space:pre-wrap; overflow-wrap:anywhere; }
.bubble.inbound { align-self:flex-end; align-items:flex-end; }
.bubble.inbound .text { background:var(--blue); color:#fff; border-bottom-right-radius:5px; }
.bubble.outbound { align-self:flex-start; align-items:flex-start; }
.bubble.outbound .text { background:var(--gray); color:var(--ink); border-bottom-left-radius:5px; }
.bubble .media { font-size:12px; color:inherit; opacity:.85; display:block; }
.bubble .meta { font-size:11px; color:var(--muted); margin:2px 6px 0; }
.bubble.failed .meta { color:var(--danger); }
.composer { display:flex; gap:8px; align-items:flex-end; padding:8px 10px 14px; border-top:1px solid #e5e5ea; background:#f9f9fb; }
.composer textarea { flex:1; resize:none; border:1px solid var(--line); border-radius:18px; padding:8px 14px; max-height:120px; background:#fff; }
.composer button { border:0; background:var(--blue); color:#fff; font-weight:600; border-radius:18px; padding:8px 14px; cursor:pointer; }
.composer button:disabled { background:#b4d4ff; cursor:default; }
.send-error { color:var(--danger); font-size:12px; margin:0; padding:0 14px 8px; background:#f9f9fb; min-height:0; }
.send-error:empty { display:none; }
.visually-hidden { position:absolute; width:1px; height:1px; overflow:hidden; clip:rect(0 0 0 0); white-space:nowrap; }
`;

// Runs in the browser. Kept dependency-free and ES2017 so any Chromium can run it.
const SCRIPT = String.raw`
(function () {
  var config = JSON.parse(document.getElementById("phone-config").textContent);
  var $ = function (id) { return document.getElementById(id); };
  var numberInput = $("phone-number"), shopperSelect = $("shopper-select"), storeSelect = $("store-number");
  var thread = $("thread"), compose = $("compose"), sendButton = $("send"), errorBox = $("send-error");
  var messages = new Map(), source = null, pollTimer = null, phone = "", store = "";

  function normalize(raw) {
    var s = String(raw || "").trim();
    var digits = s.replace(/[^0-9]/g, "");
    if (!digits) return "";
    if (s.charAt(0) === "+") return "+" + digits;
    if (digits.length === 10) return "+1" + digits;
    if (digits.length === 11 && digits.charAt(0) === "1") return "+" + digits;
    return "+" + digits;
  }
  function valid(p) { return /^\+[1-9][0-9]{6,14}$/.test(p); }
  function nameOf(p) {
    for (var i = 0; i < config.shoppers.length; i++) if (config.shoppers[i].phone === p) return config.shoppers[i].name;
    return "";
  }
  function timeOf(iso) {
    var d = new Date(iso);
    return isNaN(d.getTime()) ? "" : d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }
  function inThread(m) {
    return (m.from === phone && m.to === store) || (m.from === store && m.to === phone);
  }
  function statusText(m) {
    if (m.direction === "inbound") {
      if (m.appStatus === undefined) return "Sending…";
      if (m.appStatus === null) return "Not delivered: the app did not answer";
      if (m.appStatus >= 200 && m.appStatus < 300) return "Delivered";
      return "Not delivered: the app answered " + m.appStatus;
    }
    var code = m.errors && m.errors.length ? " · " + m.errors[0].code + " " + m.errors[0].title : "";
    return m.status.replace(/_/g, " ") + code;
  }
  function failed(m) {
    if (m.direction === "inbound") return m.appStatus === null || (typeof m.appStatus === "number" && (m.appStatus < 200 || m.appStatus >= 300));
    return /failed|expired|unconfirmed/.test(m.status);
  }

  function render() {
    var list = Array.from(messages.values()).filter(inThread).sort(function (a, b) { return a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0; });
    var nearBottom = thread.scrollHeight - thread.scrollTop - thread.clientHeight < 80;
    thread.textContent = "";
    if (!list.length) {
      var empty = document.createElement("li");
      empty.className = "empty";
      empty.textContent = valid(phone) ? "No messages yet. Say hi to the store." : "Pick a shopper or type a phone number to start.";
      thread.appendChild(empty);
    }
    list.forEach(function (m) {
      var li = document.createElement("li");
      li.className = "bubble " + m.direction + (failed(m) ? " failed" : "");
      li.setAttribute("data-testid", "phone-message");
      li.setAttribute("data-direction", m.direction);
      li.setAttribute("data-status", m.direction === "inbound" ? String(m.appStatus === undefined ? "sending" : m.appStatus) : m.status);
      li.setAttribute("data-message-id", m.id);
      var text = document.createElement("div");
      text.className = "text";
      text.textContent = m.text;
      (m.media || []).forEach(function (url) {
        var media = document.createElement("span");
        media.className = "media";
        media.textContent = "📎 " + url;
        text.appendChild(media);
      });
      var meta = document.createElement("div");
      meta.className = "meta";
      var time = document.createElement("time");
      time.dateTime = m.createdAt;
      time.textContent = timeOf(m.createdAt);
      meta.appendChild(time);
      meta.appendChild(document.createTextNode(" · " + statusText(m)));
      li.setAttribute("aria-label", (m.direction === "inbound" ? "You" : "Store") + ": " + m.text);
      li.appendChild(text);
      li.appendChild(meta);
      thread.appendChild(li);
    });
    if (nearBottom || list.length) thread.scrollTop = thread.scrollHeight;
  }

  function setConnection(state, text) {
    $("connection-dot").className = "dot " + state;
    $("connection-text").textContent = text;
  }
  function upsert(m) { messages.set(m.id, m); }

  function disconnect() {
    if (source) { source.close(); source = null; }
    if (pollTimer) { clearInterval(pollTimer); pollTimer = null; }
  }
  function poll() {
    if (!valid(phone)) return;
    fetch(config.apiBase + "/control/log?phone=" + encodeURIComponent(phone) + "&limit=500")
      .then(function (r) { return r.json(); })
      .then(function (body) { messages.clear(); body.data.forEach(upsert); render(); })
      .catch(function () { setConnection("", "Simulator unreachable"); });
  }
  function startPolling() {
    if (pollTimer) return;
    setConnection("polling", "Polling every 2 s");
    poll();
    pollTimer = setInterval(poll, 2000);
  }
  function connect() {
    disconnect();
    messages.clear();
    render();
    if (!valid(phone)) { setConnection("", "Not connected"); return; }
    if (typeof EventSource === "undefined") return startPolling();
    source = new EventSource(config.apiBase + "/control/stream?phone=" + encodeURIComponent(phone));
    source.addEventListener("snapshot", function (e) { messages.clear(); JSON.parse(e.data).forEach(upsert); render(); });
    source.addEventListener("message", function (e) { upsert(JSON.parse(e.data)); render(); });
    source.addEventListener("clear", function () { messages.clear(); render(); });
    source.onopen = function () { setConnection("live", "Live"); };
    source.onerror = function () {
      if (source && source.readyState === 2) { source = null; startPolling(); }
      else setConnection("", "Reconnecting…");
    };
  }

  function updateHeader() {
    var name = nameOf(phone);
    $("contact-name").textContent = "Store";
    $("contact-number").textContent = store || "no store number";
    $("phone-hint").textContent = !numberInput.value ? "" : valid(phone) ? (name ? "Texting as " + name : "Texting as " + phone) : "Use +E.164, e.g. +15551234567";
    $("phone-hint").className = "field-hint" + (numberInput.value && !valid(phone) ? " bad" : "");
    sendButton.disabled = !valid(phone) || !store || !compose.value.trim();
    var url = new URL(location.href);
    if (valid(phone)) url.searchParams.set("phone", phone); else url.searchParams.delete("phone");
    if (store) url.searchParams.set("store", store);
    history.replaceState(null, "", url);
  }
  function choosePhone(raw) {
    var next = normalize(raw);
    var changed = next !== phone;
    phone = next;
    shopperSelect.value = nameOf(phone) ? phone : "";
    updateHeader();
    if (changed) connect();
  }

  function send(event) {
    event.preventDefault();
    var text = compose.value;
    if (!valid(phone) || !store || !text.trim()) return;
    sendButton.disabled = true;
    errorBox.textContent = "";
    fetch(config.apiBase + "/control/inbound", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ from: phone, to: store, text: text }),
    })
      .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
      .then(function (res) {
        if (!res.ok) { errorBox.textContent = (res.body.errors || []).map(function (e) { return e.detail || e.title; }).join(" ") || "The simulator refused the message."; return; }
        compose.value = "";
        fitComposer();
        if (res.body.status === null) errorBox.textContent = "The app did not answer the webhook" + (res.body.error ? " (" + res.body.error + ")" : "") + ".";
        else if (res.body.status < 200 || res.body.status >= 300) errorBox.textContent = "The app answered the webhook with HTTP " + res.body.status + ".";
        if (!source) poll();
      })
      .catch(function () { errorBox.textContent = "Could not reach the simulator."; })
      .then(function () { updateHeader(); compose.focus(); });
  }

  shopperSelect.addEventListener("change", function () { if (shopperSelect.value) { numberInput.value = shopperSelect.value; choosePhone(shopperSelect.value); } });
  numberInput.addEventListener("change", function () { choosePhone(numberInput.value); });
  numberInput.addEventListener("input", function () { var p = normalize(numberInput.value); if (valid(p) && p.length >= 12) choosePhone(numberInput.value); else updateHeader(); });
  storeSelect.addEventListener("change", function () { store = storeSelect.value; updateHeader(); render(); });
  function fitComposer() { compose.style.height = "auto"; compose.style.height = Math.min(compose.scrollHeight, 120) + "px"; }
  compose.addEventListener("input", function () { updateHeader(); fitComposer(); });
  compose.addEventListener("keydown", function (e) { if (e.key === "Enter" && !e.shiftKey) send(e); });
  $("composer").addEventListener("submit", send);

  var params = new URLSearchParams(location.search);
  store = config.stores.indexOf(params.get("store")) >= 0 ? params.get("store") : config.stores[0] || "";
  storeSelect.value = store;
  var initial = params.get("phone") || "";
  numberInput.value = initial;
  choosePhone(initial);
})();
`;

export function renderPhoneSimulator(options: PhonePageOptions): string {
  const apiBase = options.apiBase ?? "/sandbox/telnyx";
  const shopperOptions = options.shopperNumbers
    .map((s) => `<option value="${escapeHtml(s.phone)}">${escapeHtml(s.name)} · ${escapeHtml(s.phone)}</option>`)
    .join("");
  const storeOptions = options.storeNumbers.length
    ? options.storeNumbers.map((n) => `<option value="${escapeHtml(n)}">${escapeHtml(n)}</option>`).join("")
    : `<option value="">No store number configured</option>`;
  const config = scriptJson({ apiBase, shoppers: options.shopperNumbers, stores: options.storeNumbers });

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Phone simulator · Parley sandbox</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
</head>
<body>
<main class="layout">
  <section class="panel" aria-labelledby="panel-title">
    <h1 id="panel-title">Phone simulator</h1>
    <p class="hint">Text the store as a shopper. Each text reaches the app as a signed <code>message.received</code> webhook; the store's replies and their delivery receipts show up here.</p>
    <label for="shopper-select">Seeded shopper</label>
    <select id="shopper-select" data-testid="phone-shopper-select">
      <option value="">${options.shopperNumbers.length ? "Choose a shopper…" : "No seeded shoppers"}</option>${shopperOptions}
    </select>
    <label for="phone-number">Shopper's phone number</label>
    <input id="phone-number" data-testid="phone-number-input" type="tel" inputmode="tel" autocomplete="off" placeholder="+15551234567" aria-describedby="phone-hint">
    <div id="phone-hint" class="field-hint" aria-live="polite"></div>
    <label for="store-number">Store number</label>
    <select id="store-number" data-testid="phone-store-select">${storeOptions}</select>
    <p class="status" role="status"><span id="connection-dot" class="dot" aria-hidden="true"></span><span id="connection-text">Not connected</span></p>
  </section>
  <section class="phone" aria-label="Shopper's phone">
    <header class="phone-header">
      <div class="avatar" aria-hidden="true">S</div>
      <div class="contact" id="contact-name">Store</div>
      <div class="contact-number" id="contact-number"></div>
    </header>
    <ol id="thread" class="thread" data-testid="phone-thread" aria-label="Conversation with the store" aria-live="polite"></ol>
    <p id="send-error" class="send-error" role="alert" data-testid="phone-error"></p>
    <form id="composer" class="composer">
      <label for="compose" class="visually-hidden">Message</label>
      <textarea id="compose" data-testid="phone-compose" rows="1" placeholder="Text message"></textarea>
      <button id="send" type="submit" data-testid="phone-send" disabled>Send</button>
    </form>
  </section>
</main>
<script type="application/json" id="phone-config">${config}</script>
<script>${SCRIPT}</script>
</body>
</html>`;
}
