// Parley's storefront pixel: what it subscribes to, what it sends and when. `index.ts` hands it to Shopify's
// `register`; the API is typed here with the few fields used (the shapes are @shopify/web-pixels-extension's), so
// the app's tests can drive this file with Shopify-shaped events.

interface Money {
  amount: number;
  currencyCode: string;
}
interface ProductVariant {
  id: string | null;
  title: string | null;
  price?: Money;
  product: { id: string | null; title: string; url: string | null };
}
interface MailingAddress {
  phone: string | null;
  countryCode: string | null;
}
interface Checkout {
  phone: string | null;
  shippingAddress: MailingAddress | null;
  billingAddress: MailingAddress | null;
  order: { id: string | null; customer?: { id: string | null } | null } | null;
}
interface PixelEventBase<Name extends string, Data> {
  id: string;
  name: Name;
  timestamp: string;
  context: { document: { location: { href: string } } };
  data: Data;
}
export type ProductViewed = PixelEventBase<"product_viewed", { productVariant: ProductVariant }>;
export type ProductAddedToCart = PixelEventBase<
  "product_added_to_cart",
  { cartLine: { merchandise: ProductVariant; quantity: number } | null }
>;
export type CheckoutStarted = PixelEventBase<"checkout_started", { checkout: Checkout }>;
export type CheckoutCompleted = PixelEventBase<"checkout_completed", { checkout: Checkout }>;

interface Events {
  product_viewed: ProductViewed;
  product_added_to_cart: ProductAddedToCart;
  checkout_started: CheckoutStarted;
  checkout_completed: CheckoutCompleted;
}

/** The part of Shopify's ExtensionApi this pixel uses. */
export interface PixelApi {
  settings: Record<string, unknown>;
  analytics: { subscribe<K extends keyof Events>(name: K, callback: (event: Events[K]) => void): unknown };
  browser: { sendBeacon?: (url: string, body?: string) => Promise<boolean> };
  init: { data: { customer: { id?: string | null } | null } };
}

/** One event as Parley's ingest endpoint reads it (app/domain/browse-events.ts PixelEventSchema). */
export interface PixelPayloadEvent {
  name: keyof Events;
  id: string;
  timestamp: string;
  customerId?: string | null;
  productId?: string | null;
  variantId?: string | null;
  title?: string | null;
  url?: string | null;
  phone?: string | null;
  countryCode?: string | null;
}

export const FLUSH_AFTER_MS = 2_000;
/** Keeps a request well under the endpoint's 16 kB limit even with long titles and URLs. */
export const MAX_EVENTS_PER_REQUEST = 10;

const cut = (text: string | null | undefined, max: number) => (text ? text.slice(0, max) : null);

function absolute(url: string | null | undefined, base: string): string | null {
  if (!url) return null;
  try {
    return cut(new URL(url, base).toString(), 1_024);
  } catch {
    return null;
  }
}

function productEvent(
  event: ProductViewed | ProductAddedToCart,
  variant: ProductVariant | undefined,
  customerId: string | null,
): PixelPayloadEvent {
  const page = event.context.document.location.href;
  return {
    name: event.name,
    id: event.id,
    timestamp: event.timestamp,
    customerId,
    productId: variant?.product.id ?? null,
    variantId: variant?.id ?? null,
    title: cut(variant?.product.title, 255),
    url: absolute(variant?.product.url, page) ?? (event.name === "product_viewed" ? cut(page, 1_024) : null),
  };
}

// No URL for checkouts: theirs carry the checkout token.
function checkoutEvent(event: CheckoutStarted | CheckoutCompleted, customerId: string | null): PixelPayloadEvent {
  const { checkout } = event.data;
  const address = checkout.shippingAddress ?? checkout.billingAddress;
  return {
    name: event.name,
    id: event.id,
    timestamp: event.timestamp,
    customerId: customerId ?? checkout.order?.customer?.id ?? null,
    phone: cut(checkout.phone ?? checkout.shippingAddress?.phone ?? checkout.billingAddress?.phone, 40),
    countryCode: address?.countryCode ?? null,
  };
}

export interface PixelDeps {
  fetch: typeof fetch;
  setTimeout: (fn: () => void, ms: number) => unknown;
}

/**
 * Subscribes to the four events and sends them in small batches: FLUSH_AFTER_MS after the first event of a batch,
 * at once for checkout events (the shopper may be about to leave). `browser.sendBeacon` goes through the top page
 * and survives a navigation; a keep-alive fetch is the fallback. A failed send is dropped: browse context is a
 * nicety, and retrying from a shopper's browser is not worth their battery.
 */
export function startPixel(api: PixelApi, deps: PixelDeps = { fetch, setTimeout }) {
  const accountID = typeof api.settings.accountID === "string" ? api.settings.accountID : "";
  const ingestUrl = typeof api.settings.ingestUrl === "string" ? api.settings.ingestUrl : "";
  if (!accountID || !ingestUrl) return;
  const customerId = api.init.data.customer?.id ?? null;
  let queue: PixelPayloadEvent[] = [];
  let scheduled = false;

  const send = (events: PixelPayloadEvent[]) => {
    const body = JSON.stringify({ accountID, events });
    const viaFetch = () =>
      deps
        .fetch(ingestUrl, { method: "POST", body, keepalive: true, headers: { "Content-Type": "text/plain" } })
        .catch(() => undefined);
    if (api.browser.sendBeacon) {
      api.browser.sendBeacon(ingestUrl, body).then(
        (queued) => (queued ? undefined : viaFetch()),
        () => viaFetch(),
      );
    } else {
      void viaFetch();
    }
  };

  const flush = () => {
    scheduled = false;
    const events = queue;
    queue = [];
    for (let i = 0; i < events.length; i += MAX_EVENTS_PER_REQUEST) send(events.slice(i, i + MAX_EVENTS_PER_REQUEST));
  };

  const push = (event: PixelPayloadEvent, now = false) => {
    queue.push(event);
    if (now) return flush();
    if (!scheduled) {
      scheduled = true;
      deps.setTimeout(flush, FLUSH_AFTER_MS);
    }
  };

  api.analytics.subscribe("product_viewed", (e) => push(productEvent(e, e.data.productVariant, customerId)));
  api.analytics.subscribe("product_added_to_cart", (e) =>
    push(productEvent(e, e.data.cartLine?.merchandise, customerId)),
  );
  api.analytics.subscribe("checkout_started", (e) => push(checkoutEvent(e, customerId), true));
  api.analytics.subscribe("checkout_completed", (e) => push(checkoutEvent(e, customerId), true));
}
