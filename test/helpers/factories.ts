import { randomUUID } from "node:crypto";
import { prisma } from "~/db.server";
import type { Prisma } from "~/generated/prisma/client.ts";

// Seeding helpers for integration tests. Each creates what it names with believable defaults and returns the
// row; pass overrides for whatever the test is about. Ids and phone numbers are unique per call, so tests in one
// file never collide.

let sequence = 0;
const next = () => ++sequence;

/** A US number in E.164 (New York, 555 exchange), unique within a test file. */
export function fakePhone(): string {
  const n = next();
  return `+1212555${String(1000 + (n % 9000)).padStart(4, "0")}`;
}

export function fakeShopDomain(name = "shop"): string {
  return `${name}-${next()}-${randomUUID().slice(0, 6)}.myshopify.com`;
}

export async function createShop(overrides: Partial<Prisma.ShopUncheckedCreateInput> = {}) {
  const id = overrides.id ?? fakeShopDomain();
  return prisma.shop.create({
    data: {
      id,
      name: id.replace(/\.myshopify\.com$/, ""),
      scopes: "read_customers,write_customers",
      ...overrides,
      settings: { create: {} },
    },
  });
}

/** A session row as the Shopify session storage writes it (offline unless `isOnline`). */
export async function createSession(shop: string, overrides: Partial<Prisma.SessionUncheckedCreateInput> = {}) {
  const isOnline = overrides.isOnline ?? false;
  return prisma.session.create({
    data: {
      id: isOnline ? `${shop}_${next()}` : `offline_${shop}`,
      shop,
      state: "",
      isOnline,
      scope: "read_customers,write_customers",
      accessToken: `shpat_${randomUUID().replace(/-/g, "")}`,
      ...overrides,
    },
  });
}

export async function createContact(
  shopId: string,
  overrides: Partial<Omit<Prisma.ContactUncheckedCreateInput, "shopId">> = {},
) {
  return prisma.contact.create({
    data: { phoneE164: fakePhone(), firstName: "Alex", lastName: `Shopper${next()}`, ...overrides, shopId },
  });
}

/** An append-only consent event plus the derived current state, as the consent service records them. */
export async function createConsent(
  shopId: string,
  contact: { id: string; phoneE164: string },
  overrides: Partial<Omit<Prisma.ConsentEventUncheckedCreateInput, "shopId" | "contactId" | "phoneE164">> = {},
) {
  const event = await prisma.consentEvent.create({
    data: {
      purpose: "MARKETING",
      status: "SUBSCRIBED",
      source: "STOREFRONT_FORM",
      disclosureText: "Yes, text me offers. Msg & data rates may apply. Reply STOP to cancel.",
      disclosureVersion: "v1",
      ipAddress: "203.0.113.7",
      ...overrides,
      shopId,
      contactId: contact.id,
      phoneE164: contact.phoneE164,
    },
  });
  await prisma.consentState.upsert({
    where: { contactId_purpose: { contactId: contact.id, purpose: event.purpose } },
    create: {
      shopId,
      contactId: contact.id,
      purpose: event.purpose,
      status: event.status,
      source: event.source,
      lastEventId: event.id,
    },
    update: { status: event.status, source: event.source, lastEventId: event.id },
  });
  return event;
}

export type SeedMessage = Partial<Omit<Prisma.MessageUncheckedCreateInput, "shopId" | "contactId" | "conversationId">>;

/** A conversation with its messages (default: one inbound, one outbound reply), oldest first. */
export async function createConversationWithMessages(
  shopId: string,
  contactId: string,
  messages: SeedMessage[] = [
    { direction: "INBOUND", authorKind: "SHOPPER", body: "Where is my order?", status: "RECEIVED" },
    { direction: "OUTBOUND", authorKind: "STAFF", body: "It ships today!", status: "DELIVERED" },
  ],
  overrides: Partial<Omit<Prisma.ConversationUncheckedCreateInput, "shopId" | "contactId">> = {},
) {
  const conversation = await prisma.conversation.create({ data: { ...overrides, shopId, contactId } });
  const start = Date.now() - messages.length * 60_000;
  const created = [];
  for (const [i, message] of messages.entries()) {
    created.push(
      await prisma.message.create({
        data: {
          direction: "OUTBOUND",
          authorKind: "STAFF",
          body: `Message ${i + 1}`,
          status: "SENT",
          createdAt: new Date(start + i * 60_000),
          ...message,
          shopId,
          contactId,
          conversationId: conversation.id,
        },
      }),
    );
  }
  return { conversation, messages: created };
}

export async function createNote(shopId: string, conversationId: string, body = "Prefers texts after 5pm") {
  return prisma.note.create({ data: { shopId, conversationId, body } });
}

export async function createDiscount(
  shopId: string,
  overrides: Partial<Omit<Prisma.DiscountIssuedUncheckedCreateInput, "shopId">> = {},
) {
  const n = next();
  return prisma.discountIssued.create({
    data: {
      shopifyDiscountId: `gid://shopify/DiscountCodeNode/${n}`,
      code: `PARLEY-${n}`,
      kind: "PERCENTAGE",
      valuePercent: 10,
      expiresAt: new Date(Date.now() + 48 * 3600_000),
      ...overrides,
      shopId,
    },
  });
}

export async function createBrowseEvent(
  shopId: string,
  overrides: Partial<Omit<Prisma.BrowseEventUncheckedCreateInput, "shopId">> = {},
) {
  return prisma.browseEvent.create({
    data: {
      eventName: "product_viewed",
      eventId: `evt-${next()}`,
      productId: "gid://shopify/Product/1",
      productTitle: "Canvas Tote",
      occurredAt: new Date(),
      ...overrides,
      shopId,
    },
  });
}

export async function createProviderEvent(
  shopId: string,
  payload: Prisma.InputJsonValue,
  overrides: Partial<Omit<Prisma.ProviderEventUncheckedCreateInput, "shopId" | "payload">> = {},
) {
  return prisma.providerEvent.create({
    data: {
      provider: "telnyx",
      eventId: `pe-${next()}-${randomUUID()}`,
      eventType: "message.received",
      ...overrides,
      shopId,
      payload,
    },
  });
}

/**
 * A shopper with the lot: contact, marketing consent, a conversation with messages and a note, a discount and a
 * browse event. Returns everything created.
 */
export async function createShopperWithHistory(
  shopId: string,
  contact: Partial<Omit<Prisma.ContactUncheckedCreateInput, "shopId">> = {},
) {
  const row = await createContact(shopId, contact);
  const consent = await createConsent(shopId, row);
  const { conversation, messages } = await createConversationWithMessages(shopId, row.id);
  const note = await createNote(shopId, conversation.id);
  const discount = await createDiscount(shopId, { contactId: row.id, conversationId: conversation.id });
  const browseEvent = await createBrowseEvent(shopId, { contactId: row.id, shopifyCustomerId: row.shopifyCustomerId });
  return { contact: row, consent, conversation, messages, note, discount, browseEvent };
}

/** A store number of the shop (the number shoppers text and campaigns go out from). Unique per call. */
export async function createSendingNumber(
  shopId: string,
  overrides: Partial<Omit<Prisma.SendingNumberUncheckedCreateInput, "shopId">> = {},
) {
  return prisma.sendingNumber.create({
    data: {
      phoneE164: `+1500555${String(next() % 10_000).padStart(4, "0")}`,
      isDefault: true,
      messagesPerSecond: 1,
      ...overrides,
      shopId,
    },
  });
}
