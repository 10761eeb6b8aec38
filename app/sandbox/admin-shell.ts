import type { RequestHandler } from "express";
import { escapeHtml } from "./html";
import {
  ADMIN_MESSAGE_SOURCE,
  APP_MESSAGE_SOURCE,
  SANDBOX_ADMIN_PATH,
  SANDBOX_SESSION_TOKEN_PATH,
} from "./app-bridge-standin";
import { mintSessionToken, SANDBOX_STAFF_USER_ID } from "./session-token.server";

// GET /sandbox/admin[/*] — a page that plays Shopify admin for the embedded app: top bar, sidebar with the app's
// navigation, and the app in an iframe opened with exactly the query Shopify admin sends to an embedded app
// (embedded=1, shop, host, id_token, locale). The App Bridge stand-in inside the frame talks to this page over
// postMessage: toasts, the loading bar, the contextual save bar and the app's nav menu render here, as in admin.
//
// Admin URLs map to app paths the way Shopify's do, with the app's /app prefix folded in:
//   /sandbox/admin            → /app
//   /sandbox/admin/settings   → /app/settings

export interface AdminShellOptions {
  shop: string;
  /** The app's origin (SHOPIFY_APP_URL). */
  appUrl: string;
  apiKey: string;
  /** The app path to open, e.g. "/app/settings" (a query string is kept). */
  initialPath: string;
  /** A fresh session token for the iframe's id_token; without one the page fetches it before loading the app. */
  token?: string;
  storeName?: string;
  appName?: string;
  userName?: string;
  locale?: string;
}

const APP_PREFIX = "/app";

/** "/settings" → "/app/settings"; "" or "/" → "/app". */
export function appPathForAdminPath(adminSubPath: string): string {
  const clean = adminSubPath.replace(/\/+$/, "");
  if (!clean) return APP_PREFIX;
  return `${APP_PREFIX}${clean.startsWith("/") ? clean : `/${clean}`}`;
}

/** "/app/settings?x=1" → "/sandbox/admin/settings?x=1"; paths outside /app stay on the admin home. */
export function adminPathForAppPath(appPath: string): string {
  const [pathname, query] = appPath.split("?", 2);
  if (pathname !== APP_PREFIX && !pathname.startsWith(`${APP_PREFIX}/`)) return SANDBOX_ADMIN_PATH;
  return `${SANDBOX_ADMIN_PATH}${pathname.slice(APP_PREFIX.length)}${query ? `?${query}` : ""}`;
}

/** base64 of `admin.shopify.com/store/{handle}`: the `host` Shopify admin passes to embedded apps. */
export function adminHost(shop: string): string {
  const handle = shop.replace(/\.myshopify\.com$/, "");
  return Buffer.from(`admin.shopify.com/store/${handle}`).toString("base64");
}

/** The iframe URL Shopify admin would open for `path`. */
export function embeddedAppUrl(options: {
  appUrl: string;
  path: string;
  shop: string;
  token?: string;
  locale?: string;
}): string {
  const url = new URL(options.path, options.appUrl);
  url.searchParams.set("embedded", "1");
  url.searchParams.set("shop", options.shop);
  url.searchParams.set("host", adminHost(options.shop));
  if (options.token) url.searchParams.set("id_token", options.token);
  url.searchParams.set("locale", options.locale ?? "en");
  return url.toString();
}

function titleCase(shop: string) {
  return shop
    .replace(/\.myshopify\.com$/, "")
    .split(/[-_]/)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(" ");
}

function initials(name: string) {
  return (
    name
      .split(/\s+/)
      .filter(Boolean)
      .slice(0, 2)
      .map((word) => word.charAt(0).toUpperCase())
      .join("") || "S"
  );
}

const ICONS = {
  home: '<path d="M10 3.2 3.5 8.4V16a1 1 0 0 0 1 1H8v-4.5h4V17h3.5a1 1 0 0 0 1-1V8.4z" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linejoin="round"/>',
  orders:
    '<path d="M3.5 5.5h13v10a1 1 0 0 1-1 1h-11a1 1 0 0 1-1-1zM3.5 10.5h4l1 2h3l1-2h4" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linejoin="round"/>',
  products:
    '<path d="M10.6 3.5H16.5v5.9L9.4 16.5 3.5 10.6zM13.5 6.5h.01" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linejoin="round" stroke-linecap="round"/>',
  customers:
    '<circle cx="10" cy="7" r="3.2" fill="none" stroke="currentColor" stroke-width="1.6"/><path d="M4 16.5c.8-3 3.1-4.5 6-4.5s5.2 1.5 6 4.5" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round"/>',
  content:
    '<rect x="3.5" y="3.5" width="13" height="13" rx="2" fill="none" stroke="currentColor" stroke-width="1.6"/><path d="M6.5 7.5h7M6.5 10.5h7M6.5 13.5h4" stroke="currentColor" stroke-width="1.6" stroke-linecap="round"/>',
  analytics:
    '<path d="M4 16.5V11M8 16.5V6M12 16.5V9M16 16.5V3.5" stroke="currentColor" stroke-width="1.8" stroke-linecap="round"/>',
  marketing:
    '<circle cx="10" cy="10" r="6.5" fill="none" stroke="currentColor" stroke-width="1.6"/><circle cx="10" cy="10" r="2.5" fill="none" stroke="currentColor" stroke-width="1.6"/>',
  discounts:
    '<path d="M6 14 14 6" stroke="currentColor" stroke-width="1.6" stroke-linecap="round"/><circle cx="6.5" cy="6.5" r="1.6" fill="none" stroke="currentColor" stroke-width="1.6"/><circle cx="13.5" cy="13.5" r="1.6" fill="none" stroke="currentColor" stroke-width="1.6"/>',
  store:
    '<path d="M3.5 8 5 3.5h10L16.5 8M4.5 8v8.5h11V8M3.5 8h13" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linejoin="round"/>',
  apps: '<rect x="3.5" y="3.5" width="5.5" height="5.5" rx="1.2" fill="none" stroke="currentColor" stroke-width="1.6"/><rect x="11" y="3.5" width="5.5" height="5.5" rx="1.2" fill="none" stroke="currentColor" stroke-width="1.6"/><rect x="3.5" y="11" width="5.5" height="5.5" rx="1.2" fill="none" stroke="currentColor" stroke-width="1.6"/><rect x="11" y="11" width="5.5" height="5.5" rx="1.2" fill="none" stroke="currentColor" stroke-width="1.6"/>',
  settings:
    '<circle cx="10" cy="10" r="2.6" fill="none" stroke="currentColor" stroke-width="1.6"/><path d="M10 2.8v2M10 15.2v2M2.8 10h2M15.2 10h2M4.9 4.9l1.4 1.4M13.7 13.7l1.4 1.4M4.9 15.1l1.4-1.4M13.7 6.3l1.4-1.4" stroke="currentColor" stroke-width="1.6" stroke-linecap="round"/>',
  search:
    '<circle cx="9" cy="9" r="5.2" fill="none" stroke="currentColor" stroke-width="1.6"/><path d="m13 13 3.5 3.5" stroke="currentColor" stroke-width="1.6" stroke-linecap="round"/>',
  bell: '<path d="M5.5 13.5V9a4.5 4.5 0 0 1 9 0v4.5l1.5 1.5H4zM8.5 17h3" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linejoin="round" stroke-linecap="round"/>',
  chevron:
    '<path d="m8 6 4 4-4 4" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round"/>',
  alert:
    '<circle cx="10" cy="10" r="7" fill="none" stroke="currentColor" stroke-width="1.6"/><path d="M10 6.5v4.2M10 13.4h.01" stroke="currentColor" stroke-width="1.8" stroke-linecap="round"/>',
  close: '<path d="m6 6 8 8M14 6l-8 8" stroke="currentColor" stroke-width="1.6" stroke-linecap="round"/>',
  pin: '<path d="M7.5 3.5h5l-.8 4.6 2.3 2.4H6l2.3-2.4zM10 10.5v6" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linejoin="round" stroke-linecap="round"/>',
};

const icon = (name: keyof typeof ICONS, size = 20) =>
  `<svg viewBox="0 0 20 20" width="${size}" height="${size}" aria-hidden="true" focusable="false">${ICONS[name]}</svg>`;

const APP_ICON = `<span class="app-icon" aria-hidden="true"><svg viewBox="0 0 20 20" width="14" height="14"><path d="M4 5.5A2.5 2.5 0 0 1 6.5 3h7A2.5 2.5 0 0 1 16 5.5v5a2.5 2.5 0 0 1-2.5 2.5H9l-3.5 3v-3A2.5 2.5 0 0 1 4 10.5z" fill="#fff"/></svg></span>`;

const STYLES = `
*{box-sizing:border-box}
html,body{height:100%;margin:0}
body{font-family:-apple-system,BlinkMacSystemFont,"San Francisco","Segoe UI",Roboto,"Helvetica Neue",sans-serif;font-size:13px;line-height:20px;color:#303030;background:#1a1a1a;overflow:hidden;-webkit-font-smoothing:antialiased}
button{font:inherit}
.topbar{height:56px;display:grid;grid-template-columns:240px 1fr 240px;align-items:center;padding:0 12px 0 16px;color:#e3e3e3;position:relative}
.brand{display:flex;align-items:center;gap:8px;font-weight:650;font-size:14px;color:#fff;letter-spacing:-.01em}
.brand-mark{display:inline-flex;width:28px;height:28px;border-radius:8px;background:#95bf47;align-items:center;justify-content:center}
.brand small{font-weight:550;font-size:11px;color:#b5b5b5;border:1px solid #4a4a4a;border-radius:6px;padding:0 6px;line-height:18px}
.search{justify-self:center;width:min(600px,100%);height:36px;border-radius:10px;background:#303030;border:1px solid #4a4a4a;display:flex;align-items:center;gap:8px;padding:0 10px;color:#8a8a8a}
.search span{flex:1}
.search kbd{font:inherit;font-size:11px;color:#b5b5b5;background:#4a4a4a;border-radius:4px;padding:0 5px}
.top-right{justify-self:end;display:flex;align-items:center;gap:10px}
.icon-button{width:32px;height:32px;border-radius:8px;border:0;background:transparent;color:#e3e3e3;display:inline-flex;align-items:center;justify-content:center}
.store{display:flex;align-items:center;gap:8px;padding:4px 8px 4px 4px;border-radius:10px;background:#303030;color:#fff;font-weight:550}
.avatar{width:28px;height:28px;border-radius:8px;background:#36a17a;color:#fff;display:inline-flex;align-items:center;justify-content:center;font-weight:650;font-size:12px}
.save-bar{position:absolute;inset:0;display:none;align-items:center;justify-content:space-between;gap:12px;padding:0 16px;background:#1a1a1a;color:#fff}
.save-bar.open{display:flex}
.save-bar .message{display:flex;align-items:center;gap:8px;font-weight:650;font-size:14px;margin-left:calc(240px - 16px)}
.save-bar .actions{display:flex;gap:8px}
.save-bar button{height:32px;padding:0 14px;border-radius:8px;border:0;font-weight:650;cursor:pointer}
.save-bar .discard{background:#303030;color:#fff;box-shadow:inset 0 0 0 1px #4a4a4a}
.save-bar .save{background:#fff;color:#303030}
.save-bar button[disabled]{opacity:.5;cursor:default}
.frame{position:absolute;top:56px;left:0;right:0;bottom:0;display:flex;background:#ebebeb;border-radius:12px 12px 0 0;overflow:hidden}
nav.sidebar{width:240px;flex:none;display:flex;flex-direction:column;padding:12px 8px;overflow-y:auto;background:#ebebeb}
.nav-section{margin-top:16px}
.nav-heading{display:flex;align-items:center;justify-content:space-between;padding:0 8px;height:28px;color:#616161;font-weight:650;font-size:12px}
.nav-item{display:flex;align-items:center;gap:8px;height:32px;padding:0 8px;border-radius:8px;color:#303030;text-decoration:none;font-weight:550}
.nav-item svg{color:#4a4a4a;flex:none}
.nav-item.disabled{color:#8a8a8a;cursor:not-allowed}
.nav-item.disabled svg{color:#a8a8a8}
a.nav-item:hover{background:#f1f1f1}
.nav-item.active{background:#fafafa;font-weight:650;box-shadow:0 1px 0 rgba(0,0,0,.06)}
.app-icon{width:20px;height:20px;border-radius:6px;background:linear-gradient(135deg,#5b4cdb,#8a3ffc);display:inline-flex;align-items:center;justify-content:center;flex:none}
.subnav{list-style:none;margin:2px 0 0;padding:0 0 0 20px;position:relative}
.subnav::before{content:"";position:absolute;left:17px;top:0;bottom:8px;width:1px;background:#d4d4d4}
.subnav .nav-item{padding-left:16px;height:30px;font-weight:450}
.subnav .nav-item.active{font-weight:650}
.nav-spacer{flex:1}
main{flex:1;min-width:0;display:flex;flex-direction:column;background:#f1f1f1;position:relative;border-radius:12px 0 0 0}
.app-titlebar{height:48px;flex:none;display:flex;align-items:center;gap:8px;padding:0 20px;border-bottom:1px solid #e3e3e3;background:#f1f1f1}
.app-titlebar .name{font-weight:650;font-size:14px}
.app-titlebar .crumb{color:#616161}
.app-titlebar .spacer{flex:1}
.app-titlebar .icon-button{color:#616161}
.loading-bar{position:absolute;top:48px;left:0;height:3px;width:0;background:#005bd3;opacity:0;transition:opacity .2s}
.loading-bar.on{opacity:1;animation:load 2.4s ease-out forwards}
@keyframes load{0%{width:0}40%{width:55%}100%{width:88%}}
iframe{flex:1;width:100%;border:0;background:#f1f1f1}
.toasts{position:fixed;left:50%;bottom:32px;transform:translateX(-50%);display:flex;flex-direction:column;gap:8px;align-items:center;z-index:10}
.toast{display:flex;align-items:center;gap:12px;min-height:40px;padding:8px 8px 8px 14px;border-radius:12px;background:#1a1a1a;color:#fff;font-weight:550;box-shadow:0 8px 24px rgba(0,0,0,.25);animation:rise .2s ease-out}
.toast.error{background:#8e1f0b}
.toast button{border:0;background:transparent;color:#fff;cursor:pointer;border-radius:6px;display:inline-flex;align-items:center;justify-content:center}
.toast .action{text-decoration:underline;font-weight:650;padding:0 4px}
.toast .close{width:28px;height:28px}
@keyframes rise{from{transform:translateY(8px);opacity:0}to{transform:none;opacity:1}}
`;

const SHELL_SCRIPT = String.raw`
(function (cfg) {
  "use strict";
  var iframe = document.getElementById("app-iframe");
  var appOrigin = new URL(cfg.appUrl).origin;
  var navList = document.getElementById("app-subnav");
  var appLink = document.getElementById("app-home-link");
  var loadingBar = document.getElementById("loading-bar");
  var crumb = document.getElementById("app-crumb");
  var saveBar = document.getElementById("save-bar");
  var toasts = document.getElementById("toasts");
  var NAV_KEY = "parley-sandbox-admin-nav";
  var homeHref = "/app";
  var currentPath = cfg.initialPath;
  var saveBarKey = null;

  function send(type, payload) {
    if (!iframe.contentWindow) return;
    iframe.contentWindow.postMessage(Object.assign({ source: cfg.adminSource, type: type }, payload || {}), appOrigin);
  }
  function setLoading(on) { loadingBar.classList.toggle("on", Boolean(on)); }
  function adminPathFor(path) {
    var parts = path.split("?");
    var pathname = parts[0];
    if (pathname !== "/app" && pathname.indexOf("/app/") !== 0) return null;
    return cfg.adminPath + pathname.slice(4) + (parts[1] ? "?" + parts[1] : "");
  }
  function frameUrl(path, token) {
    var url = new URL(path, cfg.appUrl);
    url.searchParams.set("embedded", "1");
    url.searchParams.set("shop", cfg.shop);
    url.searchParams.set("host", cfg.host);
    if (token) url.searchParams.set("id_token", token);
    url.searchParams.set("locale", cfg.locale);
    return url.toString();
  }

  // ── the app's navigation, from its <ui-nav-menu> ──
  function renderNav(items) {
    var home = items.filter(function (i) { return i.home; })[0];
    if (home) homeHref = home.href;
    appLink.setAttribute("href", adminPathFor(homeHref) || cfg.adminPath);
    appLink.setAttribute("data-app-href", homeHref);
    navList.innerHTML = "";
    items.filter(function (i) { return !i.home; }).forEach(function (item) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.className = "nav-item";
      a.textContent = item.label;
      a.setAttribute("href", adminPathFor(item.href) || cfg.adminPath);
      a.setAttribute("data-app-href", item.href);
      a.setAttribute("data-testid", "admin-nav-item");
      li.appendChild(a);
      navList.appendChild(li);
    });
    markActive();
  }
  function markActive() {
    var pathname = currentPath.split("?")[0];
    var links = [appLink].concat(Array.prototype.slice.call(navList.querySelectorAll("a")));
    var best = null;
    links.forEach(function (a) {
      var href = a.getAttribute("data-app-href") || "";
      if (pathname === href || pathname.indexOf(href + "/") === 0) {
        if (!best || href.length > best.getAttribute("data-app-href").length) best = a;
      }
    });
    links.forEach(function (a) {
      var on = a === best;
      a.classList.toggle("active", on);
      if (on) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
    });
  }
  try { var remembered = JSON.parse(localStorage.getItem(NAV_KEY) || "null"); if (remembered) renderNav(remembered); } catch (e) {}

  document.addEventListener("click", function (event) {
    var a = event.target.closest && event.target.closest("a[data-app-href]");
    if (!a || event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    var href = a.getAttribute("data-app-href");
    if (href.split("?")[0] === currentPath.split("?")[0]) return;
    currentPath = href;
    markActive();
    setLoading(true);
    send("navigate", { href: href });
  });

  // ── toasts ──
  function showToast(data) {
    var el = document.createElement("div");
    el.className = "toast" + (data.isError ? " error" : "");
    el.setAttribute("role", data.isError ? "alert" : "status");
    el.setAttribute("data-testid", "admin-toast");
    el.setAttribute("data-toast-id", data.id);
    var text = document.createElement("span");
    text.textContent = data.message;
    el.appendChild(text);
    if (data.action) {
      var action = document.createElement("button");
      action.className = "action";
      action.textContent = data.action;
      action.addEventListener("click", function () { send("toast-action", { id: data.id }); remove(); });
      el.appendChild(action);
    }
    var close = document.createElement("button");
    close.className = "close";
    close.setAttribute("aria-label", "Dismiss notification");
    close.innerHTML = cfg.closeIcon;
    close.addEventListener("click", remove);
    el.appendChild(close);
    toasts.appendChild(el);
    var timer = setTimeout(remove, Math.max(1000, data.duration || 5000));
    function remove() {
      clearTimeout(timer);
      if (!el.parentNode) return;
      el.remove();
      send("toast-dismiss", { id: data.id });
    }
  }
  function hideToast(id) {
    var el = toasts.querySelector('[data-toast-id="' + id + '"]');
    if (el) el.remove();
  }

  // ── contextual save bar ──
  function renderSaveBar(data) {
    if (!data.open) {
      if (saveBarKey === data.key) { saveBarKey = null; saveBar.classList.remove("open"); }
      return;
    }
    saveBarKey = data.key;
    var save = saveBar.querySelector(".save");
    var discard = saveBar.querySelector(".discard");
    save.textContent = data.save && data.save.loading ? "Saving…" : (data.save && data.save.label) || "Save";
    save.disabled = !data.save || data.save.disabled || data.save.loading;
    discard.hidden = !data.discard;
    if (data.discard) { discard.textContent = data.discard.label; discard.disabled = data.discard.disabled; }
    saveBar.classList.add("open");
  }
  saveBar.querySelector(".save").addEventListener("click", function () { send("save-bar-action", { key: saveBarKey, action: "save" }); });
  saveBar.querySelector(".discard").addEventListener("click", function () { send("save-bar-action", { key: saveBarKey, action: "discard" }); });

  function setTitle(title) {
    var page = (title || "").split(/\s[·|–-]\s/)[0];
    document.title = (page && page !== cfg.appName ? page + " · " : "") + cfg.appName + " · " + cfg.storeName;
  }

  window.addEventListener("message", function (event) {
    if (event.source !== iframe.contentWindow || event.origin !== appOrigin) return;
    var data = event.data;
    if (!data || data.source !== cfg.appSource) return;
    switch (data.type) {
      case "ready":
      case "location":
        currentPath = data.path;
        var adminPath = adminPathFor(data.path);
        if (adminPath && adminPath !== location.pathname + location.search) history.replaceState(null, "", adminPath);
        markActive();
        setTitle(data.title);
        setLoading(false);
        break;
      case "title": setTitle(data.title); break;
      case "nav-menu":
        renderNav(data.items || []);
        try { localStorage.setItem(NAV_KEY, JSON.stringify(data.items || [])); } catch (e) {}
        break;
      case "title-bar": crumb.textContent = data.title ? "/ " + data.title : ""; break;
      case "loading": setLoading(data.on); break;
      case "toast": showToast(data); break;
      case "toast-hide": hideToast(data.id); break;
      case "save-bar": renderSaveBar(data); break;
    }
  });

  setLoading(true);
  markActive();
  if (cfg.frameSrc) {
    iframe.src = cfg.frameSrc;
  } else {
    fetch(cfg.tokenPath + "?shop=" + encodeURIComponent(cfg.shop), { cache: "no-store" })
      .then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); })
      .then(function (body) { iframe.src = frameUrl(cfg.initialPath, body.token); })
      .catch(function (error) { setLoading(false); showToast({ id: "token", message: "Could not sign in to the app: " + error.message, isError: true, duration: 60000 }); });
  }
})(__CONFIG__);
`;

function jsonForScript(value: unknown) {
  return JSON.stringify(value).replace(/</g, "\\u003c");
}

export function renderAdminShell(options: AdminShellOptions): string {
  const storeName = options.storeName ?? titleCase(options.shop);
  const appName = options.appName ?? "Parley";
  const userName = options.userName ?? storeName;
  const locale = options.locale ?? "en";
  const frameSrc = options.token
    ? embeddedAppUrl({
        appUrl: options.appUrl,
        path: options.initialPath,
        shop: options.shop,
        token: options.token,
        locale,
      })
    : null;
  const config = {
    appUrl: options.appUrl,
    shop: options.shop,
    host: adminHost(options.shop),
    locale,
    initialPath: options.initialPath,
    frameSrc,
    tokenPath: SANDBOX_SESSION_TOKEN_PATH,
    adminPath: SANDBOX_ADMIN_PATH,
    appSource: APP_MESSAGE_SOURCE,
    adminSource: ADMIN_MESSAGE_SOURCE,
    appName,
    storeName,
    closeIcon: icon("close", 16),
  };
  const greyed = (name: keyof typeof ICONS, label: string) =>
    `<span class="nav-item disabled" aria-disabled="true" title="Not part of the sandbox">${icon(name)}${escapeHtml(label)}</span>`;

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(appName)} · ${escapeHtml(storeName)}</title>
<link rel="icon" href="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 20 20'%3E%3Crect width='20' height='20' rx='5' fill='%2395bf47'/%3E%3C/svg%3E">
<style>${STYLES}</style>
</head>
<body>
<header class="topbar" data-testid="admin-topbar">
  <div class="brand"><span class="brand-mark" aria-hidden="true"><svg viewBox="0 0 20 20" width="18" height="18"><path d="M6 7V6a4 4 0 0 1 8 0v1h2.2l-1 10.5H4.8L3.8 7zM8 7h4V6a2 2 0 0 0-4 0z" fill="#fff"/></svg></span>Admin <small>Sandbox</small></div>
  <div class="search" role="search">${icon("search", 18)}<span>Search</span><kbd>Ctrl K</kbd></div>
  <div class="top-right">
    <button class="icon-button" type="button" aria-label="Notifications">${icon("bell")}</button>
    <div class="store" data-testid="admin-store"><span class="avatar" aria-hidden="true">${escapeHtml(initials(storeName))}</span>${escapeHtml(storeName)}</div>
  </div>
  <div class="save-bar" id="save-bar" data-testid="admin-save-bar" role="region" aria-label="Unsaved changes">
    <div class="message">${icon("alert")}Unsaved changes</div>
    <div class="actions"><button type="button" class="discard">Discard</button><button type="button" class="save">Save</button></div>
  </div>
</header>
<div class="frame">
  <nav class="sidebar" aria-label="Main navigation" data-testid="admin-sidebar">
    ${greyed("home", "Home")}
    ${greyed("orders", "Orders")}
    ${greyed("products", "Products")}
    ${greyed("customers", "Customers")}
    ${greyed("content", "Content")}
    ${greyed("analytics", "Analytics")}
    ${greyed("marketing", "Marketing")}
    ${greyed("discounts", "Discounts")}
    <div class="nav-section">
      <div class="nav-heading">Sales channels ${icon("chevron", 16)}</div>
      ${greyed("store", "Online Store")}
    </div>
    <div class="nav-section">
      <div class="nav-heading">Apps ${icon("chevron", 16)}</div>
      <a class="nav-item" id="app-home-link" href="${SANDBOX_ADMIN_PATH}" data-app-href="/app" data-testid="admin-app-link">${APP_ICON}${escapeHtml(appName)}</a>
      <ul class="subnav" id="app-subnav" aria-label="${escapeHtml(appName)}"></ul>
    </div>
    <div class="nav-spacer"></div>
    ${greyed("settings", "Settings")}
  </nav>
  <main>
    <div class="app-titlebar">${APP_ICON}<span class="name">${escapeHtml(appName)}</span><span class="crumb" id="app-crumb"></span><span class="spacer"></span><button class="icon-button" type="button" aria-label="Pin app">${icon("pin", 18)}</button><span class="avatar" title="${escapeHtml(userName)}" aria-hidden="true" style="width:24px;height:24px;font-size:11px">${escapeHtml(initials(userName))}</span></div>
    <div class="loading-bar" id="loading-bar" role="progressbar" aria-label="Loading"></div>
    <iframe id="app-iframe" name="app-iframe" title="${escapeHtml(appName)}" data-testid="app-iframe" allow="clipboard-read; clipboard-write"></iframe>
  </main>
</div>
<div class="toasts" id="toasts" aria-live="polite"></div>
<script>${SHELL_SCRIPT.replace("__CONFIG__", jsonForScript(config))}</script>
</body>
</html>`;
}

export interface AdminShellHandlerConfig {
  shop: string;
  appUrl: string;
  apiKey: string;
  apiSecret: string;
  /** The staff member the sandbox admin is signed in as (the session token's `sub`; default SANDBOX_STAFF_USER_ID). */
  userId?: string | number;
  storeName?: string | (() => string);
  userName?: string;
}

/**
 * Serves the shell at /sandbox/admin and /sandbox/admin/* with a freshly minted session token. The shell must be
 * on the app's own origin (the app allows framing by 'self' only), so other hosts are redirected there.
 */
export function adminShellHandler(config: AdminShellHandlerConfig): RequestHandler {
  const appOrigin = new URL(config.appUrl);
  return async (req, res, next) => {
    try {
      if (req.headers.host && req.headers.host !== appOrigin.host) {
        res.redirect(302, new URL(req.originalUrl, appOrigin).toString());
        return;
      }
      const url = new URL(req.originalUrl, appOrigin);
      const sub = url.pathname.startsWith(SANDBOX_ADMIN_PATH) ? url.pathname.slice(SANDBOX_ADMIN_PATH.length) : "";
      const initialPath = appPathForAdminPath(sub) + url.search;
      const token = await mintSessionToken({
        shop: config.shop,
        apiKey: config.apiKey,
        apiSecret: config.apiSecret,
        userId: config.userId ?? SANDBOX_STAFF_USER_ID,
      });
      const storeName = typeof config.storeName === "function" ? config.storeName() : config.storeName;
      res
        .set("Cache-Control", "no-store")
        .type("html")
        .send(
          renderAdminShell({
            shop: config.shop,
            appUrl: config.appUrl,
            apiKey: config.apiKey,
            initialPath,
            token,
            storeName,
            userName: config.userName,
          }),
        );
    } catch (error) {
      next(error);
    }
  };
}
