import { z } from "zod";
import { cameBack, InterestContextSchema, type ProductStock } from "~/domain/flows/interest";
import { log } from "~/lib/log.server";
import { parseWebhookPayload, type ShopifyWebhookHandler } from "~/services/webhooks/receive.server";
import { dispatchFlowEvent } from "./engine.server";

// products/update → the shoppers waiting for that product. Most product updates concern nobody (one indexed
// look-up and done). For each unnotified watch whose run still waits, and whose product really came back (released
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
  const watches = await tx.interestWatch.findMany({
    where: { shopId, targetId: productId, notifiedAt: null, runId: { not: null } },
    select: { id: true, runId: true },
  });
  if (watches.length === 0) return;
  const runs = await tx.flowRun.findMany({
    where: { shopId, id: { in: watches.map((w) => w.runId!) }, status: "ACTIVE", kind: "INTEREST" },
    select: { id: true, context: true },
  });
  const stock = stockOfPayload(payload);
  const now = new Date();
  let notified = 0;
  for (const run of runs) {
    const context = InterestContextSchema.safeParse(run.context);
    if (!context.success || !context.data.target || !context.data.watch) continue;
    if (!cameBack(context.data.watch, stock)) continue;
    const url = new URL(`/products/${encodeURIComponent(payload.handle)}`, context.data.target.url).toString();
    const result = await dispatchFlowEvent(
      {
        shopId,
        runId: run.id,
        event: { type: "product_available", productId, title: payload.title, url },
        causeKey: `product_available:${productId}`,
        now,
      },
      { tx },
    );
    if (result.outcome !== "applied") continue;
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
    if (!text) continue;
    await tx.interestWatch.updateMany({
      where: { shopId, runId: run.id, notifiedAt: null },
      data: { notifiedAt: now, notifiedMessageId: text.id },
    });
    notified++;
  }
  log.info("interest: product updated", { shopId, productId, watches: watches.length, notified });
};
