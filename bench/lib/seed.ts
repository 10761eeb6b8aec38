import { randomUUID } from "node:crypto";
import type { PrismaClient } from "../../app/generated/prisma/client.ts";
import { shopperPhone } from "./telnyx-payloads";

// Bulk seeding for the bench (createMany, not one row at a time): a shop with settings and one sending number,
// and contacts with consent recorded the way the consent service records it (event + current state).

export async function seedShop(
  prisma: PrismaClient,
  input: { name: string; storeNumber: string; messagesPerSecond: number },
) {
  const shopId = `${input.name}-${randomUUID().slice(0, 6)}.myshopify.com`;
  await prisma.shop.create({
    data: {
      id: shopId,
      name: input.name,
      scopes: "read_customers,write_customers",
      settings: { create: { brandName: "Bench Goods", supportContact: "help@bench.example" } },
    },
  });
  const number = await prisma.sendingNumber.create({
    data: {
      shopId,
      phoneE164: input.storeNumber,
      messagesPerSecond: input.messagesPerSecond,
      isDefault: true,
      kind: input.messagesPerSecond === 0 ? "short_code" : "long_code",
    },
  });
  return { shopId, number };
}

export async function seedContacts(
  prisma: PrismaClient,
  input: { shopId: string; count: number; firstIndex: number; marketing: boolean },
): Promise<{ id: string; phoneE164: string }[]> {
  const contacts = Array.from({ length: input.count }, (_, i) => ({
    id: randomUUID(),
    shopId: input.shopId,
    phoneE164: shopperPhone(input.firstIndex + i),
    firstName: "Sam",
    lastName: `Bench${i}`,
    lineType: "Wireless",
  }));
  await prisma.contact.createMany({ data: contacts });
  const purposes = input.marketing ? (["MARKETING", "TRANSACTIONAL"] as const) : (["TRANSACTIONAL"] as const);
  const events = contacts.flatMap((c) =>
    purposes.map((purpose) => ({
      id: randomUUID(),
      shopId: input.shopId,
      contactId: c.id,
      phoneE164: c.phoneE164,
      purpose,
      status: "SUBSCRIBED" as const,
      source: "STOREFRONT_FORM" as const,
      disclosureText: "Yes, text me. Msg & data rates may apply. Reply STOP to cancel.",
      disclosureVersion: "v1",
    })),
  );
  await prisma.consentEvent.createMany({ data: events });
  await prisma.consentState.createMany({
    data: events.map((e) => ({
      shopId: e.shopId,
      contactId: e.contactId,
      purpose: e.purpose,
      status: e.status,
      source: e.source,
      lastEventId: e.id,
    })),
  });
  return contacts.map(({ id, phoneE164 }) => ({ id, phoneE164 }));
}

/**
 * What a shopper who texts STOP usually has: a conversation (closed, as automated sends leave it) with yesterday's
 * campaign text, delivered, and the next one held for quiet hours — which the STOP must cancel.
 */
export async function seedCampaignHistory(
  prisma: PrismaClient,
  input: { shopId: string; numberId: string; contacts: { id: string }[] },
) {
  const yesterday = new Date(Date.now() - 24 * 3600 * 1000);
  const conversations = input.contacts.map((c) => ({
    id: randomUUID(),
    shopId: input.shopId,
    contactId: c.id,
    sendingNumberId: input.numberId,
    status: "CLOSED" as const,
    lastMessageAt: yesterday,
    closedAt: yesterday,
    lastMessageText: "Bench Goods: 20% off totes this weekend! Reply STOP to opt out.",
  }));
  await prisma.conversation.createMany({ data: conversations });
  const base = {
    shopId: input.shopId,
    sendingNumberId: input.numberId,
    direction: "OUTBOUND" as const,
    authorKind: "AUTOMATION" as const,
    purpose: "MARKETING" as const,
  };
  await prisma.message.createMany({
    data: conversations.flatMap((conv) => [
      {
        ...base,
        contactId: conv.contactId,
        conversationId: conv.id,
        body: "Bench Goods: 20% off totes this weekend! Reply STOP to opt out.",
        status: "DELIVERED" as const,
        providerMessageId: randomUUID(),
        createdAt: yesterday,
        sentAt: yesterday,
        deliveredAt: yesterday,
      },
      {
        ...base,
        contactId: conv.contactId,
        conversationId: conv.id,
        body: "Bench Goods: last day for 20% off totes!",
        status: "HELD" as const,
        holdUntil: new Date(Date.now() + 12 * 3600 * 1000),
      },
    ]),
  });
}
