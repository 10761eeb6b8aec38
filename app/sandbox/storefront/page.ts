import { escapeHtml } from "../html";
import type { CustomerRecord, ProductRecord } from "../shopify/types";

// The sandbox's online store: a plain theme-like page around the extension's rendered block and embed.

export interface StorePageOptions {
  storeName: string;
  title: string;
  /** Tags the theme puts in <head> (the blocks' schema stylesheets and scripts). */
  head: string;
  /** Main content, already HTML. */
  main: string;
  /** The app embeds, rendered at the end of <body> like Shopify does. */
  embeds: string;
  customers: readonly CustomerRecord[];
  customer: CustomerRecord | null;
  /** The merchant has not switched the form on in Parley's settings. */
  optInOff: boolean;
  returnTo: string;
}

const money = (cents: number) => `$${(cents / 100).toFixed(2)}`;
export const productImage = (handle: string) => `/sandbox/shopify/cdn/products/${encodeURIComponent(handle)}.svg`;
export const STOREFRONT = "/sandbox/storefront";

export function productCard(product: ProductRecord): string {
  const price = Math.min(...product.variants.map((v) => v.priceCents));
  return `<a class="card" href="${STOREFRONT}/products/${escapeHtml(product.handle)}">
    <img src="${productImage(product.handle)}" alt="" loading="lazy" width="300" height="300">
    <span class="card__title">${escapeHtml(product.title)}</span>
    <span class="card__price">${money(price)}</span>
  </a>`;
}

export function productDetail(product: ProductRecord, block: string): string {
  const variant = product.variants[0];
  return `<section class="product">
    <img src="${productImage(product.handle)}" alt="${escapeHtml(product.title)}" width="560" height="560">
    <div class="product__info">
      <p class="product__vendor">${escapeHtml(product.vendor)}</p>
      <h1>${escapeHtml(product.title)}</h1>
      <p class="product__price">${variant ? money(variant.priceCents) : ""}</p>
      <button class="product__buy" type="button" disabled>Add to cart</button>
      <p class="product__description">${escapeHtml(product.description)}</p>
      <div class="product__app">${block}</div>
    </div>
  </section>`;
}

function sessionControls(options: StorePageOptions): string {
  const choices = [`<option value="">Guest</option>`]
    .concat(
      options.customers
        .slice(0, 12)
        .map(
          (c) =>
            `<option value="${c.id}"${options.customer?.id === c.id ? " selected" : ""}>${escapeHtml(`${c.firstName} ${c.lastName}`)}</option>`,
        ),
    )
    .join("");
  return `<form class="session" method="post" action="${STOREFRONT}/session">
    <input type="hidden" name="returnTo" value="${escapeHtml(options.returnTo)}">
    <label>Browsing as <select name="customer" data-testid="storefront-customer">${choices}</select></label>
    <button type="submit">Switch</button>
  </form>`;
}

export function renderStorePage(options: StorePageOptions): string {
  const notice = options.optInOff
    ? `<div class="sandbox-notice" data-testid="storefront-opt-in-off"><span>The text sign-up form is switched off in Parley's settings, so the storefront hides it.</span>
      <form method="post" action="${STOREFRONT}/enable-opt-in"><input type="hidden" name="returnTo" value="${escapeHtml(options.returnTo)}"><button type="submit">Switch it on</button></form></div>`
    : "";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<link rel="icon" href="data:,">
<title>${escapeHtml(options.title)} – ${escapeHtml(options.storeName)}</title>
<style>
  *{box-sizing:border-box} body{margin:0;font:16px/1.55 "Helvetica Neue",Helvetica,Arial,sans-serif;color:#1c1b1a;background:#fff}
  a{color:inherit} .sandbox-bar{display:flex;gap:16px;align-items:center;justify-content:space-between;flex-wrap:wrap;padding:6px 24px;background:#1c1b1a;color:#f6f4f0;font-size:13px}
  .sandbox-bar a{color:#f6f4f0} .session{display:flex;gap:6px;align-items:center} .session select,.session button{font:inherit;font-size:12px}
  .sandbox-notice{display:flex;gap:12px;align-items:center;justify-content:center;flex-wrap:wrap;padding:10px 24px;background:#fff4d6;font-size:14px}
  .sandbox-notice button{font:inherit;padding:4px 12px}
  header.site{display:flex;align-items:center;justify-content:space-between;padding:20px 40px;border-bottom:1px solid #ebe8e2}
  .logo{font-size:22px;font-weight:800;letter-spacing:.02em;text-decoration:none} nav a{margin-left:24px;text-decoration:none;font-size:15px}
  main{max-width:1180px;margin:0 auto;padding:0 40px 64px}
  .hero{margin:32px 0;padding:72px 48px;border-radius:18px;background:linear-gradient(120deg,#efe9df,#dfe7e2);}
  .hero h1{font-size:44px;line-height:1.1;margin:0 0 10px;max-width:14ch} .hero p{margin:0;font-size:18px;max-width:40ch;color:#4a4844}
  h2.section{font-size:22px;margin:40px 0 16px} .grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:24px}
  .card{display:flex;flex-direction:column;gap:4px;text-decoration:none} .card img{width:100%;height:auto;border-radius:12px;background:#f3f3f3}
  .card__title{font-weight:600;margin-top:6px} .card__price{color:#5c5a56}
  .apps{margin:56px 0 0}
  .product{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:48px;margin-top:40px}
  .product img{width:100%;height:auto;border-radius:16px} .product h1{margin:0 0 8px;font-size:34px;line-height:1.15}
  .product__vendor{margin:0;text-transform:uppercase;letter-spacing:.12em;font-size:12px;color:#6b6863}
  .product__price{font-size:20px;margin:0 0 18px} .product__buy{width:100%;padding:14px;border-radius:10px;border:1px solid #1c1b1a;background:#fff;font:inherit;font-weight:700}
  .product__app{margin-top:28px} .product__app .parley-opt-in{margin:0}
  footer.site{border-top:1px solid #ebe8e2;padding:28px 40px;color:#6b6863;font-size:14px}
  @media (max-width:760px){header.site,main,footer.site{padding-left:20px;padding-right:20px}.product{grid-template-columns:1fr}.hero{padding:40px 24px}.hero h1{font-size:32px}}
</style>
${options.head}
</head>
<body>
<div class="sandbox-bar"><span>Sandbox storefront · <a href="/sandbox">sandbox home</a> · <a href="/sandbox/phone">phone</a></span>${sessionControls(options)}</div>
${notice}
<header class="site"><a class="logo" href="${STOREFRONT}">${escapeHtml(options.storeName)}</a>
<nav aria-label="Main"><a href="${STOREFRONT}">Home</a><a href="${STOREFRONT}#catalog">Shop all</a>${options.customer ? `<a href="#">Hi, ${escapeHtml(options.customer.firstName)}</a>` : `<a href="#">Log in</a>`}<a href="#">Cart (0)</a></nav></header>
<main>${options.main}</main>
<footer class="site">© ${escapeHtml(options.storeName)} · Powered by the Parley sandbox</footer>
${options.embeds}
</body></html>`;
}
