import {
  type AdminGraphql,
  classifyShopifyError,
  describeUserErrors,
} from "~/adapters/shopify/customer-consent.server";
import { isDatabaseError, prisma } from "~/db.server";
import { type ConsentSourceName, sourceTag, WELCOME_CODE_VALID_DAYS, welcomePercent } from "~/domain/opt-in";
import { maskPhone } from "~/domain/phone";
import type { Contact, ShopSettings } from "~/generated/prisma/client.ts";
import { log } from "~/lib/log.server";
import { createUniqueCode, ensureShopifyCustomer, ShopifyRefused } from "~/services/shopify/customer-codes.server";

// The welcome code: a single-use percentage code only the new subscriber's Shopify customer can redeem. The
// customer is the linked one, else the shop's customer with that phone (then linked), else a new one made from
// the phone; either way tagged with where the subscriber came from. Runs in the `opt-in.welcome` job, never in
// the transaction that recorded the confirmation. A code already issued for this subscriber is reused, so a
// retried job does not make a second one.

export interface WelcomeCodeDeps {
  adminFor(shopId: string): Promise<AdminGraphql>;
  sleep(ms: number): Promise<void>;
}

export type WelcomeCode = { code: string; percent: number; validDays: number };

const ATTEMPTS = 3;

/** The code, or null when Shopify refused or stayed unavailable after a few tries (the welcome goes without). */
export async function issueWelcomeCode(
  input: { contact: Contact; settings: ShopSettings; source: ConsentSourceName; brand: string; now: Date },
  deps: WelcomeCodeDeps,
): Promise<WelcomeCode | null> {
  const { contact, settings } = input;
  const existing = await prisma.discountIssued.findFirst({
    where: { shopId: contact.shopId, contactId: contact.id, createdBy: "welcome" },
    orderBy: { createdAt: "desc" },
  });
  if (existing) {
    return {
      code: existing.code,
      percent: existing.valuePercent ?? welcomePercent(settings),
      validDays: WELCOME_CODE_VALID_DAYS,
    };
  }
  const context = { shopId: contact.shopId, contactId: contact.id, phone: maskPhone(contact.phoneE164) };

  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    try {
      const admin = await deps.adminFor(contact.shopId);
      const customerGid = await ensureShopifyCustomer(admin, contact, [sourceTag(input.source)]);
      return await createCode(admin, { ...input, customerGid });
    } catch (error) {
      if (error instanceof ShopifyRefused) {
        log.warn("welcome code: Shopify refused; the welcome goes without a code", {
          ...context,
          error: error.message,
        });
        return null;
      }
      if (isDatabaseError(error)) throw error;
      const failure = classifyShopifyError(error);
      const last = attempt === ATTEMPTS || failure.kind === "permanent" || failure.kind === "not_installed";
      log.warn(`welcome code: Shopify unavailable${last ? "; the welcome goes without a code" : ", retrying"}`, {
        ...context,
        attempt,
        kind: failure.kind,
        reason: failure.reason,
      });
      if (last) return null;
      await deps.sleep(
        failure.kind === "throttled" && failure.retryAfterMs ? failure.retryAfterMs : 500 * 2 ** attempt,
      );
    }
  }
  return null;
}

async function createCode(
  admin: AdminGraphql,
  input: { contact: Contact; settings: ShopSettings; brand: string; now: Date; customerGid: string },
): Promise<WelcomeCode> {
  const { contact, now } = input;
  const percent = welcomePercent(input.settings);
  const endsAt = new Date(now.getTime() + WELCOME_CODE_VALID_DAYS * 24 * 3_600_000);
  const result = await createUniqueCode(admin, {
    brand: input.brand,
    title: (code) => `Parley welcome: ${percent}% off (${code})`,
    customerGid: input.customerGid,
    startsAt: now,
    endsAt,
    minSubtotalCents: null,
    kind: "PERCENTAGE",
    percent,
  });
  if (!result.ok) throw new ShopifyRefused(`discountCodeBasicCreate: ${describeUserErrors(result.userErrors)}`);
  const conversation = await prisma.conversation.findFirst({
    where: { shopId: contact.shopId, contactId: contact.id },
    orderBy: { lastMessageAt: "desc" },
    select: { id: true },
  });
  await prisma.discountIssued.create({
    data: {
      shopId: contact.shopId,
      contactId: contact.id,
      conversationId: conversation?.id ?? null,
      shopifyDiscountId: result.id,
      code: result.code,
      kind: "PERCENTAGE",
      valuePercent: percent,
      expiresAt: endsAt,
      createdBy: "welcome",
    },
  });
  return { code: result.code, percent, validDays: WELCOME_CODE_VALID_DAYS };
}
