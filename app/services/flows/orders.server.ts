import { z } from "zod";
import { formatMoney } from "~/domain/discount-guardrails";
import type { FlowEvent, FlowKind } from "~/domain/flows/machine";
import { parseFlowSettings } from "~/domain/flows/settings";
import type { Prisma } from "~/generated/prisma/client.ts";
import { log } from "~/lib/log.server";
import { parseWebhookPayload, type ShopifyWebhookHandler } from "~/services/webhooks/receive.server";
import { type Buyer, buyerOf, contactsOfBuyer } from "./buyer.server";
import { conversionOf, dispatchFlowEvent, lockRun } from "./engine.server";

// `orders/create` (REST payload), inside the webhook receiver's transaction: the order goes as `order_placed`
// (cause "order:<id>") to every ACTIVE run of the buyer and to the run about that checkout; each machine decides
// what it means (the abandoned cart: before its opener the purchase ends the run, after it the run converted).
// Codes the order used are marked used on their DiscountIssued rows.
//
// Decision: a run that already ended well — COMPLETED after a polite close, a "will do!", a reminder nobody
// answered, a hand-over — still converts when the order comes within its flow's attribution window (settings
// `attributionWindowDays`, counted from the run's start): that window is the flow's promise to the merchant.
// Only the newest such run converts, and only flows that have an attribution window. EXITED runs never do
// (opted out, staff took over: the flow did not bring that order).

type Tx = Prisma.TransactionClient;

const Id = z.union([z.number().int().positive(), z.string().regex(/^\d+$/)]).transform(String);
const OrderPayload = z.object({
  id: Id,
  admin_graphql_api_id: z.string().nullish(),
  checkout_id: Id.nullish(),
  phone: z.string().nullish(),
  total_price: z.string(),
  currency: z.string().default("USD"),
  created_at: z.string().nullish(),
  discount_codes: z.array(z.object({ code: z.string() })).default([]),
  customer: z.object({ id: Id, admin_graphql_api_id: z.string().nullish(), phone: z.string().nullish() }).nullish(),
  billing_address: z.object({ phone: z.string().nullish() }).nullish(),
  shipping_address: z.object({ phone: z.string().nullish() }).nullish(),
});

export const handleOrderCreated: ShopifyWebhookHandler = async (tx, webhook) => {
  const payload = parseWebhookPayload(OrderPayload, webhook);
  const shopId = webhook.shop;
  if (!(await tx.shop.findUnique({ where: { id: shopId }, select: { id: true } }))) return;
  const now = new Date();
  const orderId = payload.admin_graphql_api_id || `gid://shopify/Order/${payload.id}`;
  const event: Extract<FlowEvent, { type: "order_placed" }> = {
    type: "order_placed",
    orderId,
    totalCents: Math.round(Number(payload.total_price) * 100) || 0,
    currencyCode: payload.currency,
    discountCodes: payload.discount_codes.map((d) => d.code),
    checkoutId: payload.checkout_id ?? null,
    placedAt: payload.created_at ? new Date(payload.created_at) : now,
  };
  await recordOrder(tx, {
    shopId,
    event,
    buyer: buyerOf(payload.customer, [
      payload.phone,
      payload.customer?.phone,
      payload.billing_address?.phone,
      payload.shipping_address?.phone,
    ]),
    now,
  });
};

/** The order to the runs it concerns, late conversion, codes used. Exported for tests and other order sources. */
export async function recordOrder(
  tx: Tx,
  input: { shopId: string; event: Extract<FlowEvent, { type: "order_placed" }>; buyer: Buyer; now: Date },
) {
  const { shopId, event, buyer, now } = input;
  const contacts = await contactsOfBuyer(tx, shopId, buyer);
  const contactIds = contacts.map((c) => c.id);
  const checkoutSubject = event.checkoutId ? `checkout:${event.checkoutId}` : null;
  if (contactIds.length === 0 && !checkoutSubject) return;
  const runs = await tx.flowRun.findMany({
    where: {
      shopId,
      OR: [
        ...(contactIds.length ? [{ contactId: { in: contactIds } }] : []),
        ...(checkoutSubject ? [{ subjectKey: checkoutSubject }] : []),
      ],
    },
    select: { id: true, kind: true, status: true, startedAt: true, convertedAt: true },
    orderBy: { startedAt: "desc" },
  });

  const causeKey = `order:${event.orderId}`;
  for (const run of runs.filter((r) => r.status === "ACTIVE")) {
    const result = await dispatchFlowEvent({ shopId, runId: run.id, event, causeKey, now }, { tx });
    log.info("order to flow run", { shopId, runId: run.id, kind: run.kind, outcome: result.outcome });
  }
  await convertEndedRun(tx, { shopId, event, causeKey, now, runs: runs.filter((r) => r.status === "COMPLETED") });

  if (event.discountCodes.length > 0) {
    await tx.discountIssued.updateMany({
      where: { shopId, code: { in: event.discountCodes, mode: "insensitive" }, usedAt: null },
      data: { usedAt: now, orderId: event.orderId },
    });
  }
}

async function convertEndedRun(
  tx: Tx,
  input: {
    shopId: string;
    event: Extract<FlowEvent, { type: "order_placed" }>;
    causeKey: string;
    now: Date;
    runs: { id: string; kind: FlowKind; startedAt: Date; convertedAt: Date | null }[];
  },
) {
  const { shopId, event, now } = input;
  const windows = new Map<FlowKind, number | null>();
  for (const run of input.runs) {
    if (!windows.has(run.kind)) windows.set(run.kind, await attributionDays(tx, shopId, run.kind));
    const days = windows.get(run.kind);
    if (!days || run.convertedAt) continue;
    if (event.placedAt.getTime() - run.startedAt.getTime() > days * 24 * 3_600_000) continue;
    const locked = await lockRun(tx, shopId, run.id);
    if (!locked || locked.status !== "COMPLETED") continue;
    const seq = locked.transitionCount + 1;
    const [transition] = await tx.flowTransition.createManyAndReturn({
      data: [
        {
          runId: locked.id,
          shopId,
          seq,
          causeKey: input.causeKey,
          event: event.type,
          fromState: locked.state,
          toState: locked.state,
          summary: `converted: ${formatMoney(event.totalCents, event.currencyCode)}`,
          data: { orderId: event.orderId, totalCents: event.totalCents, currencyCode: event.currencyCode, late: true },
          createdAt: now,
        },
      ],
      skipDuplicates: true,
      select: { id: true },
    });
    if (!transition) continue;
    await tx.flowRun.update({
      where: { id: locked.id },
      data: { status: "CONVERTED", transitionCount: seq, ...conversionOf(event, locked.offerCode, now) },
    });
    log.info("order converted an ended flow run", { shopId, runId: locked.id, kind: locked.kind });
    return;
  }
}

async function attributionDays(tx: Tx, shopId: string, kind: FlowKind): Promise<number | null> {
  const setting = await tx.flowSetting.findUnique({
    where: { shopId_kind: { shopId, kind } },
    select: { config: true },
  });
  const settings = parseFlowSettings(kind, setting?.config ?? {}) as { attributionWindowDays?: unknown };
  return typeof settings.attributionWindowDays === "number" ? settings.attributionWindowDays : null;
}
