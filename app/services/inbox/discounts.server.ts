import {
  type AdminGraphql,
  classifyShopifyError,
  type ShopifyUserError,
} from "~/adapters/shopify/customer-consent.server";
import { prisma, transaction } from "~/db.server";
import {
  checkOffer,
  describeOffer,
  describeValidity,
  type DiscountOffer,
  type Guardrails,
  guardrailHint,
  mayExceedGuardrails,
  type OfferErrors,
  type OfferStaff,
} from "~/domain/discount-guardrails";
import { log } from "~/lib/log.server";
import { notifyInbox } from "~/services/realtime/notify.server";
import { createUniqueCode } from "~/services/shopify/customer-codes.server";
import { invalidateStoreContext, loadShopifyPart } from "./store-context.server";

// Discount codes created from the composer: single-use, redeemable only by this conversation's Shopify customer,
// within the shop's guardrails. Nothing is recorded and no code reaches the draft unless Shopify created it; a
// code is recorded on the conversation (DiscountIssued) for attribution and the thread's timeline.

export type StaffActor = { id: string | null; accountOwner: boolean };

export type CreatedDiscount = { code: string; url: string; text: string };

export type CreateDiscountResult =
  | { ok: true; discount: CreatedDiscount & { id: string; shopifyDiscountId: string; expiresAt: string } }
  | { ok: false; error: "not_found" }
  | { ok: false; error: "not_linked"; message: string }
  | { ok: false; error: "guardrails"; errors: OfferErrors }
  | { ok: false; error: "user_errors"; userErrors: ShopifyUserError[] }
  | { ok: false; error: "shopify_unavailable"; message: string; retryable: boolean };

const NOT_LINKED =
  "This shopper isn't linked to a Shopify customer yet. Link or create the customer in the sidebar first, so the code works only for them.";

async function conversationOf(shopId: string, conversationId: string) {
  return prisma.conversation.findFirst({
    where: { id: conversationId, shopId },
    select: { id: true, contact: { select: { id: true, shopifyCustomerId: true } } },
  });
}

/** The shop's brand and its guardrails (in a currency) for codes from the composer and from flows. */
export async function shopGuardrails(shopId: string) {
  const shop = await prisma.shop.findUniqueOrThrow({ where: { id: shopId }, include: { settings: true } });
  const s = shop.settings;
  return {
    brand: s?.brandName || shop.name || shopId.replace(/\.myshopify\.com$/, ""),
    guardrails: (currencyCode: string): Guardrails => ({
      maxPercent: s?.discountMaxPercent ?? 20,
      maxAmountCents: s?.discountMaxAmountCents ?? 2000,
      defaultExpiryHours: s?.discountDefaultExpiryHrs ?? 48,
      overrideRole: s?.discountOverrideRole ?? "owner",
      currencyCode,
    }),
  };
}

export type DiscountFormInfo =
  | { ok: false; error: "not_found" }
  | {
      ok: true;
      linked: boolean;
      currencyCode: string | null;
      maxPercent: number;
      maxAmountCents: number;
      defaultExpiryHours: number;
      mayExceed: boolean;
      hint: string;
    };

/** What the composer's discount form needs: limits, default expiry, currency, whether a code can be made at all. */
export async function discountFormInfo(input: {
  admin: AdminGraphql;
  shopId: string;
  staffMember: OfferStaff;
  conversationId: string;
}): Promise<DiscountFormInfo> {
  const conversation = await conversationOf(input.shopId, input.conversationId);
  if (!conversation) return { ok: false, error: "not_found" };
  const customerGid = conversation.contact.shopifyCustomerId;
  const shopify = customerGid ? await loadShopifyPart(input.admin, input.shopId, customerGid) : null;
  const currencyCode = shopify?.ok ? shopify.value.shop.currencyCode : null;
  const guardrails = (await shopGuardrails(input.shopId)).guardrails(currencyCode ?? "USD");
  return {
    ok: true,
    linked: !!customerGid,
    currencyCode,
    maxPercent: guardrails.maxPercent,
    maxAmountCents: guardrails.maxAmountCents,
    defaultExpiryHours: guardrails.defaultExpiryHours,
    mayExceed: mayExceedGuardrails(guardrails, input.staffMember),
    hint: guardrailHint(guardrails, input.staffMember),
  };
}

/** `https://{domain}/discount/{code}`, sending the shopper on to their open checkout, else to the cart. */
export function discountUrl(domain: string, code: string, checkoutRecoveryUrl?: string | null): string {
  let redirect = "/cart";
  if (checkoutRecoveryUrl) {
    try {
      const recovery = new URL(checkoutRecoveryUrl);
      redirect = `${recovery.pathname}${recovery.search}`;
    } catch {
      // not a URL: the cart it is
    }
  }
  return `https://${domain}/discount/${encodeURIComponent(code)}?redirect=${encodeRedirect(redirect)}`;
}

// Only what would end the redirect parameter is escaped: slashes stay, so the link stays short (it is read on a
// phone and every character counts towards the segments).
function encodeRedirect(path: string): string {
  return path.replace(/[%?&=#+\s]/g, (c) => encodeURIComponent(c));
}

/** The sentence inserted into the draft. GSM-7 only (no dashes or curly quotes), so it never forces Unicode. */
export function discountText(offer: DiscountOffer, code: string, url: string, currencyCode: string, now: Date) {
  return `Here's ${describeOffer(offer, currencyCode)}, just for you: code ${code}, valid ${describeValidity(offer.expiresAt, now)}. Tap to apply: ${url}`;
}

export async function createConversationDiscount(input: {
  admin: AdminGraphql;
  shopId: string;
  staffMember: StaffActor;
  conversationId: string;
  offer: unknown;
  now?: Date;
}): Promise<CreateDiscountResult> {
  const { admin, shopId, staffMember } = input;
  const now = input.now ?? new Date();
  const conversation = await conversationOf(shopId, input.conversationId);
  if (!conversation) return { ok: false, error: "not_found" };
  const customerGid = conversation.contact.shopifyCustomerId;
  if (!customerGid) return { ok: false, error: "not_linked", message: NOT_LINKED };

  // Currency, storefront domain and the open checkout: usually cached already by the sidebar.
  const shopify = await loadShopifyPart(admin, shopId, customerGid);
  if (!shopify.ok)
    return { ok: false, error: "shopify_unavailable", message: shopify.unavailable.reason, retryable: true };
  const { shop, customer, checkouts } = shopify.value;
  if (!customer) {
    return {
      ok: false,
      error: "not_linked",
      message: "The linked Shopify customer no longer exists. Link or create the customer again first.",
    };
  }

  const { brand, guardrails } = await shopGuardrails(shopId);
  const decision = checkOffer(input.offer, guardrails(shop.currencyCode), staffMember, now);
  if (!decision.ok) return { ok: false, error: "guardrails", errors: decision.errors };
  const offer = decision.offer;

  let created;
  try {
    created = await createUniqueCode(admin, {
      brand,
      title: (code) => `Parley: ${describeOffer(offer, shop.currencyCode)} for ${customer.displayName} (${code})`,
      customerGid,
      startsAt: now,
      endsAt: offer.expiresAt,
      minSubtotalCents: offer.minSubtotalCents,
      ...(offer.kind === "PERCENTAGE"
        ? { kind: "PERCENTAGE" as const, percent: offer.valuePercent! }
        : offer.kind === "FIXED_AMOUNT"
          ? { kind: "FIXED_AMOUNT" as const, amountCents: offer.valueAmountCents! }
          : { kind: "FREE_SHIPPING" as const }),
    });
  } catch (error) {
    if (error instanceof Response) throw error;
    const failure = classifyShopifyError(error);
    log.warn("discount: Shopify unavailable", { shopId, kind: failure.kind, reason: failure.reason });
    return {
      ok: false,
      error: "shopify_unavailable",
      message:
        failure.kind === "throttled"
          ? "Shopify is busy right now. No code was created; try again in a few seconds."
          : "Shopify did not create the code. No code was created; try again in a moment.",
      retryable: failure.kind !== "permanent",
    };
  }
  if (!created.ok) return { ok: false, error: "user_errors", userErrors: created.userErrors };

  const url = discountUrl(shop.domain, created.code, checkouts[0]?.recoveryUrl);
  const text = discountText(offer, created.code, url, shop.currencyCode, now);
  const row = await transaction(async (tx) => {
    const issued = await tx.discountIssued.create({
      data: {
        shopId,
        conversationId: conversation.id,
        contactId: conversation.contact.id,
        shopifyDiscountId: created.id,
        code: created.code,
        kind: offer.kind,
        valuePercent: offer.valuePercent,
        valueAmountCents: offer.valueAmountCents,
        minSubtotalCents: offer.minSubtotalCents,
        expiresAt: offer.expiresAt,
        createdByStaffId: staffMember.id,
        createdBy: "staff",
      },
    });
    await notifyInbox(tx, { shopId, conversationId: conversation.id, kind: "conversation" });
    return issued;
  });
  invalidateStoreContext(shopId, customerGid);
  if (offer.exceedsGuardrails) {
    log.info("discount beyond the shop's guardrails, by someone allowed to", {
      shopId,
      discountId: row.id,
      staffMemberId: staffMember.id,
    });
  }
  return {
    ok: true,
    discount: {
      id: row.id,
      shopifyDiscountId: created.id,
      code: created.code,
      url,
      text,
      expiresAt: offer.expiresAt.toISOString(),
    },
  };
}
