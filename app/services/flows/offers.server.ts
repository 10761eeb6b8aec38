import {
  type AdminGraphql,
  classifyShopifyError,
  describeUserErrors,
} from "~/adapters/shopify/customer-consent.server";
import { isDatabaseError, prisma, transaction } from "~/db.server";
import { checkOffer, clampPercentToGuardrails, describeOffer } from "~/domain/discount-guardrails";
import type { FlowEvent } from "~/domain/flows/machine";
import type { Prisma } from "~/generated/prisma/client.ts";
import type { QueuePayload } from "~/jobs/queues";
import { log } from "~/lib/log.server";
import { PARLEY_CUSTOMER_TAG } from "~/services/inbox/customer-link.server";
import { discountUrl, shopGuardrails } from "~/services/inbox/discounts.server";
import { createUniqueCode, ensureShopifyCustomer, ShopifyRefused } from "~/services/shopify/customer-codes.server";
import { dispatchFlowEvent } from "./engine.server";

// A flow's `create_offer`, run as the `flows.offer` job after the step committed: a single-use code only the
// shopper's Shopify customer can redeem (the customer linked, found by phone or created first), never above the
// shop's guardrail whatever the flow asked — automation has no override — recorded as DiscountIssued (createdBy
// "flow", with the run), then `offer_created` back to the run. What Shopify refuses, or a Shopify that stays
// unavailable, becomes `offer_failed`: the flow hands over instead of promising a code it does not have.

export interface FlowOfferDeps {
  adminFor(shopId: string): Promise<AdminGraphql>;
  sleep(ms: number): Promise<void>;
}

const ATTEMPTS = 3;
const CUSTOMER_TAGS = [PARLEY_CUSTOMER_TAG];

export type FlowOfferOutcome =
  | { outcome: "created"; code: string; discountId: string }
  | { outcome: "failed"; reason: string }
  | { outcome: "skipped"; reason: "not_active" | "answered" };

export async function createFlowOffer(
  payload: QueuePayload<"flowOffer">,
  deps: FlowOfferDeps,
  now: Date = new Date(),
): Promise<FlowOfferOutcome> {
  const run = await prisma.flowRun.findFirst({
    where: { id: payload.runId, shopId: payload.shopId },
    include: { contact: true },
  });
  if (!run || run.status !== "ACTIVE") return { outcome: "skipped", reason: "not_active" };
  // A retried job: the step has its answer already.
  const answered = await prisma.flowTransition.findFirst({
    where: { runId: run.id, seq: { gt: payload.seq }, event: { in: ["offer_created", "offer_failed"] } },
    select: { id: true },
  });
  if (answered) return { outcome: "skipped", reason: "answered" };

  const dispatch = (event: FlowEvent, causeKey: string, tx?: Prisma.TransactionClient) =>
    dispatchFlowEvent(
      { shopId: run.shopId, runId: run.id, event, causeKey, now, inReplyToMessageId: payload.inReplyToMessageId },
      { tx },
    );
  const fail = async (reason: string): Promise<FlowOfferOutcome> => {
    log.warn("flow offer failed", { shopId: run.shopId, runId: run.id, reason });
    await dispatch({ type: "offer_failed", reason }, `offer-failed:${payload.seq}`);
    return { outcome: "failed", reason };
  };

  const { brand, guardrails: guardrailsIn } = await shopGuardrails(run.shopId);
  const currencyCode = currencyOf(run.context);
  const guardrails = guardrailsIn(currencyCode);
  const percent =
    payload.offer.kind === "PERCENTAGE" ? clampPercentToGuardrails(payload.offer.percent, guardrails) : null;
  if (payload.offer.kind === "PERCENTAGE" && percent === null) return fail("the shop allows no percentage off");
  // Automation may never exceed the guardrail: checked as staff without the override, after the clamp.
  const decision = checkOffer(
    { kind: payload.offer.kind, value: percent ?? undefined },
    { ...guardrails, overrideRole: "nobody" },
    { accountOwner: false },
    now,
  );
  if (!decision.ok) return fail(`guardrails: ${Object.values(decision.errors).join("; ")}`);
  const offer = decision.offer;

  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    try {
      const admin = await deps.adminFor(run.shopId);
      const customerGid = await ensureShopifyCustomer(admin, run.contact, CUSTOMER_TAGS);
      const created = await createUniqueCode(admin, {
        brand,
        title: (code) =>
          `Parley ${run.kind.toLowerCase().replace(/_/g, " ")}: ${describeOffer(offer, currencyCode)} (${code})`,
        customerGid,
        startsAt: now,
        endsAt: offer.expiresAt,
        minSubtotalCents: null,
        ...(offer.kind === "PERCENTAGE"
          ? { kind: "PERCENTAGE" as const, percent: offer.valuePercent! }
          : { kind: "FREE_SHIPPING" as const }),
      });
      if (!created.ok) return fail(`Shopify refused: ${describeUserErrors(created.userErrors)}`);
      const recovery = recoveryUrlOf(run.context);
      const url = discountUrl(domainOf(recovery, run.shopId), created.code, recovery);
      const discountId = await transaction(
        async (tx) => {
          const issued = await tx.discountIssued.create({
            data: {
              shopId: run.shopId,
              contactId: run.contactId,
              conversationId: run.conversationId,
              shopifyDiscountId: created.id,
              code: created.code,
              kind: offer.kind,
              valuePercent: offer.valuePercent,
              expiresAt: offer.expiresAt,
              createdBy: "flow",
              flowRunId: run.id,
            },
          });
          await dispatch(
            {
              type: "offer_created",
              code: created.code,
              url,
              discountId: issued.id,
              expiresAt: offer.expiresAt,
              ...(offer.valuePercent ? { percent: offer.valuePercent } : {}),
            },
            `offer:${issued.id}`,
            tx,
          );
          return issued.id;
        },
        { timeout: 20_000 },
      );
      return { outcome: "created", code: created.code, discountId };
    } catch (error) {
      if (error instanceof ShopifyRefused) return fail(error.message);
      if (isDatabaseError(error)) throw error;
      const failure = classifyShopifyError(error);
      const last = attempt === ATTEMPTS || failure.kind === "permanent" || failure.kind === "not_installed";
      if (last) return fail(`Shopify unavailable: ${failure.reason}`);
      await deps.sleep(
        failure.kind === "throttled" && failure.retryAfterMs ? failure.retryAfterMs : 500 * 2 ** attempt,
      );
    }
  }
  return fail("no code after retries");
}

// Runs may keep the checkout's recovery link and currency in their context (the abandoned-cart flow does):
// the code's link then applies it and returns the shopper to that checkout.
function recoveryUrlOf(context: unknown): string | null {
  const url = (context as { checkoutUrl?: unknown } | null)?.checkoutUrl;
  return typeof url === "string" && url ? url : null;
}

function currencyOf(context: unknown): string {
  const code = (context as { currencyCode?: unknown } | null)?.currencyCode;
  return typeof code === "string" && code ? code : "USD";
}

function domainOf(recoveryUrl: string | null, shopId: string): string {
  if (recoveryUrl) {
    try {
      return new URL(recoveryUrl).host;
    } catch {
      // not a URL: the shop's own domain
    }
  }
  return shopId;
}
