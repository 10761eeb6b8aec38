import { executeRaw } from "~/db.server";
import { parsePhoneNumberFromString } from "libphonenumber-js";
import { z } from "zod";
import { Prisma } from "~/generated/prisma/client.ts";
import { log } from "~/lib/log.server";
import { parseWebhookPayload, type ShopifyWebhookHandler, type WebhookTx } from "~/services/webhooks/receive.server";

// Shopify's mandatory compliance webhooks. Each handler runs inside the receiver's transaction (one delivery, one
// transaction, deduplicated on the event id), scopes every query by the shop the delivery is for, and leaves a
// PrivacyRequest row that the merchant (and an auditor) can read. Logs carry counts, never personal data.
// Why redaction also removes consent evidence: docs/decisions/0004-redaction-vs-consent-retention.md.

const ShopifyId = z.union([z.number().int(), z.string().min(1)]).transform(String);

const CustomerRef = z.object({
  id: ShopifyId,
  email: z.string().nullish(),
  phone: z.string().nullish(),
});

const DataRequestPayload = z.object({
  shop_domain: z.string(),
  customer: CustomerRef,
  orders_requested: z.array(ShopifyId).nullish(),
  data_request: z.object({ id: ShopifyId }),
});

const CustomerRedactPayload = z.object({
  shop_domain: z.string(),
  customer: CustomerRef,
  orders_to_redact: z.array(ShopifyId).nullish(),
});

const ShopRedactPayload = z.object({
  shop_domain: z.string(),
});

type CustomerRef = z.infer<typeof CustomerRef>;

export function customerGid(id: string): string {
  return id.startsWith("gid://") ? id : `gid://shopify/Customer/${id}`;
}

/** Contacts store E.164; Shopify sends whatever the merchant typed. US numbers are the default reading (Parley sends to the US). */
export function phoneToE164(raw: string | null | undefined): string | null {
  if (!raw?.trim()) return null;
  const parsed = parsePhoneNumberFromString(raw, "US");
  return parsed?.isPossible() ? parsed.number : null;
}

interface CustomerMatch {
  gid: string;
  /** Both spellings: contacts store the gid, a pixel event may carry the bare number. */
  customerIds: string[];
  phoneE164: string | null;
  contactIds: string[];
}

/** The shop's contacts that are this customer: same Shopify customer id, or same phone number. */
async function matchCustomer(tx: WebhookTx, shop: string, customer: CustomerRef): Promise<CustomerMatch> {
  const gid = customerGid(customer.id);
  const customerIds = [...new Set([gid, customer.id])];
  const phoneE164 = phoneToE164(customer.phone);
  const contacts = await tx.contact.findMany({
    where: {
      shopId: shop,
      OR: [{ shopifyCustomerId: { in: customerIds } }, ...(phoneE164 ? [{ phoneE164 }] : [])],
    },
    select: { id: true },
    orderBy: { createdAt: "asc" },
  });
  return { gid, customerIds, phoneE164, contactIds: contacts.map((c) => c.id) };
}

function browseEventsOf(shop: string, match: CustomerMatch): Prisma.BrowseEventWhereInput {
  return {
    shopId: shop,
    OR: [{ contactId: { in: match.contactIds } }, { shopifyCustomerId: { in: match.customerIds } }],
  };
}

/** JSON columns take plain JSON: dates become ISO strings. */
function toJson(value: unknown): Prisma.InputJsonObject {
  return JSON.parse(JSON.stringify(value)) as Prisma.InputJsonObject;
}

// ─── customers/data_request ───────────────────────────────────────────────────────────────────────

export interface DataRequestCounts {
  contacts: number;
  consentEvents: number;
  consentStates: number;
  conversations: number;
  messages: number;
  notes: number;
  discounts: number;
  browseEvents: number;
}

/** Everything Parley stores about one customer of one shop, as the merchant will hand it over. */
export async function buildCustomerDataReport(tx: WebhookTx, shop: string, customer: CustomerRef) {
  const match = await matchCustomer(tx, shop, customer);
  const inContacts = { shopId: shop, contactId: { in: match.contactIds } };
  const contacts = await tx.contact.findMany({
    where: { shopId: shop, id: { in: match.contactIds } },
    select: {
      id: true,
      phoneE164: true,
      shopifyCustomerId: true,
      firstName: true,
      lastName: true,
      email: true,
      timeZone: true,
      region: true,
      tags: true,
      lineType: true,
      invalidAt: true,
      createdAt: true,
      updatedAt: true,
    },
    orderBy: { createdAt: "asc" },
  });
  const consentEvents = await tx.consentEvent.findMany({
    where: inContacts,
    select: {
      id: true,
      contactId: true,
      phoneE164: true,
      purpose: true,
      status: true,
      source: true,
      occurredAt: true,
      ipAddress: true,
      userAgent: true,
      pageUrl: true,
      disclosureText: true,
      disclosureVersion: true,
      keyword: true,
      confirmingMessageId: true,
      note: true,
    },
    orderBy: { occurredAt: "asc" },
  });
  const consentStates = await tx.consentState.findMany({
    where: inContacts,
    select: { contactId: true, purpose: true, status: true, source: true, updatedAt: true },
  });
  const conversations = await tx.conversation.findMany({
    where: inContacts,
    select: { id: true, contactId: true, status: true, tags: true, summary: true, createdAt: true, closedAt: true },
    orderBy: { createdAt: "asc" },
  });
  const messages = await tx.message.findMany({
    where: inContacts,
    select: {
      id: true,
      contactId: true,
      conversationId: true,
      direction: true,
      authorKind: true,
      purpose: true,
      body: true,
      media: true,
      status: true,
      errorReason: true,
      createdAt: true,
      sentAt: true,
      deliveredAt: true,
    },
    orderBy: { createdAt: "asc" },
  });
  const notes = await tx.note.findMany({
    where: { shopId: shop, conversationId: { in: conversations.map((c) => c.id) } },
    select: { id: true, conversationId: true, body: true, createdAt: true },
    orderBy: { createdAt: "asc" },
  });
  const discounts = await tx.discountIssued.findMany({
    where: inContacts,
    select: {
      id: true,
      contactId: true,
      code: true,
      kind: true,
      valuePercent: true,
      valueAmountCents: true,
      expiresAt: true,
      usedAt: true,
      orderId: true,
      createdAt: true,
    },
    orderBy: { createdAt: "asc" },
  });
  const browseEvents = await tx.browseEvent.findMany({
    where: browseEventsOf(shop, match),
    select: {
      id: true,
      contactId: true,
      eventName: true,
      productId: true,
      variantId: true,
      productTitle: true,
      url: true,
      occurredAt: true,
    },
    orderBy: { occurredAt: "asc" },
  });
  const counts: DataRequestCounts = {
    contacts: contacts.length,
    consentEvents: consentEvents.length,
    consentStates: consentStates.length,
    conversations: conversations.length,
    messages: messages.length,
    notes: notes.length,
    discounts: discounts.length,
    browseEvents: browseEvents.length,
  };
  return {
    counts,
    report: {
      generatedAt: new Date(),
      shop,
      customer: {
        shopifyCustomerId: match.gid,
        matchedOn: match.phoneE164 ? ["shopifyCustomerId", "phone"] : ["shopifyCustomerId"],
      },
      counts,
      contacts,
      consentEvents,
      consentStates,
      conversations,
      messages,
      notes,
      discounts,
      browseEvents,
    },
  };
}

/** customers/data_request: store the report for the merchant; answering the customer is the merchant's job. */
export const handleCustomerDataRequest: ShopifyWebhookHandler = async (tx, webhook) => {
  const payload = parseWebhookPayload(DataRequestPayload, webhook);
  const { shop } = webhook;
  const { counts, report } = await buildCustomerDataReport(tx, shop, payload.customer);
  const requestId = payload.data_request.id;
  const row = {
    shopifyCustomerId: customerGid(payload.customer.id),
    report: toJson({ ...report, ordersRequested: payload.orders_requested ?? [] }),
    completedAt: new Date(),
  };
  await tx.privacyRequest.upsert({
    where: { shopId_kind_requestId: { shopId: shop, kind: "DATA_REQUEST", requestId } },
    create: { shopId: shop, kind: "DATA_REQUEST", requestId, ...row },
    update: row,
  });
  log.info("privacy: customer data request recorded", { shop, requestId, counts });
};

// ─── customers/redact ─────────────────────────────────────────────────────────────────────────────

export interface CustomerRedactCounts {
  contacts: number;
  consentEvents: number;
  conversations: number;
  messages: number;
  notes: number;
  discountsUnlinked: number;
  browseEvents: number;
  providerEvents: number;
  dataRequestReports: number;
}

/**
 * Deletes one customer's personal data from one shop. Contacts go, and with them (by cascade) consent events and
 * states, conversations, their notes and messages. Discount codes stay (the shop's records) but lose the link to
 * the person; browse events and raw provider events that name the number go too.
 */
export async function redactCustomer(
  tx: WebhookTx,
  shop: string,
  customer: CustomerRef,
): Promise<CustomerRedactCounts> {
  const match = await matchCustomer(tx, shop, customer);
  const inContacts = { shopId: shop, contactId: { in: match.contactIds } };
  const conversationIds = (await tx.conversation.findMany({ where: inContacts, select: { id: true } })).map(
    (c) => c.id,
  );

  const counts: CustomerRedactCounts = {
    contacts: match.contactIds.length,
    consentEvents: await tx.consentEvent.count({ where: inContacts }),
    conversations: conversationIds.length,
    messages: await tx.message.count({ where: inContacts }),
    notes: await tx.note.count({ where: { shopId: shop, conversationId: { in: conversationIds } } }),
    discountsUnlinked: 0,
    browseEvents: 0,
    providerEvents: 0,
    dataRequestReports: 0,
  };

  counts.discountsUnlinked = (
    await tx.discountIssued.updateMany({
      where: {
        shopId: shop,
        OR: [{ contactId: { in: match.contactIds } }, { conversationId: { in: conversationIds } }],
      },
      data: { contactId: null, conversationId: null },
    })
  ).count;
  counts.browseEvents = (await tx.browseEvent.deleteMany({ where: browseEventsOf(shop, match) })).count;
  // Raw Telnyx payloads (numbers and texts) kept for idempotency: the ones naming this number go as well.
  if (match.phoneE164) {
    counts.providerEvents = await executeRaw(
      tx,
      Prisma.sql`
      DELETE FROM "ProviderEvent" WHERE "shopId" = ${shop} AND strpos("payload"::text, ${match.phoneE164}) > 0`,
    );
  }
  await tx.contact.deleteMany({ where: { shopId: shop, id: { in: match.contactIds } } });
  // Earlier data-request reports hold the same personal data.
  counts.dataRequestReports = (
    await tx.privacyRequest.updateMany({
      where: { shopId: shop, kind: "DATA_REQUEST", shopifyCustomerId: match.gid },
      data: { report: { redacted: true, redactedAt: new Date().toISOString() } },
    })
  ).count;
  return counts;
}

/** customers/redact: Shopify sends it 10 days after the request (or at once if the customer has no orders). */
export const handleCustomerRedact: ShopifyWebhookHandler = async (tx, webhook) => {
  const payload = parseWebhookPayload(CustomerRedactPayload, webhook);
  const { shop, deliveryId } = webhook;
  const counts = await redactCustomer(tx, shop, payload.customer);
  const row = {
    shopifyCustomerId: customerGid(payload.customer.id),
    report: toJson({ counts }),
    completedAt: new Date(),
  };
  await tx.privacyRequest.upsert({
    where: { shopId_kind_requestId: { shopId: shop, kind: "CUSTOMER_REDACT", requestId: deliveryId } },
    create: { shopId: shop, kind: "CUSTOMER_REDACT", requestId: deliveryId, ...row },
    update: row,
  });
  log.info("privacy: customer redacted", { shop, deliveryId, counts });
};

// ─── shop/redact ──────────────────────────────────────────────────────────────────────────────────

export interface ShopRedactCounts {
  shop: number;
  sessions: number;
  contacts: number;
  conversations: number;
  messages: number;
  consentEvents: number;
  webhookDeliveries: number;
  privacyRequests: number;
}

/**
 * Deletes everything Parley holds for a shop: the Shop row (everything shop-scoped cascades from it), sessions,
 * the delivery log and earlier privacy records. What remains is this delivery's own dedupe row and one
 * SHOP_REDACT record with counts: the shop's domain, a time and numbers, no personal data.
 */
export async function redactShop(tx: WebhookTx, shop: string, keepDeliveryId: string): Promise<ShopRedactCounts> {
  const existing = await tx.shop.findUnique({ where: { id: shop }, select: { uninstalledAt: true } });
  if (existing && !existing.uninstalledAt) {
    // Shopify sends shop/redact 48 h after an uninstall; an installed shop getting one is worth a look.
    log.warn("privacy: shop/redact for a shop Parley believes is installed; redacting as instructed", { shop });
  }
  const counts: ShopRedactCounts = {
    shop: existing ? 1 : 0,
    contacts: await tx.contact.count({ where: { shopId: shop } }),
    conversations: await tx.conversation.count({ where: { shopId: shop } }),
    messages: await tx.message.count({ where: { shopId: shop } }),
    consentEvents: await tx.consentEvent.count({ where: { shopId: shop } }),
    sessions: (await tx.session.deleteMany({ where: { shop } })).count,
    webhookDeliveries: 0,
    privacyRequests: 0,
  };
  await tx.providerEvent.deleteMany({ where: { shopId: shop } });
  await tx.shop.deleteMany({ where: { id: shop } });
  counts.webhookDeliveries = (
    await tx.webhookDelivery.deleteMany({ where: { shopId: shop, id: { not: keepDeliveryId } } })
  ).count;
  counts.privacyRequests = (
    await tx.privacyRequest.deleteMany({ where: { shopId: shop, kind: { not: "SHOP_REDACT" } } })
  ).count;
  return counts;
}

export const handleShopRedact: ShopifyWebhookHandler = async (tx, webhook) => {
  parseWebhookPayload(ShopRedactPayload, webhook);
  const { shop, deliveryId } = webhook;
  const counts = await redactShop(tx, shop, deliveryId);
  await tx.privacyRequest.upsert({
    where: { shopId_kind_requestId: { shopId: shop, kind: "SHOP_REDACT", requestId: deliveryId } },
    create: {
      shopId: shop,
      kind: "SHOP_REDACT",
      requestId: deliveryId,
      report: toJson({ counts }),
      completedAt: new Date(),
    },
    update: {},
  });
  log.info("privacy: shop redacted", { shop, deliveryId, counts });
};
