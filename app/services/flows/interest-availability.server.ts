import { z } from "zod";
import { cameBack, InterestContextSchema, type ProductStock } from "~/domain/flows/interest";
import { log } from "~/lib/log.server";
import { parseWebhookPayload, type ShopifyWebhookHandler } from "~/services/webhooks/receive.server";
import { prisma } from "~/db.server";
import { enqueueInTransaction } from "~/jobs/boss.server";
import { dispatchFlowEvent, FLOW_TX_OPTIONS } from "./engine.server";

// products/update → the shoppers waiting for that product. Most product updates concern nobody (one indexed
// look-up and done); the others are handed to a job. For each unnotified watch whose run still waits, and whose product really came back (released
// with stock, or a variant that was empty restocked — app/domain/flows/interest.ts), the run gets
// `product_available` and texts the link (marketing: consent and quiet hours through sendMessage). The link goes
// once: the run ends with that text, its cause key is per product, and the watch is stamped notifiedAt.

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

export const handleProductUpdate: ShopifyWebhookHandler = async (tx, webhook) => {
  const payload = parseWebhookPayload(ProductPayload, webhook);
  const shopId = webhook.shop;
  const productId = gid("Product", payload.id, payload.admin_graphql_api_id);
  const waiting = await tx.interestWatch.findFirst({
    where: { shopId, targetId: productId, notifiedAt: null, runId: { not: null } },
    select: { id: true },
  });
  if (!waiting) return;
  // A popular product may have thousands of watchers: they are texted by a job, one transaction each, so the
  // webhook answers at once and a crash part-way resumes where it stopped (the cause key makes each text once).
  await enqueueInTransaction(
    tx,
    "flowProductAvailable",
    { shopId, productId, title: payload.title, handle: payload.handle, stock: stockOfPayload(payload) },
    { singletonKey: `${shopId}:product_available:${productId}:${webhook.deliveryId}` },
  );
};

/** The `flows.product-available` job: every waiting run whose product really came back gets its link, once. */
export async function notifyProductWatchers(
  input: { shopId: string; productId: string; title: string; handle: string; stock: ProductStock },
  now = new Date(),
): Promise<{ watches: number; notified: number }> {
  const { shopId, productId } = input;
  const watches = await prisma.interestWatch.findMany({
    where: { shopId, targetId: productId, notifiedAt: null, runId: { not: null } },
    select: { runId: true },
  });
  const runs = await prisma.flowRun.findMany({
    where: { shopId, id: { in: watches.map((w) => w.runId!) }, status: "ACTIVE", kind: "INTEREST" },
    select: { id: true, context: true },
  });
  let notified = 0;
  for (const run of runs) {
    const context = InterestContextSchema.safeParse(run.context);
    if (!context.success || !context.data.target || !context.data.watch) continue;
    if (!cameBack(context.data.watch, input.stock)) continue;
    const url = new URL(`/products/${encodeURIComponent(input.handle)}`, context.data.target.url).toString();
    const sent = await prisma.$transaction(async (tx) => {
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
  log.info("interest: product updated", { shopId, productId, watches: watches.length, notified });
  return { watches: watches.length, notified };
}
