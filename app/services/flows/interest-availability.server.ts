import { z } from "zod";
import { collectionsHolding } from "~/adapters/shopify/catalogue.server";
import { arrivedFor, InterestContextSchema, onSale, type ProductStock } from "~/domain/flows/interest";
import { log } from "~/lib/log.server";
import { parseWebhookPayload, type ShopifyWebhookHandler } from "~/services/webhooks/receive.server";
import { prisma, transaction } from "~/db.server";
import type { Prisma } from "~/generated/prisma/client.ts";
import { enqueueInTransaction } from "~/jobs/boss.server";
import { dispatchFlowEvent, FLOW_TX_OPTIONS } from "./engine.server";
import { defaultInterestDeps, type InterestDeps } from "./interest.server";

// products/update → the shoppers waiting for that product, or for a collection it may be in. Most product updates
// concern nobody (one indexed look-up and done); the others are handed to a job. For each unnotified watch whose
// run still waits, and for whom the product is news (their product released with stock or an empty variant
// restocked; a product of their collection on sale that was not when they asked — arrivedFor in
// app/domain/flows/interest.ts), the run gets `product_available` and texts the link to the product
// (marketing: consent and quiet hours through sendMessage). The link goes once: the run ends with that text, its
// cause key is per product, and the watch is stamped notifiedAt.
//
// A collection's shopper gets the product's link, not the collection's: the text names the product that arrived,
// and the collection page would show them again everything they could already have bought when they asked.

const Variant = z.object({
  id: z.union([z.number(), z.string()]),
  admin_graphql_api_id: z.string().optional(),
  inventory_quantity: z.number().nullish(),
  inventory_management: z.string().nullish(),
});

const ProductPayload = z.object({
  id: z.union([z.number(), z.string()]),
  admin_graphql_api_id: z.string().optional(),
  title: z.string(),
  handle: z.string(),
  status: z.string().default("active"),
  variants: z.array(Variant).default([]),
});
type ProductPayload = z.infer<typeof ProductPayload>;

const gid = (kind: string, id: number | string, given?: string) => given ?? `gid://shopify/${kind}/${id}`;

/** The webhook's product as the availability rule reads it (REST: lower-case status, numeric ids). */
export function stockOfPayload(payload: ProductPayload): ProductStock {
  return {
    status: payload.status,
    variants: payload.variants.map((v) => ({
      id: gid("ProductVariant", v.id, v.admin_graphql_api_id),
      inventoryQuantity: v.inventory_quantity ?? null,
      // REST's inventory_management null means Shopify does not track the variant's stock.
      tracked: v.inventory_management !== null,
    })),
  };
}

/** Watches still waiting: not notified, with a run. */
const waitingIn = (shopId: string) => ({ shopId, notifiedAt: null, runId: { not: null } });

export const handleProductUpdate: ShopifyWebhookHandler = async (tx, webhook) => {
  const payload = parseWebhookPayload(ProductPayload, webhook);
  const shopId = webhook.shop;
  const productId = gid("Product", payload.id, payload.admin_graphql_api_id);
  const stock = stockOfPayload(payload);
  // Which collections hold the product is the Admin API's answer, asked by the job, never inside this
  // transaction; here it is enough that someone in the shop waits on a collection — and only while the product
  // is on sale, since only then can it be a collection's news. One statement, on the (shopId, targetId, …) and
  // (shopId, targetType, …) indexes.
  const waiting = await tx.interestWatch.findFirst({
    where: {
      ...waitingIn(shopId),
      OR: [{ targetId: productId }, ...(onSale(stock) ? [{ targetType: "collection" }] : [])],
    },
    select: { id: true },
  });
  if (!waiting) return;
  // A popular product may have thousands of watchers: they are texted by a job, one transaction each, so the
  // webhook answers at once and a crash part-way resumes where it stopped (the cause key makes each text once).
  await enqueueInTransaction(
    tx,
    "flowProductAvailable",
    { shopId, productId, title: payload.title, handle: payload.handle, stock },
    { singletonKey: `${shopId}:product_available:${productId}:${webhook.deliveryId}` },
  );
};

type AvailableProduct = { shopId: string; productId: string; title: string; handle: string; stock: ProductStock };

/** The `flows.product-available` job: every waiting run for whom the product is news gets its link, once. */
export async function notifyProductWatchers(
  input: AvailableProduct,
  deps: InterestDeps = defaultInterestDeps,
): Promise<{ watches: number; notified: number }> {
  const { shopId, productId } = input;
  const now = deps.now();
  // The product's own watchers first: they need no Admin API, so a Shopify failure (the job retries) only delays
  // the collections' shoppers.
  const own = await notifyWatches(input, { ...waitingIn(shopId), targetId: productId }, now);
  const collections = onSale(input.stock) ? await watchedCollectionsHolding(input, deps) : [];
  const theirs = collections.length
    ? await notifyWatches(input, { ...waitingIn(shopId), targetId: { in: collections } }, now)
    : { watches: 0, notified: 0 };
  const result = { watches: own.watches + theirs.watches, notified: own.notified + theirs.notified };
  log.info("interest: product updated", { shopId, productId, collections: collections.length, ...result });
  return result;
}

/** The watched collections of the shop that hold the product (Admin API). */
async function watchedCollectionsHolding(input: AvailableProduct, deps: InterestDeps): Promise<string[]> {
  const watched = await prisma.interestWatch.findMany({
    where: { ...waitingIn(input.shopId), targetType: "collection" },
    distinct: ["targetId"],
    select: { targetId: true },
  });
  if (watched.length === 0) return [];
  const admin = await deps.adminFor(input.shopId);
  return collectionsHolding(
    admin,
    input.productId,
    watched.map((w) => w.targetId),
  );
}

async function notifyWatches(
  input: AvailableProduct,
  where: Prisma.InterestWatchWhereInput,
  now: Date,
): Promise<{ watches: number; notified: number }> {
  const { shopId, productId } = input;
  const watches = await prisma.interestWatch.findMany({ where, select: { runId: true } });
  const runs = await prisma.flowRun.findMany({
    where: { shopId, id: { in: watches.map((w) => w.runId!) }, status: "ACTIVE", kind: "INTEREST" },
    select: { id: true, context: true },
  });
  let notified = 0;
  for (const run of runs) {
    const context = InterestContextSchema.safeParse(run.context);
    if (!context.success || !context.data.target || !context.data.watch) continue;
    if (!arrivedFor(context.data.target, context.data.watch, productId, input.stock)) continue;
    const url = new URL(`/products/${encodeURIComponent(input.handle)}`, context.data.target.url).toString();
    const sent = await transaction(async (tx) => {
      const result = await dispatchFlowEvent(
        {
          shopId,
          runId: run.id,
          event: { type: "product_available", productId, title: input.title, url },
          causeKey: `product_available:${productId}`,
          now,
        },
        { tx },
      );
      if (result.outcome !== "applied") return false;
      // The step's text (the engine's key: flow:<run>:<step>:<n>); refused (consent gone meanwhile) is no notice.
      const { transitionCount } = await tx.flowRun.findUniqueOrThrow({
        where: { id: run.id },
        select: { transitionCount: true },
      });
      const text = await tx.message.findFirst({
        where: {
          shopId,
          idempotencyKey: `flow:${run.id}:${transitionCount}:0`,
          status: { notIn: ["REFUSED", "CANCELLED"] },
        },
        select: { id: true },
      });
      if (!text) return false;
      await tx.interestWatch.updateMany({
        where: { shopId, runId: run.id, notifiedAt: null },
        data: { notifiedAt: now, notifiedMessageId: text.id },
      });
      return true;
    }, FLOW_TX_OPTIONS);
    if (sent) notified++;
  }
  return { watches: watches.length, notified };
}
