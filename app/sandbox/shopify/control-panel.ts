import { discountStatus, discountSummary } from "./discount-math";
import { centsToDecimal } from "./format";
import { toGid } from "./ids";
import { checkoutAmounts, fulfillmentDisplayStatus, orderAmounts, orderFulfillmentStatus } from "./order-math";
import type { ShopifyStore } from "./store";
import type { CustomerRecord, OrderRecord } from "./types";

// The sandbox store's control panel (served at /sandbox/store): buttons that make the store do what a real shop
// does — a checkout is abandoned, an order is placed, a parcel moves, consent changes, stock returns — each of
// which reaches the app as a signed webhook, plus the recent discounts, orders and checkouts to check the result.
// Plain server-rendered HTML with a little vanilla JS; every interpolated value goes through esc().

export interface ControlPanelOptions {
  /** Where the simulator's control API is mounted. */
  controlBase?: string;
}

const esc = (value: unknown): string =>
  String(value ?? "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");

const usd = (cents: number) => `$${centsToDecimal(cents)}`;

function displayPhone(phone: string | null): string {
  const m = phone ? /^\+1(\d{3})(\d{3})(\d{4})$/.exec(phone) : null;
  return m ? `+1 (${m[1]}) ${m[2]}-${m[3]}` : (phone ?? "no phone");
}

const customerName = (c: CustomerRecord | undefined) =>
  c ? `${c.firstName} ${c.lastName}`.trim() || c.email || "Customer" : "Guest";

function shortDate(iso: string | null, timeZone: string): string {
  if (!iso) return "—";
  return new Intl.DateTimeFormat("en-US", {
    timeZone,
    month: "short",
    day: "numeric",
    hour: "numeric",
    minute: "2-digit",
  }).format(new Date(iso));
}

function badge(text: string, tone: "good" | "warn" | "bad" | "info" | "muted"): string {
  return `<span class="badge ${tone}">${esc(text.replace(/_/g, " ").toLowerCase())}</span>`;
}

const consentTone = (state: string | undefined) =>
  state === "SUBSCRIBED" ? "good" : state === "UNSUBSCRIBED" ? "bad" : state === "PENDING" ? "warn" : "muted";

function options(items: Array<{ value: string; label: string }>, placeholder?: string): string {
  const first = placeholder ? `<option value="">${esc(placeholder)}</option>` : "";
  return first + items.map((i) => `<option value="${esc(i.value)}">${esc(i.label)}</option>`).join("");
}

function field(label: string, control: string): string {
  return `<label class="field"><span>${esc(label)}</span>${control}</label>`;
}

/** A form that POSTs its fields as JSON to `endpoint`; `extra` holds further submit buttons with their own endpoint. */
function eventCard(
  title: string,
  description: string,
  endpoint: string,
  fields: string,
  button: string,
  extra = "",
): string {
  return `<form class="card event" data-endpoint="${esc(endpoint)}">
  <h3>${esc(title)}</h3>
  <p class="hint">${esc(description)}</p>
  ${fields}
  <div class="actions"><button type="submit">${esc(button)}</button>${extra}</div>
</form>`;
}

export function renderStoreControlPanel(store: ShopifyStore, panelOptions: ControlPanelOptions = {}): string {
  const base = panelOptions.controlBase ?? "/sandbox/shopify/control";
  const tz = store.shop.ianaTimezone;
  const now = store.now();
  const customer = (id: number | null) => (id === null ? undefined : store.customer(id));

  const customersWithPhone = store.customers.filter((c) => c.phone);
  const customerOptions = customersWithPhone.map((c) => ({
    value: toGid("Customer", c.id),
    label: `${customerName(c)} · ${displayPhone(c.phone)} · ${(c.smsConsent?.marketingState ?? "NO CONSENT").replace(/_/g, " ").toLowerCase()}`,
  }));
  const allCustomerOptions = store.customers.map((c) => ({
    value: toGid("Customer", c.id),
    label: `${customerName(c)} · ${c.email ?? displayPhone(c.phone)}`,
  }));
  const recentOrders = [...store.orders].sort((a, b) => b.processedAt.localeCompare(a.processedAt));
  const orderLabel = (o: OrderRecord) =>
    `#${o.number} · ${customerName(customer(o.customerId))} · ${usd(orderAmounts(o).total)} · ${orderFulfillmentStatus(o).replace(/_/g, " ").toLowerCase()}`;
  const unfulfilled = recentOrders.filter((o) => !o.cancelledAt && orderFulfillmentStatus(o) !== "FULFILLED");
  const shipments = recentOrders.flatMap((o) => o.fulfillments.map((f) => ({ o, f })));
  const shipmentOption = ({ o, f }: (typeof shipments)[number]) => ({
    value: toGid("Fulfillment", f.id),
    label: `#${o.number}.${f.sequence} · ${f.trackingCompany} ${f.trackingNumber} · ${fulfillmentDisplayStatus(f).replace(/_/g, " ").toLowerCase()}`,
  });
  const readyToMove = shipments.filter(
    ({ f }) => f.shipmentStatus === null || f.shipmentStatus === "confirmed" || f.shipmentStatus.startsWith("label"),
  );
  const moving = shipments.filter(
    ({ f }) => f.shipmentStatus === "in_transit" || f.shipmentStatus === "out_for_delivery",
  );
  const openCheckouts = [...store.checkouts]
    .filter((c) => !c.completedAt)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const outOfStock = store.products.filter((p) => p.variants.some((v) => v.inventoryQuantity <= 0));
  const activeCodes = store.discounts.filter((d) => discountStatus(d, now) === "ACTIVE");

  const events = [
    eventCard(
      "Checkout abandoned",
      "A shopper fills in contact details and leaves. Sends checkouts/create and checkouts/update.",
      "events/checkout-abandoned",
      field("Customer", `<select name="customerId">${options(customerOptions)}</select>`) +
        field("Started (minutes ago)", `<input name="startedMinutesAgo" type="number" min="0" value="60">`),
      "Abandon a checkout",
    ),
    eventCard(
      "Order placed",
      "Completes an open checkout or places a new order; a code is applied only if checkout would accept it. Sends orders/create.",
      "events/order-placed",
      field(
        "Customer",
        `<select name="customerId">${options(allCustomerOptions, "From the checkout below")}</select>`,
      ) +
        field(
          "Open checkout",
          `<select name="checkoutId">${options(
            openCheckouts.map((c) => ({
              value: toGid("AbandonedCheckout", c.id),
              label: `#${c.id} · ${customerName(customer(c.customerId))} · ${usd(checkoutAmounts(c).total)}`,
            })),
            "None (new order)",
          )}</select>`,
        ) +
        field("Discount code", `<input name="discountCode" list="codes" placeholder="optional" autocomplete="off">`),
      "Place order",
    ),
    eventCard(
      "Fulfilment created",
      "Ships an order with a carrier and tracking number. Sends fulfillments/create.",
      "events/fulfillment-created",
      field(
        "Order",
        `<select name="orderId">${options(
          unfulfilled.slice(0, 40).map((o) => ({ value: toGid("Order", o.id), label: orderLabel(o) })),
          "Latest unfulfilled order",
        )}</select>`,
      ) +
        field(
          "Carrier",
          `<select name="company">${options(
            [
              { value: "UPS", label: "UPS" },
              { value: "USPS", label: "USPS" },
              { value: "FedEx", label: "FedEx" },
            ],
            "Any",
          )}</select>`,
        ),
      "Ship it",
    ),
    eventCard(
      "Shipment in transit",
      "A carrier scan: in transit or out for delivery. Sends fulfillments/update.",
      "events/fulfillment-in-transit",
      field(
        "Shipment",
        `<select name="fulfillmentId">${options(readyToMove.slice(0, 40).map(shipmentOption), "Latest shipment not yet moving")}</select>`,
      ) +
        field(
          "Stage",
          `<select name="stage">${options([
            { value: "in_transit", label: "In transit" },
            { value: "out_for_delivery", label: "Out for delivery" },
          ])}</select>`,
        ),
      "Move shipment",
    ),
    eventCard(
      "Shipment delivered",
      "The parcel arrives. Sends fulfillments/update with shipment_status delivered.",
      "events/fulfillment-delivered",
      field(
        "Shipment",
        `<select name="fulfillmentId">${options(moving.slice(0, 40).map(shipmentOption), "Latest shipment on its way")}</select>`,
      ),
      "Deliver",
    ),
    eventCard(
      "Customer updated",
      "Consent or tags change in Shopify (e.g. opt-in at checkout). Sends customers/update.",
      "events/customer-updated",
      field("Customer", `<select name="customerId">${options(customerOptions)}</select>`) +
        field(
          "SMS marketing",
          `<select name="smsMarketingState">${options(
            ["SUBSCRIBED", "UNSUBSCRIBED", "NOT_SUBSCRIBED", "PENDING"].map((s) => ({
              value: s,
              label: s.replace(/_/g, " ").toLowerCase(),
            })),
            "Unchanged",
          )}</select>`,
        ) +
        field("Add tags", `<input name="addTags" placeholder="comma-separated, optional">`),
      "Update customer",
    ),
    eventCard(
      "Product back in stock",
      "Restocks the empty variants of a product. Sends products/update and inventory_levels/update.",
      "events/product-back-in-stock",
      field(
        "Product",
        `<select name="productId">${options(
          outOfStock.map((p) => ({
            value: toGid("Product", p.id),
            label: `${p.title} · ${p.variants.filter((v) => v.inventoryQuantity <= 0).length} of ${p.variants.length} variants empty`,
          })),
          outOfStock.length ? undefined : "Nothing is out of stock",
        )}</select>`,
      ) + field("Quantity per variant", `<input name="quantity" type="number" min="1" value="12">`),
      "Restock",
    ),
    eventCard(
      "Privacy requests",
      "Mandatory compliance webhooks: customers/data_request and customers/redact for a customer.",
      "compliance/customers-data-request",
      field("Customer", `<select name="customerId">${options(allCustomerOptions)}</select>`),
      "Request customer data",
      `<button type="submit" class="secondary" data-endpoint="compliance/customers-redact" data-confirm="Send customers/redact? The app will erase this customer's data.">Redact customer</button>`,
    ),
    eventCard(
      "Shop lifecycle",
      "app/uninstalled, and shop/redact as Shopify sends it 48 hours later.",
      "compliance/app-uninstalled",
      "",
      "Uninstall app",
      `<button type="submit" class="secondary" data-endpoint="compliance/shop-redact" data-confirm="Send shop/redact? The app will erase everything of this shop.">Send shop/redact</button>`,
    ),
    eventCard(
      "Admin API throttling",
      "The next requests to the Admin GraphQL API answer THROTTLED, as Shopify does when the cost bucket is empty.",
      "throttle",
      field("Requests", `<input name="count" type="number" min="0" value="3">`),
      "Throttle",
    ),
  ].join("\n");

  const discountRows = [...store.discounts]
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    .slice(0, 15)
    .map((d) => {
      const status = discountStatus(d, now);
      const who = d.customerIds ? d.customerIds.map((id) => customerName(customer(id))).join(", ") : "Everyone";
      return `<tr><td><code>${esc(d.code)}</code></td><td>${esc(discountSummary(d))}</td><td>${esc(who)}</td><td>${esc(d.usageCount)}${d.usageLimit !== null ? ` / ${esc(d.usageLimit)}` : ""}</td><td>${esc(shortDate(d.endsAt, tz))}</td><td>${badge(status, status === "ACTIVE" ? "good" : status === "EXPIRED" ? "muted" : "info")}</td></tr>`;
    })
    .join("");

  const orderRows = recentOrders
    .slice(0, 15)
    .map((o) => {
      const f = o.fulfillments[o.fulfillments.length - 1];
      const tracking = f
        ? `${esc(f.trackingCompany)} <a href="${esc(f.trackingUrl)}" rel="noreferrer" target="_blank">${esc(f.trackingNumber)}</a>`
        : "—";
      const shipping = f
        ? badge(fulfillmentDisplayStatus(f), f.shipmentStatus === "delivered" ? "good" : "info")
        : badge(orderFulfillmentStatus(o), "warn");
      return `<tr><td>#${esc(o.number)}</td><td>${esc(customerName(customer(o.customerId)))}</td><td>${esc(shortDate(o.processedAt, tz))}</td><td class="num">${esc(usd(orderAmounts(o).total))}</td><td>${o.discountCodes.map((d) => `<code>${esc(d.code)}</code>`).join(" ") || "—"}</td><td>${shipping}</td><td>${tracking}</td></tr>`;
    })
    .join("");

  const checkoutRows = openCheckouts
    .slice(0, 12)
    .map((c) => {
      const buyer = customer(c.customerId);
      return `<tr><td>#${esc(c.id)}</td><td>${esc(customerName(buyer))}</td><td>${esc(displayPhone(c.phone))}</td><td>${badge(buyer?.smsConsent?.marketingState ?? "no consent", consentTone(buyer?.smsConsent?.marketingState))}</td><td>${esc(shortDate(c.createdAt, tz))}</td><td>${esc(c.lineItems.map((li) => `${li.quantity}× ${li.title}`).join(", "))}</td><td class="num">${esc(usd(checkoutAmounts(c).total))}</td></tr>`;
    })
    .join("");

  const stats = [
    ["Customers", store.customers.length],
    ["SMS subscribers", store.customers.filter((c) => c.smsConsent?.marketingState === "SUBSCRIBED").length],
    ["Orders", store.orders.length],
    ["Open checkouts", openCheckouts.length],
    ["Discount codes", store.discounts.length],
  ]
    .map(([label, value]) => `<div class="stat"><strong>${esc(value)}</strong><span>${esc(label)}</span></div>`)
    .join("");

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(store.shop.name)} · Sandbox store</title>
<link rel="icon" href="data:,">
<style>
  :root { color-scheme: light; --ink: #1f2328; --muted: #616a75; --line: #e3e5e8; --bg: #f4f5f7; --accent: #2b6a4f; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 14px/1.45 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: var(--ink); background: var(--bg); }
  header { background: #1a2b23; color: #fff; padding: 18px 28px; display: flex; align-items: center; justify-content: space-between; gap: 16px; flex-wrap: wrap; }
  header h1 { margin: 0; font-size: 20px; }
  header p { margin: 2px 0 0; color: #c7d3cc; }
  .stats { display: flex; gap: 22px; }
  .stat strong { display: block; font-size: 18px; }
  .stat span { color: #c7d3cc; font-size: 12px; }
  main { padding: 22px 28px 40px; max-width: 1400px; margin: 0 auto; }
  h2 { font-size: 16px; margin: 26px 0 10px; }
  .events { display: grid; grid-template-columns: repeat(auto-fill, minmax(290px, 1fr)); gap: 14px; }
  .card { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 14px 16px; }
  .card h3 { margin: 0 0 4px; font-size: 15px; }
  .hint { margin: 0 0 10px; color: var(--muted); font-size: 12.5px; }
  .field { display: block; margin: 0 0 8px; }
  .field span { display: block; font-size: 12px; color: var(--muted); margin-bottom: 2px; }
  select, input { width: 100%; padding: 6px 8px; border: 1px solid #c9ced4; border-radius: 6px; font: inherit; background: #fff; }
  button { margin-top: 4px; padding: 7px 14px; border: 0; border-radius: 6px; background: var(--accent); color: #fff; font: inherit; font-weight: 600; cursor: pointer; }
  button.secondary { background: #fff; color: #8a2a2a; border: 1px solid #d9b3b3; }
  button:disabled { opacity: .6; cursor: progress; }
  .actions { display: flex; gap: 8px; flex-wrap: wrap; }
  #result { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 12px 16px; min-height: 48px; }
  #result.error { border-color: #d9b3b3; background: #fff7f7; }
  #result ul { margin: 6px 0 0; padding-left: 18px; }
  table { width: 100%; border-collapse: collapse; background: #fff; border: 1px solid var(--line); border-radius: 10px; overflow: hidden; }
  th, td { text-align: left; padding: 7px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
  th { background: #fafbfc; font-size: 12px; color: var(--muted); font-weight: 600; }
  td.num { text-align: right; font-variant-numeric: tabular-nums; }
  tr:last-child td { border-bottom: 0; }
  code { background: #eef1f3; padding: 1px 5px; border-radius: 4px; font-size: 12.5px; }
  .badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; white-space: nowrap; }
  .badge.good { background: #dff3e7; color: #1d6b3c; } .badge.warn { background: #fff1d6; color: #8a5a00; }
  .badge.bad { background: #fde2e2; color: #9b1c1c; } .badge.info { background: #e1ecfb; color: #1f4f8f; } .badge.muted { background: #eceef0; color: #555e68; }
  .empty { color: var(--muted); padding: 10px; }
  a { color: #1f5fae; }
</style>
</head>
<body data-control-base="${esc(base)}">
<header>
  <div>
    <h1>${esc(store.shop.name)} <span style="font-weight:400;color:#c7d3cc">· sandbox store</span></h1>
    <p>${esc(store.shop.myshopifyDomain)} · ${esc(store.shop.currencyCode)} · ${esc(store.shop.ianaTimezone)}</p>
  </div>
  <div class="stats">${stats}</div>
</header>
<main>
  <h2>Last event</h2>
  <div id="result" aria-live="polite"><span class="hint">Send an event below; the webhooks it produced and the app's answers appear here.</span></div>

  <h2>Store events</h2>
  <div class="events">
${events}
  </div>
  <datalist id="codes">${activeCodes.map((d) => `<option value="${esc(d.code)}"></option>`).join("")}</datalist>

  <h2>Recent discount codes</h2>
  ${discountRows ? `<table><thead><tr><th>Code</th><th>Discount</th><th>Who can use it</th><th>Used</th><th>Ends</th><th>Status</th></tr></thead><tbody>${discountRows}</tbody></table>` : `<p class="empty">No discount codes.</p>`}

  <h2>Recent orders</h2>
  ${orderRows ? `<table><thead><tr><th>Order</th><th>Customer</th><th>Placed</th><th class="num">Total</th><th>Codes</th><th>Shipping</th><th>Tracking</th></tr></thead><tbody>${orderRows}</tbody></table>` : `<p class="empty">No orders.</p>`}

  <h2>Open abandoned checkouts</h2>
  ${checkoutRows ? `<table><thead><tr><th>Checkout</th><th>Customer</th><th>Phone</th><th>SMS</th><th>Started</th><th>Items</th><th class="num">Total</th></tr></thead><tbody>${checkoutRows}</tbody></table>` : `<p class="empty">No open checkouts.</p>`}
</main>
<script>
(() => {
  const base = document.body.dataset.controlBase;
  const result = document.getElementById("result");
  const text = (tag, value, cls) => { const el = document.createElement(tag); el.textContent = value; if (cls) el.className = cls; return el; };

  function show(data, failed) {
    result.replaceChildren();
    result.classList.toggle("error", Boolean(failed));
    if (failed) { result.append(text("strong", data.error || data.errors || "Request failed")); return; }
    result.append(text("strong", data.summary || "Done"));
    if (Array.isArray(data.webhooks)) {
      const list = document.createElement("ul");
      for (const w of data.webhooks) {
        const answer = w.status === null ? "app unreachable" + (w.error ? " (" + w.error + ")" : "") : "app answered " + w.status;
        list.append(text("li", (w.ok ? "✓ " : "✗ ") + w.topic + " → " + answer));
      }
      result.append(list);
    } else {
      result.append(text("div", JSON.stringify(data)));
    }
  }

  const saved = sessionStorage.getItem("sandbox-store-result");
  if (saved) { sessionStorage.removeItem("sandbox-store-result"); const { data, failed } = JSON.parse(saved); show(data, failed); }

  const NUMBERS = new Set(["quantity", "startedMinutesAgo", "count"]);
  for (const form of document.querySelectorAll("form.event")) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const button = event.submitter;
      const endpoint = (button && button.dataset.endpoint) || form.dataset.endpoint;
      if (button && button.dataset.confirm && !confirm(button.dataset.confirm)) return;
      const body = {};
      for (const [key, value] of new FormData(form)) {
        if (value === "") continue;
        if (key === "addTags") body.addTags = String(value).split(",").map((t) => t.trim()).filter(Boolean);
        else body[key] = NUMBERS.has(key) ? Number(value) : value;
      }
      for (const b of form.querySelectorAll("button")) b.disabled = true;
      let data, failed;
      try {
        const response = await fetch(base + "/" + endpoint, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
        data = await response.json();
        failed = !response.ok;
      } catch (error) {
        data = { error: String(error) }; failed = true;
      }
      if (endpoint === "throttle" && !failed) data = { summary: "The next " + data.pendingThrottles + " Admin API requests will be throttled." };
      if (failed) { show(data, true); for (const b of form.querySelectorAll("button")) b.disabled = false; return; }
      // Reload so the lists show the change; the result survives the reload.
      sessionStorage.setItem("sandbox-store-result", JSON.stringify({ data, failed }));
      location.reload();
    });
  }
})();
</script>
</body>
</html>`;
}
