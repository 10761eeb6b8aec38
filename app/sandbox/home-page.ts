import { escapeHtml } from "./html";

// GET /sandbox — the sandbox's front door: what is running and where to go.
export function renderSandboxHome(options: { shop: string; storeName: string; storeNumber: string; appUrl: string }) {
  const links = [
    [
      "/sandbox/admin",
      "Shopify admin",
      "Open Parley embedded in a Shopify-admin-like shell, signed in as the store owner.",
    ],
    [
      "/sandbox/storefront",
      "Online store",
      "Be a shopper on the storefront: sign up for texts with Parley's form and popup (the theme app extension).",
    ],
    ["/sandbox/phone", "Phone simulator", "Be a shopper: text the store and see its replies arrive."],
    [
      "/sandbox/store",
      "Store control panel",
      "Abandon a checkout, place an order, ship it — sent to Parley as signed webhooks.",
    ],
    ["/sandbox/telnyx/control/log", "Message log (JSON)", "Every text the simulated phone network carried, both ways."],
    ["/health", "Health", "Web, database and job queue status."],
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Parley sandbox</title>
<style>
  body{margin:0;font:15px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,sans-serif;background:#f1f1f1;color:#303030}
  main{max-width:760px;margin:48px auto;padding:0 20px}
  h1{font-size:24px;margin:0 0 4px} p.lead{color:#616161;margin:0 0 24px}
  .card{background:#fff;border-radius:12px;box-shadow:0 1px 0 rgba(0,0,0,.07),0 0 0 1px rgba(0,0,0,.06);padding:4px 0;margin-bottom:16px}
  a.row{display:block;padding:14px 20px;text-decoration:none;color:inherit;border-top:1px solid #ebebeb}
  a.row:first-child{border-top:0} a.row:hover{background:#f7f7f7}
  a.row strong{color:#005bd3} a.row span{display:block;color:#616161;font-size:13px}
  dl{display:grid;grid-template-columns:max-content 1fr;gap:6px 16px;padding:16px 20px;margin:0}
  dt{color:#616161} dd{margin:0;font-family:ui-monospace,Menlo,monospace}
</style></head>
<body><main>
  <h1>Parley sandbox</h1>
  <p class="lead">Everything runs on this machine: embedded PostgreSQL, a simulated Shopify store and a simulated phone network.</p>
  <div class="card">${links
    .map(
      ([href, title, text]) =>
        `<a class="row" href="${escapeHtml(href)}"><strong>${escapeHtml(title)}</strong><span>${escapeHtml(text)}</span></a>`,
    )
    .join("")}</div>
  <div class="card"><dl>
    <dt>Store</dt><dd>${escapeHtml(options.storeName)} (${escapeHtml(options.shop)})</dd>
    <dt>Store number</dt><dd>${escapeHtml(options.storeNumber)}</dd>
    <dt>App URL</dt><dd>${escapeHtml(options.appUrl)}</dd>
  </dl></div>
</main></body></html>`;
}
