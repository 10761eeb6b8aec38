// App Bridge stand-in, served at /sandbox/app-bridge.js in sandbox mode only.
//
// In production the `AppProvider` of @shopify/shopify-app-remix renders
//   <script src="https://cdn.shopify.com/shopifycloud/app-bridge.js" data-api-key="…">
// and that script defines `window.shopify`, the `ui-*` custom elements, and patches `fetch` so that every request
// to the app's own origin carries `Authorization: Bearer <session token>` (which `authenticate.admin` requires on
// data requests). The CDN is unreachable offline, so the sandbox points `AppProvider`'s script at this file
// instead. It implements the subset Parley uses, talking to the sandbox admin shell (the parent window) with
// postMessage the way App Bridge talks to Shopify admin:
//   - window.shopify: config, origin, ready, environment, idToken(), toast.show/hide, loading(), saveBar.*
//   - fetch patch: Bearer token on same-origin requests; one retry with a fresh token when the app answers
//     401 + X-Shopify-Retry-Invalid-Session-Request; top-level redirect on X-Shopify-API-Request-Failure-Reauthorize-Url
//   - <ui-nav-menu>: its links become the app's entries in the admin sidebar; clicks there come back as the
//     `shopify:navigate` event that AppProvider turns into a Remix navigation
//   - <ui-title-bar>, <ui-save-bar>: title and contextual save bar rendered by the admin shell
//   - the bounce page (/auth/session-token?shopify-reload=…): reloads with a fresh id_token, as App Bridge does
//   - outside an iframe it sends the browser to the admin shell, as App Bridge sends it to Shopify admin
// Session tokens come from GET /sandbox/session-token?shop=… (signed with the sandbox app secret).

export const SANDBOX_APP_BRIDGE_PATH = "/sandbox/app-bridge.js";
export const SANDBOX_SESSION_TOKEN_PATH = "/sandbox/session-token";
export const SANDBOX_ADMIN_PATH = "/sandbox/admin";

/** postMessage envelope names shared with the admin shell. */
export const APP_MESSAGE_SOURCE = "parley-app-bridge";
export const ADMIN_MESSAGE_SOURCE = "parley-admin";

export interface StandInOptions {
  sessionTokenPath?: string;
  adminPath?: string;
}

export function renderAppBridgeStandIn(options: StandInOptions = {}): string {
  const settings = {
    tokenPath: options.sessionTokenPath ?? SANDBOX_SESSION_TOKEN_PATH,
    adminPath: options.adminPath ?? SANDBOX_ADMIN_PATH,
    appSource: APP_MESSAGE_SOURCE,
    adminSource: ADMIN_MESSAGE_SOURCE,
  };
  return `/* Parley sandbox: App Bridge stand-in (not Shopify's App Bridge). */\n(function (SETTINGS) {\n${STAND_IN_BODY}\n})(${JSON.stringify(settings)});\n`;
}

const STAND_IN_BODY = String.raw`
  "use strict";
  if (window.shopify && window.shopify.__parleySandbox) return;

  var script = document.currentScript;
  var params = new URLSearchParams(location.search);
  var STORAGE_KEY = "parley-sandbox-app-bridge";
  var saved = {};
  try { saved = JSON.parse(sessionStorage.getItem(STORAGE_KEY) || "{}") || {}; } catch (e) { saved = {}; }
  var meta = document.querySelector('meta[name="shopify-api-key"]');
  var config = {
    apiKey: (script && script.getAttribute("data-api-key")) || (meta && meta.getAttribute("content")) || saved.apiKey || "",
    shop: params.get("shop") || saved.shop || "",
    host: params.get("host") || saved.host || "",
    locale: params.get("locale") || saved.locale || "en",
  };
  try { sessionStorage.setItem(STORAGE_KEY, JSON.stringify(config)); } catch (e) { /* storage disabled */ }

  var embedded = window.top !== window;
  var originalFetch = window.fetch.bind(window);
  var ADMIN_PARAMS = ["embedded", "shop", "host", "id_token", "locale", "hmac", "session", "timestamp"];

  // ── postMessage with the admin shell ──────────────────────────────────────────────────────────────
  function post(type, payload) {
    if (!embedded) return;
    var message = Object.assign({ source: SETTINGS.appSource, type: type }, payload || {});
    try { window.parent.postMessage(message, location.origin); } catch (e) { /* parent gone */ }
  }
  var listeners = {};
  window.addEventListener("message", function (event) {
    if (!embedded || event.source !== window.parent || event.origin !== location.origin) return;
    var data = event.data;
    if (!data || data.source !== SETTINGS.adminSource) return;
    (listeners[data.type] || []).forEach(function (fn) { fn(data); });
  });
  function on(type, fn) { (listeners[type] = listeners[type] || []).push(fn); }

  // ── session tokens ────────────────────────────────────────────────────────────────────────────────
  function expiryOf(token) {
    try {
      var part = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
      return JSON.parse(atob(part)).exp || 0;
    } catch (e) { return 0; }
  }
  var cached = null;
  var pending = null;
  var initialToken = params.get("id_token");
  if (initialToken) cached = { token: initialToken, exp: expiryOf(initialToken) };

  function idToken(force) {
    var now = Date.now() / 1000;
    if (!force && cached && cached.exp - 10 > now) return Promise.resolve(cached.token);
    if (!pending) {
      var url = SETTINGS.tokenPath + "?shop=" + encodeURIComponent(config.shop);
      pending = originalFetch(url, { cache: "no-store", credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error("The sandbox could not issue a session token (HTTP " + response.status + ")");
          return response.json();
        })
        .then(function (body) {
          cached = { token: body.token, exp: expiryOf(body.token) };
          return body.token;
        })
        .finally(function () { pending = null; });
    }
    return pending;
  }

  // ── authenticated fetch ───────────────────────────────────────────────────────────────────────────
  function isAppRequest(url) {
    try {
      var target = new URL(url, location.href);
      return target.origin === location.origin && target.pathname !== SETTINGS.tokenPath;
    } catch (e) { return false; }
  }
  window.fetch = function (input, init) {
    var request = new Request(input, init);
    if (!isAppRequest(request.url) || request.headers.has("Authorization")) return originalFetch(request);
    var retry = request.clone();
    return idToken(false)
      .then(function (token) {
        request.headers.set("Authorization", "Bearer " + token);
        return originalFetch(request);
      })
      .then(function (response) {
        if (response.status === 401 && response.headers.get("X-Shopify-Retry-Invalid-Session-Request") === "1") {
          return idToken(true).then(function (token) {
            retry.headers.set("Authorization", "Bearer " + token);
            return originalFetch(retry);
          });
        }
        return response;
      })
      .then(function (response) {
        var reauthorize = response.headers.get("X-Shopify-API-Request-Failure-Reauthorize-Url");
        if (response.status === 401 && reauthorize) window.open(reauthorize, "_top");
        return response;
      });
  };

  // ── navigation ────────────────────────────────────────────────────────────────────────────────────
  function appPath() {
    var search = new URLSearchParams(location.search);
    ADMIN_PARAMS.forEach(function (name) { search.delete(name); });
    var query = search.toString();
    return location.pathname + (query ? "?" + query : "");
  }
  function reportLocation() { post("location", { path: appPath(), title: document.title }); }
  ["pushState", "replaceState"].forEach(function (name) {
    var original = history[name];
    history[name] = function () {
      var result = original.apply(this, arguments);
      setTimeout(reportLocation, 0);
      return result;
    };
  });
  window.addEventListener("popstate", function () { setTimeout(reportLocation, 0); });
  new MutationObserver(function () { post("title", { title: document.title }); })
    .observe(document.querySelector("title") || document.head || document.documentElement, { childList: true, subtree: true, characterData: true });

  // The admin asked for one of the app's pages: App Bridge dispatches shopify:navigate on the matching link,
  // and AppProvider (from @shopify/shopify-app-remix/react) navigates to its href. AppProvider subscribes in an
  // effect, after hydration, while the admin shows the nav menu as soon as it is parsed: a click in between is
  // held until someone listens, instead of being lost.
  var navigateListeners = 0;
  var heldNavigation = null;
  var addListener = window.addEventListener;
  var removeListener = window.removeEventListener;
  window.addEventListener = function (type) {
    var result = addListener.apply(this, arguments);
    if (type === "shopify:navigate" && (this === window || this == null)) {
      navigateListeners++;
      if (heldNavigation) { var href = heldNavigation; heldNavigation = null; setTimeout(function () { navigate(href); }, 0); }
    }
    return result;
  };
  window.removeEventListener = function (type) {
    if (type === "shopify:navigate" && (this === window || this == null)) navigateListeners = Math.max(0, navigateListeners - 1);
    return removeListener.apply(this, arguments);
  };
  on("navigate", function (data) {
    if (navigateListeners === 0) { heldNavigation = data.href; return; }
    navigate(data.href);
  });
  function navigate(href) {
    var data = { href: href };
    var menu = document.querySelector("ui-nav-menu");
    var links = menu ? Array.prototype.slice.call(menu.querySelectorAll("a[href]")) : [];
    var anchor = links.filter(function (a) { return a.getAttribute("href") === data.href; })[0];
    var temporary = !anchor;
    if (temporary) {
      anchor = document.createElement("a");
      anchor.setAttribute("href", data.href);
      anchor.hidden = true;
      document.body.appendChild(anchor);
    }
    anchor.dispatchEvent(new CustomEvent("shopify:navigate", { bubbles: true, composed: true }));
    if (temporary) anchor.remove();
  }

  // ── custom elements ───────────────────────────────────────────────────────────────────────────────
  // They render in the admin, not in the app: hide them without touching the server-rendered markup React hydrates.
  try {
    var sheet = new CSSStyleSheet();
    sheet.replaceSync("ui-nav-menu, ui-title-bar, ui-save-bar, ui-modal { display: none !important; }");
    document.adoptedStyleSheets = document.adoptedStyleSheets.concat([sheet]);
  } catch (e) { /* very old browser: elements stay visible */ }

  function watch(element, callback) {
    var observer = new MutationObserver(callback);
    observer.observe(element, { childList: true, subtree: true, attributes: true, characterData: true });
    return observer;
  }

  class NavMenu extends HTMLElement {
    connectedCallback() {
      var self = this;
      this._observer = watch(this, function () { self._sync(); });
      this._sync();
    }
    disconnectedCallback() {
      if (this._observer) this._observer.disconnect();
      post("nav-menu", { items: [] });
    }
    _sync() {
      var items = Array.prototype.slice.call(this.querySelectorAll("a[href]")).map(function (a) {
        return { label: (a.textContent || "").trim(), href: a.getAttribute("href"), home: a.getAttribute("rel") === "home" };
      });
      post("nav-menu", { items: items });
    }
  }

  class TitleBar extends HTMLElement {
    static get observedAttributes() { return ["title"]; }
    connectedCallback() { post("title-bar", { title: this.getAttribute("title") || "" }); }
    attributeChangedCallback() { if (this.isConnected) post("title-bar", { title: this.getAttribute("title") || "" }); }
    disconnectedCallback() { post("title-bar", { title: "" }); }
  }

  var saveBarCount = 0;
  class SaveBar extends HTMLElement {
    constructor() {
      super();
      this._showing = false;
      this._key = "save-bar-" + (++saveBarCount);
    }
    get showing() { return this._showing; }
    get discardConfirmation() { return this.hasAttribute("discardConfirmation"); }
    set discardConfirmation(value) { if (value) this.setAttribute("discardConfirmation", ""); else this.removeAttribute("discardConfirmation"); }
    connectedCallback() {
      var self = this;
      this._observer = watch(this, function () { if (self._showing) self._post(); });
      if (this.hasAttribute("open")) this.show();
    }
    disconnectedCallback() {
      if (this._observer) this._observer.disconnect();
      if (this._showing) { this._showing = false; post("save-bar", { key: this._key, open: false }); }
    }
    _buttons() {
      var buttons = Array.prototype.slice.call(this.querySelectorAll("button"));
      return {
        save: buttons.filter(function (b) { return b.getAttribute("variant") === "primary"; })[0],
        discard: buttons.filter(function (b) { return b.getAttribute("variant") !== "primary"; })[0],
      };
    }
    _post() {
      var b = this._buttons();
      post("save-bar", {
        key: this._key,
        open: this._showing,
        save: b.save ? { label: (b.save.textContent || "").trim() || "Save", loading: b.save.hasAttribute("loading"), disabled: b.save.disabled } : null,
        discard: b.discard ? { label: (b.discard.textContent || "").trim() || "Discard", disabled: b.discard.disabled } : null,
      });
    }
    show() {
      if (!this._showing) { this._showing = true; this._post(); this.dispatchEvent(new CustomEvent("show")); }
      return Promise.resolve();
    }
    hide() {
      if (this._showing) { this._showing = false; this._post(); this.dispatchEvent(new CustomEvent("hide")); }
      return Promise.resolve();
    }
    toggle() { return this._showing ? this.hide() : this.show(); }
    _act(action) {
      var b = this._buttons();
      var button = action === "save" ? b.save : b.discard;
      if (button && !button.disabled) button.click();
    }
  }
  on("save-bar-action", function (data) {
    Array.prototype.slice.call(document.querySelectorAll("ui-save-bar")).forEach(function (bar) {
      if (bar._key === data.key) bar._act(data.action);
    });
  });

  if (!customElements.get("ui-nav-menu")) customElements.define("ui-nav-menu", NavMenu);
  if (!customElements.get("ui-title-bar")) customElements.define("ui-title-bar", TitleBar);
  if (!customElements.get("ui-save-bar")) customElements.define("ui-save-bar", SaveBar);

  // ── toasts and loading ────────────────────────────────────────────────────────────────────────────
  var toastCount = 0;
  var toastCallbacks = {};
  function showToast(message, options) {
    options = options || {};
    var id = "toast-" + (++toastCount);
    toastCallbacks[id] = { onAction: options.onAction, onDismiss: options.onDismiss };
    if (embedded) {
      post("toast", { id: id, message: String(message), duration: options.duration || 5000, isError: Boolean(options.isError), action: options.action || null });
    } else {
      console.info("[shopify.toast]", message);
    }
    return id;
  }
  on("toast-action", function (data) { var cb = toastCallbacks[data.id]; if (cb && cb.onAction) cb.onAction(); });
  on("toast-dismiss", function (data) { var cb = toastCallbacks[data.id]; delete toastCallbacks[data.id]; if (cb && cb.onDismiss) cb.onDismiss(); });

  function unsupported(name) {
    return function () { return Promise.reject(new Error("shopify." + name + " is not available in the Parley sandbox")); };
  }

  var shopify = {
    config: config,
    origin: location.origin,
    ready: Promise.resolve(),
    environment: { embedded: embedded, mobile: false, pos: false },
    idToken: function () { return idToken(false); },
    toast: { show: showToast, hide: function (id) { post("toast-hide", { id: id }); } },
    loading: function (isLoading) { post("loading", { on: isLoading !== false }); },
    saveBar: {
      show: function (id) { var el = document.getElementById(id); return el && el.show ? el.show() : Promise.resolve(); },
      hide: function (id) { var el = document.getElementById(id); return el && el.hide ? el.hide() : Promise.resolve(); },
      toggle: function (id) { var el = document.getElementById(id); return el && el.toggle ? el.toggle() : Promise.resolve(); },
      leaveConfirmation: function () { return Promise.resolve(); },
    },
    user: function () { return Promise.resolve({}); },
    resourcePicker: unsupported("resourcePicker"),
    modal: { show: unsupported("modal.show"), hide: unsupported("modal.hide"), toggle: unsupported("modal.toggle") },
    scopes: { query: unsupported("scopes.query"), request: unsupported("scopes.request"), revoke: unsupported("scopes.revoke") },
    setSignals: function () {},
  };
  Object.defineProperty(shopify, "__parleySandbox", { value: true });
  window.shopify = shopify;

  // ── where the app was loaded ──────────────────────────────────────────────────────────────────────
  var reload = params.get("shopify-reload");
  if (location.pathname === "/auth/session-token" && reload) {
    // The library's bounce page: fetch a fresh token and reload the original request with it.
    idToken(true).then(function (token) {
      var target = new URL(reload, location.href);
      if (target.origin !== location.origin) throw new Error("Refusing to reload to another origin: " + target.origin);
      target.searchParams.set("id_token", token);
      location.replace(target.toString());
    });
  } else if (!embedded && location.pathname.indexOf("/auth") !== 0) {
    // Like App Bridge outside Shopify admin: open the app inside the (sandbox) admin.
    var path = appPath();
    location.replace(SETTINGS.adminPath + (path.indexOf("/app") === 0 ? path.slice(4) : ""));
  } else {
    var announce = function () { post("ready", { path: appPath(), title: document.title }); };
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", announce); else announce();
  }
`;

/** The stand-in's JavaScript, as served at GET /sandbox/app-bridge.js. */
export const appBridgeStandInSource = renderAppBridgeStandIn();
