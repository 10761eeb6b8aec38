import { z } from "zod";
import type { AdminGraphql } from "~/adapters/shopify/customer-consent.server";
import { prisma, transaction } from "~/db.server";
import type { AbandonedCartContext } from "~/domain/flows/abandoned-cart";
import type { CartProduct } from "~/domain/flows/cart-answers";
import type { FlowRun, Prisma } from "~/generated/prisma/client.ts";
import { log } from "~/lib/log.server";
import { handleCheckoutConsent } from "~/services/opt-in/checkout-consent.server";
import { parseWebhookPayload, type ShopifyWebhookHandler } from "~/services/webhooks/receive.server";
import { unauthenticated } from "~/shopify.server";
import { buyerOf, contactsOfBuyer } from "./buyer.server";
import { lockRun, startFlowRun, type StartFlowRunResult } from "./engine.server";

// What starts an abandoned-cart run, and what it knows about the cart.
// - checkouts/create|update: the checkout's phone, for a contact with marketing consent — including the consent
//   the buyer just gave at checkout, recorded first in the same transaction (handleCheckoutConsent). Subject
//   "checkout:<id>", so Shopify's many updates of one checkout start one run.
// - the pixel's checkout_started for a known subscriber (the webhook may be missing or late): the cart's items
//   are the shopper's recent add-to-carts.
// One abandoned-cart conversation per shopper at a time: a new checkout (or an update of the same one) while a
// run still waits for its opener refreshes that run's cart, so the opener names what is in the cart now. A
// completed checkout starts nothing; its order (orders/create) ends or converts the run.

type Tx = Prisma.TransactionClient;

const Id = z.union([z.number().int().positive(), z.string().regex(/^\d+$/)]).transform(String);
const CheckoutPayload = z.object({
  id: Id,
  phone: z.string().nullish(),
  sms_marketing_phone: z.string().nullish(),
  completed_at: z.string().nullish(),
  abandoned_checkout_url: z.string().nullish(),
  currency: z.string().nullish(),
  total_price: z.string().nullish(),
  line_items: z
    .array(
      z.object({
        title: z.string().nullish(),
        variant_title: z.string().nullish(),
        quantity: z.number().int().nullish(),
        product_id: Id.nullish(),
      }),
    )
    .default([]),
  customer: z.object({ id: Id, admin_graphql_api_id: z.string().nullish(), phone: z.string().nullish() }).nullish(),
  shipping_address: z.object({ phone: z.string().nullish() }).nullish(),
});

/** The checkouts/create|update receiver: the checkout opt-in first, then the abandoned-cart trigger. */
export const handleCheckoutWebhook: ShopifyWebhookHandler = async (tx, webhook) => {
  await handleCheckoutConsent(tx, webhook);
  await startAbandonedCartFromCheckout(tx, webhook);
};

export const startAbandonedCartFromCheckout: ShopifyWebhookHandler = async (tx, webhook) => {
  const payload = parseWebhookPayload(CheckoutPayload, webhook);
  const shopId = webhook.shop;
  if (payload.completed_at) return;
  const items = payload.line_items.flatMap((li) =>
    li.title
      ? [
          {
            title: li.title,
            variantTitle: li.variant_title || null,
            quantity: li.quantity ?? 1,
            productId: li.product_id ? `gid://shopify/Product/${li.product_id}` : null,
          },
        ]
      : [],
  );
  if (items.length === 0) return;
  const buyer = buyerOf(payload.customer, [
    payload.sms_marketing_phone,
    payload.phone,
    payload.customer?.phone,
    payload.shipping_address?.phone,
  ]);
  const [contact] = await contactsOfBuyer(tx, shopId, buyer);
  if (!contact) return;
  const result = await startOrRefreshCartRun(tx, {
    shopId,
    contactId: contact.id,
    subjectKey: `checkout:${payload.id}`,
    cart: {
      checkoutId: payload.id,
      checkoutUrl: payload.abandoned_checkout_url ?? null,
      currencyCode: payload.currency || "USD",
      totalCents: Math.round(Number(payload.total_price ?? 0) * 100) || 0,
      items,
    },
    now: new Date(),
  });
  if (result.outcome !== "duplicate")
    log.info("abandoned cart (checkout)", { shopId, checkout: payload.id, ...result });
};

/** The pixel's checkout_started for a contact Parley knows: a run like the webhook's (see above). */
export async function startAbandonedCartFromBrowse(input: {
  shopId: string;
  contactId: string;
  eventId: string;
  url: string | null;
  now?: Date;
}) {
  const now = input.now ?? new Date();
  const added = await prisma.browseEvent.findMany({
    where: {
      shopId: input.shopId,
      contactId: input.contactId,
      eventName: "product_added_to_cart",
      occurredAt: { gte: new Date(now.getTime() - 24 * 3_600_000) },
      productTitle: { not: null },
    },
    orderBy: { occurredAt: "desc" },
    take: 10,
    select: { productTitle: true, productId: true },
  });
  const items = [...new Map(added.map((a) => [a.productTitle!, a])).values()].map((a) => ({
    title: a.productTitle!,
    quantity: 1,
    productId: a.productId,
  }));
  const token = input.url ? /\/checkouts\/(?:[a-z]{1,3}\/)?([A-Za-z0-9]{16,})/.exec(input.url)?.[1] : undefined;
  return transaction(
    (tx) =>
      startOrRefreshCartRun(tx, {
        shopId: input.shopId,
        contactId: input.contactId,
        subjectKey: token ? `checkout:token:${token}` : `checkout:pixel:${input.eventId}`,
        cart: { checkoutId: token ?? input.eventId, checkoutUrl: input.url, currencyCode: "USD", totalCents: 0, items },
        now,
      }),
    { timeout: 20_000 },
  );
}

type Cart = Pick<AbandonedCartContext, "checkoutId" | "checkoutUrl" | "currencyCode" | "totalCents" | "items">;

async function startOrRefreshCartRun(
  tx: Tx,
  input: { shopId: string; contactId: string; subjectKey: string; cart: Cart; now: Date },
): Promise<StartFlowRunResult> {
  const active = await tx.flowRun.findFirst({
    where: { shopId: input.shopId, contactId: input.contactId, kind: "ABANDONED_CART", status: "ACTIVE" },
    orderBy: { startedAt: "desc" },
    select: { id: true },
  });
  if (active) {
    const run = await lockRun(tx, input.shopId, active.id);
    if (run?.status === "ACTIVE" && run.state === "waiting" && input.cart.items.length > 0)
      await tx.flowRun.update({
        where: { id: run.id },
        data: { context: { ...(run.context as object), ...input.cart } as Prisma.InputJsonValue },
      });
    return { outcome: "duplicate", runId: active.id };
  }
  return startFlowRun(
    {
      shopId: input.shopId,
      kind: "ABANDONED_CART",
      contactId: input.contactId,
      subjectKey: input.subjectKey,
      context: input.cart,
      now: input.now,
    },
    { tx },
  );
}

// ─── Product data for questions ("does this come in blue?") ───────────────────────────────────────

const PRODUCT_QUERY = /* GraphQL */ `
  query ParleyCartProduct($id: ID!) {
    product(id: $id) {
      id
      title
      description(truncateAt: 600)
      options(first: 5) {
        name
        values
      }
      variants(first: 50) {
        nodes {
          title
          availableForSale
          selectedOptions {
            name
            value
          }
        }
      }
    }
  }
`;

const ProductData = z.object({
  product: z
    .object({
      id: z.string(),
      title: z.string(),
      description: z.string().default(""),
      options: z.array(z.object({ name: z.string(), values: z.array(z.string()) })),
      variants: z.object({
        nodes: z.array(
          z.object({
            title: z.string(),
            availableForSale: z.boolean(),
            selectedOptions: z.array(z.object({ name: z.string(), value: z.string() })),
          }),
        ),
      }),
    })
    .nullish(),
});

export async function fetchCartProduct(admin: AdminGraphql, productId: string): Promise<CartProduct | null> {
  const response = await admin.graphql(PRODUCT_QUERY, { variables: { id: productId } });
  const body = (await response.json()) as { data?: unknown };
  const product = ProductData.parse(body.data ?? {}).product;
  if (!product) return null;
  return {
    productId: product.id,
    title: product.title,
    description: product.description,
    options: product.options,
    variants: product.variants.nodes.map((v) => ({
      title: v.title,
      available: v.availableForSale,
      options: Object.fromEntries(v.selectedOptions.map((o) => [o.name, o.value])),
    })),
  };
}

/** Before the machine reads a reply: the cart's products, once per run (at most three, the first items). */
export async function loadCartProducts(
  run: FlowRun,
  adminFor: (shopId: string) => Promise<AdminGraphql> = async (shopId) => (await unauthenticated.admin(shopId)).admin,
) {
  const context = run.context as Partial<AbandonedCartContext>;
  if (context.products) return;
  const ids = [...new Set((context.items ?? []).flatMap((i) => (i.productId ? [i.productId] : [])))].slice(0, 3);
  if (ids.length === 0) return;
  const admin = await adminFor(run.shopId);
  const products = (await Promise.all(ids.map((id) => fetchCartProduct(admin, id)))).filter(
    (p): p is CartProduct => p !== null,
  );
  // Only the products: written under the run's lock, so it never overwrites a step that committed meanwhile.
  await transaction(async (tx) => {
    const locked = await lockRun(tx, run.shopId, run.id);
    if (!locked || (locked.context as Partial<AbandonedCartContext>).products) return;
    await tx.flowRun.update({
      where: { id: run.id },
      data: { context: { ...(locked.context as object), products } as Prisma.InputJsonValue },
    });
  });
}
