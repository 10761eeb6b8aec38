import { z } from "zod";
import { maskPhone, normalizePhone } from "~/domain/phone";
import { log } from "~/lib/log.server";
import { lockContact } from "~/services/sms/conversations.server";
import { loadShopSettings } from "~/services/sms/shop-context.server";
import { parseWebhookPayload, type ShopifyWebhookHandler } from "~/services/webhooks/receive.server";
import { beginOptIn } from "./begin.server";

// Checkout opt-in: `checkouts/create` and `checkouts/update` (REST payloads) carrying Shopify's SMS marketing
// checkbox, inside the webhook receiver's transaction (verified, deduplicated on the delivery).
//
// Decisions:
// - Shopify collected the consent with its own disclosure, so it is recorded SUBSCRIBED at once, source
//   CHECKOUT, with the note "collected at checkout" and the checkout's id — no "Reply Y" round (issue 5) — and
//   the welcome follows like any other confirmed sign-up (compliance.md §3).
// - One consent event per checkout: Shopify sends checkouts/update many times for the same checkout (every
//   field the buyer fills), and an old acceptance replayed after the shopper texted STOP must not start a new
//   request. A checkbox left unticked revokes nothing: it is the absence of a new consent, not an opt-out.
// - The same opt-in rules as the storefront (beginOptIn): a number blocked by STOP stays blocked until START.
// - The customers/update that follows for the same consent finds it already SUBSCRIBED and records nothing.

const CheckoutPayload = z.object({
  id: z.union([z.number().int().positive(), z.string().regex(/^\d+$/)]),
  token: z.string().nullish(),
  phone: z.string().nullish(),
  sms_marketing_phone: z.string().nullish(),
  buyer_accepts_sms_marketing: z.boolean().nullish(),
  email: z.string().nullish(),
  customer: z
    .object({
      id: z.union([z.number().int().positive(), z.string().regex(/^\d+$/)]),
      admin_graphql_api_id: z.string().nullish(),
      phone: z.string().nullish(),
      first_name: z.string().nullish(),
      last_name: z.string().nullish(),
      email: z.string().nullish(),
    })
    .nullish(),
});

export const checkoutNote = (checkoutId: string | number) => `collected at checkout (checkout ${checkoutId})`;

export const handleCheckoutConsent: ShopifyWebhookHandler = async (tx, webhook) => {
  const payload = parseWebhookPayload(CheckoutPayload, webhook);
  const shopId = webhook.shop;
  if (!payload.buyer_accepts_sms_marketing) return;
  if (!(await tx.shop.findUnique({ where: { id: shopId }, select: { id: true } }))) {
    log.warn(`${webhook.topic} for a shop Parley does not have: ignored`, { shop: shopId });
    return;
  }
  // The number the buyer gave for texts; older payloads only have the checkout's phone.
  const raw = payload.sms_marketing_phone || payload.phone || payload.customer?.phone || "";
  const phone = normalizePhone(raw);
  if (!phone.ok) {
    log.warn(`${webhook.topic}: SMS consent without a usable phone; ignored`, { shop: shopId, checkout: payload.id });
    return;
  }
  const customerId = payload.customer
    ? payload.customer.admin_graphql_api_id || `gid://shopify/Customer/${payload.customer.id}`
    : null;
  const note = checkoutNote(payload.id);

  await tx.contact.createMany({ data: [{ shopId, phoneE164: phone.e164 }], skipDuplicates: true });
  let contact = await tx.contact.findUniqueOrThrow({ where: { shopId_phoneE164: { shopId, phoneE164: phone.e164 } } });
  await lockContact(tx, contact.id);
  const recorded = await tx.consentEvent.findFirst({
    where: { shopId, contactId: contact.id, source: "CHECKOUT", note },
    select: { id: true },
  });
  if (recorded) return;
  // The customer and what the contact lacks of their name and e-mail: the inbox then greets them by name.
  const known = {
    ...(customerId && !contact.shopifyCustomerId ? { shopifyCustomerId: customerId } : {}),
    ...(!contact.firstName && payload.customer?.first_name ? { firstName: payload.customer.first_name } : {}),
    ...(!contact.lastName && payload.customer?.last_name ? { lastName: payload.customer.last_name } : {}),
    ...(!contact.email && (payload.customer?.email || payload.email)
      ? { email: payload.customer?.email || payload.email }
      : {}),
  };
  if (Object.keys(known).length > 0) contact = await tx.contact.update({ where: { id: contact.id }, data: known });
  const result = await beginOptIn(tx, {
    contact,
    settings: await loadShopSettings(tx, shopId),
    source: "CHECKOUT",
    alreadyConfirmed: true,
    evidence: { shopifyCustomerId: customerId, note },
    now: new Date(),
  });
  log.info("checkout opt-in", { shop: shopId, phone: maskPhone(phone.e164), outcome: result.outcome });
};
