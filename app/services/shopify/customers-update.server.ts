import { z } from "zod";
import { nextConsent, NO_CONSENT, shopifyConsentEvent } from "~/domain/consent";
import { normalizePhone } from "~/domain/phone";
import {
  fromRestSmsConsent,
  isShopifyDefaultConsent,
  isStaleShopifyConsent,
  type ParsedShopifyConsent,
  RestSmsConsentSchema,
} from "~/domain/shopify-consent";
import { log } from "~/lib/log.server";
import { applyConsentEvent } from "~/services/sms/consent.server";
import { lockContact } from "~/services/sms/conversations.server";
import { parseWebhookPayload, type ShopifyWebhookHandler, type WebhookTx } from "~/services/webhooks/receive.server";

// Shopify → Parley: `customers/update`, inside the receiver's transaction (verified, deduplicated on the event id).
// The contact is the shop's one with the customer's phone (SMS consent belongs to a number), else the one linked to
// the customer when the payload carries no phone (apps without protected-customer-data access get none).
//
// Decisions:
// - A customer Parley does not know is only added when their consent tells Parley something (subscribed,
//   pending, unsubscribed): a store's whole customer list does not become contacts because profiles change.
// - Consent goes through applyConsentEvent with source SHOPIFY, so nextConsent's rules hold: a Shopify opt-in
//   cannot undo the shopper's own STOP, and a state Parley already has records nothing (Parley's own pushes come
//   back as no-ops). SHOPIFY-sourced changes are never pushed back to Shopify.
// - Consent older than Parley's latest marketing change is stale and ignored (late or reordered deliveries).
//   NOT_SUBSCRIBED without a consent time is Shopify's default, not a decision, so it changes nothing either.
// - Shopify collected the consent with its own disclosure (checkout, customer account, or another app through
//   the API), so a subscription is taken as given: no double opt-in round (issue 5: "no double opt-in needed
//   there when Shopify collected it"). The welcome text that transition asks for is not sent from here.

const CustomersUpdatePayload = z.object({
  id: z.union([z.number().int().positive(), z.string().regex(/^\d+$/)]),
  admin_graphql_api_id: z.string().nullish(),
  phone: z.string().nullish(),
  email: z.string().nullish(),
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  sms_marketing_consent: RestSmsConsentSchema.nullish(),
});
export type CustomersUpdatePayload = z.infer<typeof CustomersUpdatePayload>;

export const handleCustomersUpdate: ShopifyWebhookHandler = async (tx, webhook) => {
  const payload = parseWebhookPayload(CustomersUpdatePayload, webhook);
  const shopId = webhook.shop;
  if (!(await tx.shop.findUnique({ where: { id: shopId }, select: { id: true } }))) {
    log.warn("customers/update for a shop Parley does not have: ignored", { shop: shopId });
    return;
  }
  const customerId = payload.admin_graphql_api_id || `gid://shopify/Customer/${payload.id}`;
  const parsed = fromRestSmsConsent(payload.sms_marketing_consent);
  const consent = parsed && !isShopifyDefaultConsent(parsed) ? parsed : null;
  const parsedPhone = payload.phone ? normalizePhone(payload.phone) : null;
  const phoneE164 = parsedPhone?.ok ? parsedPhone.e164 : null;

  const linked = await tx.contact.findFirst({
    where: { shopId, shopifyCustomerId: customerId },
    orderBy: { createdAt: "asc" },
  });
  let contact = phoneE164
    ? await tx.contact.findUnique({ where: { shopId_phoneE164: { shopId, phoneE164 } } })
    : linked;
  if (!contact && phoneE164 && consent && nextConsent(NO_CONSENT, domainEvent(consent)).changes.length > 0) {
    contact = await tx.contact.upsert({
      where: { shopId_phoneE164: { shopId, phoneE164 } },
      create: { shopId, phoneE164, shopifyCustomerId: customerId },
      update: {},
    });
  }
  if (!contact) return;
  await lockContact(tx, contact.id);

  await tx.contact.update({
    where: { id: contact.id },
    data: {
      shopifyCustomerId: customerId,
      // Absent or null fields are left alone: without protected customer data access Shopify sends nulls.
      ...(payload.first_name?.trim() ? { firstName: payload.first_name.trim() } : {}),
      ...(payload.last_name?.trim() ? { lastName: payload.last_name.trim() } : {}),
      ...(payload.email?.trim() ? { email: payload.email.trim() } : {}),
    },
  });
  // The customer's phone changed: the contact of the old number is no longer this customer.
  if (linked && linked.id !== contact.id) {
    await tx.contact.updateMany({
      where: { id: linked.id, shopId, shopifyCustomerId: customerId },
      data: { shopifyCustomerId: null },
    });
  }

  if (!consent) return;
  if (await isStale(tx, contact.id, consent)) {
    log.info("customers/update: Shopify consent older than Parley's latest change; ignored", {
      shop: shopId,
      contactId: contact.id,
    });
    return;
  }
  const transition = await applyConsentEvent(tx, contact, domainEvent(consent), {
    source: "SHOPIFY",
    occurredAt: consent.updatedAt ?? new Date(),
    shopifyCustomerId: customerId,
    note: `customers/update: ${consent.marketingState}${consent.marketingOptInLevel ? ` (${consent.marketingOptInLevel})` : ""}${
      consent.collectedFrom ? `, collected from ${consent.collectedFrom}` : ""
    }`,
  });
  if (transition.ignored) {
    log.info("customers/update: Shopify opt-in ignored, the shopper opted out by text", {
      shop: shopId,
      contactId: contact.id,
    });
  } else if (transition.changes.length > 0) {
    log.info("consent changed by Shopify", { shop: shopId, contactId: contact.id, changes: transition.changes });
  }
};

function domainEvent(consent: ParsedShopifyConsent) {
  return shopifyConsentEvent({
    marketingState: consent.marketingState,
    marketingOptInLevel: consent.marketingOptInLevel,
    doubleOptIn: false,
  });
}

async function isStale(tx: WebhookTx, contactId: string, consent: ParsedShopifyConsent): Promise<boolean> {
  const state = await tx.consentState.findUnique({ where: { contactId_purpose: { contactId, purpose: "MARKETING" } } });
  if (!state) return false;
  const last = await tx.consentEvent.findUnique({ where: { id: state.lastEventId }, select: { occurredAt: true } });
  return isStaleShopifyConsent(consent.updatedAt, last?.occurredAt ?? null);
}
