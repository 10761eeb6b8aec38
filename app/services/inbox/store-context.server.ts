import { fetchCustomerContext, type ShopifyCustomerContext } from "~/adapters/shopify/admin-queries.server";
import { type AdminGraphql, classifyShopifyError } from "~/adapters/shopify/customer-consent.server";
import { isDatabaseError, prisma } from "~/db.server";
import type { ReplyVariables } from "~/domain/reply-variables";
import { latestTrackingUrl, type StoreContext, type Unavailable } from "~/domain/store-context";
import { log } from "~/lib/log.server";

// The shopper's store context beside a thread. Shopify's part is one Admin GraphQL request, cached briefly per
// shop and customer (staff flick between threads; a shopper's orders do not change by the second); Parley's part
// (browse events, previous conversations) is read fresh each time. A throttled or failing Shopify never breaks the
// panel: its sections come back `unavailable` with a reason, and the database sections still render.

export const CONTEXT_TTL_MS = 45_000;
const CACHE_MAX_ENTRIES = 500;
/** A THROTTLED answer that asks us to wait this long or less is retried once in the request; longer is not. */
export const MAX_THROTTLE_WAIT_MS = 2_000;

type CacheEntry = { at: number; value: ShopifyCustomerContext };
const cache = new Map<string, CacheEntry>();
const key = (shopId: string, customerGid: string) => `${shopId}\u0000${customerGid}`;

/** Forget the cached Shopify part (after a discount was created or a customer linked), for one customer or all. */
export function invalidateStoreContext(shopId: string, customerGid?: string | null) {
  if (customerGid) {
    cache.delete(key(shopId, customerGid));
    return;
  }
  for (const k of cache.keys()) if (k.startsWith(`${shopId}\u0000`)) cache.delete(k);
}

export function clearStoreContextCache() {
  cache.clear();
}

export type StoreContextDeps = { now: () => number; sleep: (ms: number) => Promise<void> };
const defaultDeps: StoreContextDeps = {
  now: Date.now,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export type ShopifyPart = { ok: true; value: ShopifyCustomerContext } | { ok: false; unavailable: Unavailable };

/**
 * The customer's Shopify context, from the cache when fresh. Throttling is retried once when Shopify's suggested
 * wait is short; any other failure (or a second throttle) is reported, never thrown.
 */
export async function loadShopifyPart(
  admin: AdminGraphql,
  shopId: string,
  customerGid: string,
  deps: StoreContextDeps = defaultDeps,
): Promise<ShopifyPart> {
  const cached = cache.get(key(shopId, customerGid));
  if (cached && deps.now() - cached.at < CONTEXT_TTL_MS) return { ok: true, value: cached.value };

  for (let attempt = 1; ; attempt++) {
    try {
      const value = await fetchCustomerContext(admin, customerGid);
      remember(key(shopId, customerGid), { at: deps.now(), value });
      return { ok: true, value };
    } catch (error) {
      if (isDatabaseError(error)) throw error;
      // The session's token was refused: authenticate.admin answers with a redirect Response; let it through.
      if (error instanceof Response) throw error;
      const failure = classifyShopifyError(error);
      const wait = failure.kind === "throttled" ? (failure.retryAfterMs ?? 1_000) : null;
      if (attempt === 1 && wait !== null && wait <= MAX_THROTTLE_WAIT_MS) {
        await deps.sleep(wait);
        continue;
      }
      log.warn("store context: Shopify unavailable", { shopId, kind: failure.kind, reason: failure.reason });
      const reason =
        failure.kind === "throttled"
          ? "Shopify is busy (rate limit reached). Try again in a few seconds."
          : failure.kind === "transient"
            ? "Shopify did not answer. Try again in a moment."
            : failure.kind === "not_installed"
              ? "Parley can't reach this store's Shopify data right now."
              : "Shopify refused the request for this customer's details.";
      return {
        ok: false,
        unavailable: { state: "unavailable", reason, retryable: failure.kind !== "permanent" },
      };
    }
  }
}

function remember(k: string, entry: CacheEntry) {
  cache.delete(k); // re-inserting moves it to the end: Map order is the eviction order
  cache.set(k, entry);
  while (cache.size > CACHE_MAX_ENTRIES) cache.delete(cache.keys().next().value!);
}

export type LoadStoreContextResult = { ok: true; context: StoreContext } | { ok: false; error: "not_found" };

/** The store context of a conversation of this shop; a conversation of another shop is "not_found". */
export async function loadStoreContext(
  input: { admin: AdminGraphql; shopId: string; conversationId: string },
  deps: StoreContextDeps = defaultDeps,
): Promise<LoadStoreContextResult> {
  const { admin, shopId, conversationId } = input;
  const conversation = await prisma.conversation.findFirst({
    where: { id: conversationId, shopId },
    select: {
      id: true,
      contact: {
        select: { id: true, firstName: true, lastName: true, email: true, phoneE164: true, shopifyCustomerId: true },
      },
    },
  });
  if (!conversation) return { ok: false, error: "not_found" };
  const { contact } = conversation;
  const customerGid = contact.shopifyCustomerId;

  const [shopify, recentlyViewed, previousConversations] = await Promise.all([
    customerGid ? loadShopifyPart(admin, shopId, customerGid, deps) : Promise.resolve(null),
    recentlyViewedProducts(shopId, contact.id, customerGid),
    prisma.conversation.findMany({
      where: { shopId, contactId: contact.id, id: { not: conversation.id } },
      orderBy: { lastMessageAt: "desc" },
      take: 5,
      select: { id: true, lastMessageAt: true, lastMessageText: true, status: true },
    }),
  ]);

  const base = {
    conversationId: conversation.id,
    contact: {
      id: contact.id,
      firstName: contact.firstName,
      lastName: contact.lastName,
      email: contact.email,
      phoneE164: contact.phoneE164,
    },
    recentlyViewed,
    previousConversations: previousConversations.map((c) => ({
      id: c.id,
      lastMessageAt: c.lastMessageAt.toISOString(),
      preview: c.lastMessageText,
      status: c.status,
    })),
    fetchedAt: new Date(deps.now()).toISOString(),
  };
  const fallbackVariables: ReplyVariables = contact.firstName ? { first_name: contact.firstName } : {};

  if (!shopify) {
    return {
      ok: true,
      context: {
        ...base,
        linkable: true,
        shop: null,
        customer: null,
        orders: null,
        checkouts: null,
        variables: fallbackVariables,
      },
    };
  }
  if (!shopify.ok) {
    const u = shopify.unavailable;
    return {
      ok: true,
      context: {
        ...base,
        linkable: false,
        shop: u,
        customer: u,
        orders: u,
        checkouts: u,
        variables: fallbackVariables,
      },
    };
  }
  const { shop, customer, orders, checkouts } = shopify.value;
  return {
    ok: true,
    context: {
      ...base,
      // A linked customer Shopify no longer knows (deleted, merged) can be replaced by linking another.
      linkable: customer === null,
      shop: { state: "ok", domain: shop.domain, currencyCode: shop.currencyCode },
      customer: { state: "ok", customer },
      orders: { state: "ok", orders },
      checkouts: { state: "ok", checkouts },
      variables: replyVariables(contact.firstName, shopify.value),
    },
  };
}

export function replyVariables(contactFirstName: string | null, context: ShopifyCustomerContext): ReplyVariables {
  const variables: ReplyVariables = {};
  const firstName = context.customer?.firstName || contactFirstName;
  if (firstName) variables.first_name = firstName;
  if (context.orders[0]) variables.last_order_name = context.orders[0].name;
  const tracking = latestTrackingUrl(context.orders);
  if (tracking) variables.tracking_url = tracking;
  if (context.checkouts[0]) variables.checkout_url = context.checkouts[0].recoveryUrl;
  return variables;
}

/** The last 5 distinct products this shopper viewed (by contact or by the linked customer), newest first. */
async function recentlyViewedProducts(shopId: string, contactId: string, customerGid: string | null) {
  const events = await prisma.browseEvent.findMany({
    where: {
      shopId,
      eventName: "product_viewed",
      OR: [{ contactId }, ...(customerGid ? [{ shopifyCustomerId: customerGid }] : [])],
    },
    orderBy: { occurredAt: "desc" },
    take: 50,
    select: { productId: true, productTitle: true, url: true, occurredAt: true },
  });
  const seen = new Set<string>();
  const products = [];
  for (const e of events) {
    const id = e.productId ?? e.url ?? e.productTitle;
    if (!id || seen.has(id)) continue;
    seen.add(id);
    products.push({
      productId: e.productId,
      title: e.productTitle ?? "Product",
      url: e.url,
      viewedAt: e.occurredAt.toISOString(),
    });
    if (products.length === 5) break;
  }
  return products;
}
