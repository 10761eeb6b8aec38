import { z } from "zod";
import { transaction } from "~/db.server";
import { normalizePhone } from "~/domain/phone";
import { lockContact } from "~/services/sms/conversations.server";
import { loadShopSettings } from "~/services/sms/shop-context.server";
import { beginOptIn } from "./begin.server";

// A shopper asks to subscribe to marketing texts — from the storefront form or popup, by texting a join keyword,
// or through staff. Records the consent event with its evidence and, with double opt-in, sends the "Reply Y to
// confirm" text; consent becomes active only on the shopper's "Y" (app/services/sms/receive-inbound.server.ts).
// The rules: app/domain/opt-in.ts (whether to start) and app/domain/consent.ts (PENDING or SUBSCRIBED).

export const OptInEvidenceSchema = z.object({
  ipAddress: z.string().nullable().optional(),
  userAgent: z.string().nullable().optional(),
  pageUrl: z.string().nullable().optional(),
  shopifyCustomerId: z.string().nullable().optional(), // logged_in_customer_id from the app proxy, as a gid
  disclosureText: z.string().nullable().optional(),
  disclosureVersion: z.string().nullable().optional(),
  keyword: z.string().nullable().optional(),
  actor: z.string().nullable().optional(), // staff member id (manual add)
  note: z.string().nullable().optional(),
});
export type OptInEvidence = z.infer<typeof OptInEvidenceSchema>;

export type StartOptInInput = {
  shopId: string;
  phoneE164: string;
  source: "STOREFRONT_FORM" | "POPUP" | "KEYWORD" | "ADMIN";
  evidence: OptInEvidence;
  /** The time of the request (tests move it; expiry and the evidence use it). Default: now. */
  now?: Date;
};

export type StartOptInResult =
  | { outcome: "pending"; contactId: string; expiresAt: Date } // confirmation text queued (double opt-in)
  | { outcome: "subscribed"; contactId: string } // single opt-in shop: active now, welcome queued
  | { outcome: "already_pending"; contactId: string; expiresAt: Date } // resubmission: nothing new sent
  | { outcome: "already_subscribed"; contactId: string }
  // Opted out by STOP: the shopper must text START first. Also staff adding someone who opted out another way
  // (only the shopper may undo an opt-out: by START, or by signing up themselves).
  | { outcome: "blocked_by_stop"; contactId: string };

/** Nothing was stored: the phone is not a valid number, or the shop is unknown. */
export class OptInError extends Error {
  constructor(
    readonly code: "invalid_phone" | "unknown_shop",
    message: string,
  ) {
    super(message);
    this.name = "OptInError";
  }
}

const GID = /^gid:\/\/shopify\/Customer\/\d+$/;

export async function startOptIn(input: StartOptInInput): Promise<StartOptInResult> {
  // Callers validated the number already; the consent record must hold E.164 whatever they did.
  const phone = normalizePhone(input.phoneE164);
  if (!phone.ok) throw new OptInError("invalid_phone", phone.message);
  const evidence = OptInEvidenceSchema.parse(input.evidence);
  const customerId = evidence.shopifyCustomerId?.trim() || null;
  const now = input.now ?? new Date();

  return transaction(
    async (tx) => {
      const shop = await tx.shop.findUnique({ where: { id: input.shopId }, select: { id: true, name: true } });
      if (!shop) throw new OptInError("unknown_shop", "unknown shop");
      const settings = await loadShopSettings(tx, input.shopId);
      // Create without touching an existing row, then lock, then write (the order every contact writer keeps).
      await tx.contact.createMany({ data: [{ shopId: input.shopId, phoneE164: phone.e164 }], skipDuplicates: true });
      let contact = await tx.contact.findUniqueOrThrow({
        where: { shopId_phoneE164: { shopId: input.shopId, phoneE164: phone.e164 } },
      });
      await lockContact(tx, contact.id);
      // The logged-in customer who signed up is this number's customer: the consent sync and the welcome code
      // then work on that customer rather than looking the phone up.
      if (customerId && GID.test(customerId) && contact.shopifyCustomerId !== customerId) {
        contact = await tx.contact.update({ where: { id: contact.id }, data: { shopifyCustomerId: customerId } });
      }
      return beginOptIn(tx, {
        contact,
        settings,
        source: input.source,
        evidence: { ...evidence, shopifyCustomerId: customerId },
        now,
        shopName: shop.name,
      });
    },
    { timeout: 20_000 },
  );
}
