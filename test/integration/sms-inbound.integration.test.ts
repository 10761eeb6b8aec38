import { generateKeyPairSync, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { prisma } from "~/db.server";
import { defaultKeywordReply } from "~/domain/keyword-replies";
import { signWebhook } from "~/sandbox/telnyx/keys";
import { eventEnvelope, inboundPayload } from "~/sandbox/telnyx/resources";
import { REFUSAL_TEXT, sendMessage } from "~/services/sms/send-message.server";
import { createConsent, createContact, createConversationWithMessages, fakePhone } from "../helpers/factories";
import {
  HARNESS_PROGRAM,
  startEngineHarness,
  waitFor,
  zoneWhereItIs,
  type EngineHarness,
} from "../helpers/engine-harness";

// Inbound texts end to end: the simulated Telnyx signs message.received and posts it to the real route; the SMS
// loops (in this process) process the recorded event, apply keywords and consent, and send the keyword replies
// through the real SDK back to the simulator.

let h: EngineHarness;

beforeAll(async () => {
  h = await startEngineHarness();
  await h.startLoops();
});

afterAll(async () => {
  await h?.close();
});

const PROGRAM = {
  brandName: HARNESS_PROGRAM.brandName,
  supportContact: HARNESS_PROGRAM.supportContact,
  frequency: HARNESS_PROGRAM.messageFrequency,
};
const HELP_REPLY = defaultKeywordReply("help", PROGRAM);
const STOP_REPLY = defaultKeywordReply("opt_out_confirmation", PROGRAM);
const START_REPLY = defaultKeywordReply("opt_in_confirmation", PROGRAM);

/** A message.received envelope as Telnyx would post it (not sent anywhere yet). */
function inboundEnvelope(from: string, text: string, eventType = "message.received") {
  const at = new Date().toISOString();
  const payload = inboundPayload(
    { from, to: h.storeNumber, text },
    { profileId: "profile", at, webhookUrl: `${h.origin}/webhooks/telnyx` },
  );
  const envelope = eventEnvelope("message.received", payload, at);
  envelope.data.event_type = eventType as never;
  return {
    envelope,
    rawBody: JSON.stringify({ ...envelope, meta: { attempt: 1, delivered_to: `${h.origin}/webhooks/telnyx` } }),
  };
}

async function storedFor(eventId: string, phone: string) {
  const [events, contacts, messages] = await Promise.all([
    prisma.providerEvent.count({ where: { eventId } }),
    prisma.contact.count({ where: { phoneE164: phone } }),
    prisma.message.count({ where: { contact: { phoneE164: phone } } }),
  ]);
  return { events, contacts, messages };
}

async function consentOf(contactId: string) {
  const rows = await prisma.consentState.findMany({ where: { contactId } });
  return Object.fromEntries(rows.map((r) => [r.purpose, r.status]));
}

/** Texts the store sent this shopper once the engine is quiet: what the phone shows. */
async function textsTo(phone: string) {
  await h.settle();
  return h.messagesTo(phone).map((m) => m.text);
}

describe("the webhook edge", () => {
  test("a forged signature, a wrong key, an altered body or a stale timestamp → 401, and nothing is stored", async () => {
    const shopper = fakePhone();
    const { envelope, rawBody } = inboundEnvelope(shopper, "hello");
    const otherKey = generateKeyPairSync("ed25519").privateKey;
    const now = Math.floor(Date.now() / 1000);

    const attempts = {
      forged: await h.postWebhook(rawBody, { signature: randomBytes(64).toString("base64") }),
      wrongKey: await h.postWebhook(rawBody, { privateKey: otherKey }),
      altered: await (async () => {
        // Signed for one body, delivered with another (same length, one letter changed).
        const response = await fetch(`${h.origin}/webhooks/telnyx`, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "telnyx-signature-ed25519": signWebhook(h.sim.keys.privateKey, rawBody, now),
            "telnyx-timestamp": String(now),
          },
          body: rawBody.replace('"hello"', '"jello"'),
        });
        return { status: response.status, body: (await response.json()) as { error?: string } };
      })(),
      // 301 s old on arrival at the latest (time only adds to it); the future one keeps a wide margin for a slow trip.
      stale: await h.postWebhook(rawBody, { timestamp: now - 301 }),
      future: await h.postWebhook(rawBody, { timestamp: now + 360 }),
      unsigned: await (async () => {
        const response = await fetch(`${h.origin}/webhooks/telnyx`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: rawBody,
        });
        return { status: response.status, body: (await response.json()) as { error?: string } };
      })(),
    };
    for (const [name, result] of Object.entries(attempts))
      expect({ name, status: result.status }).toEqual({ name, status: 401 });
    expect(attempts.stale.body?.error).toMatch(/^telnyx-timestamp is 30\ds off \(tolerance 300s\)$/);
    expect(attempts.wrongKey.body?.error).toMatch(/signature does not match/);
    expect(attempts.unsigned.body?.error).toMatch(/missing telnyx-signature-ed25519/);

    // Give a wrongly accepted event every chance to be processed before looking.
    await h.settle();
    expect(await storedFor(envelope.data.id, shopper)).toEqual({ events: 0, contacts: 0, messages: 0 });

    // The same bytes, properly signed and fresh, are accepted: the rejections were about the signature alone.
    expect((await h.postWebhook(rawBody)).status).toBe(204);
    await h.settle();
    expect(await storedFor(envelope.data.id, shopper)).toEqual({ events: 1, contacts: 1, messages: 1 });
  });

  test("a body that is not JSON, or not a Telnyx envelope, is a 400 with the reason", async () => {
    const notJson = await h.postWebhook("{ this is not json");
    expect(notJson).toEqual({ status: 400, body: { error: "body is not valid JSON" } });

    const notEnvelope = await h.postWebhook(JSON.stringify({ hello: "world" }));
    expect(notEnvelope.status).toBe(400);
    expect(notEnvelope.body?.error).toMatch(/^not a Telnyx webhook envelope: data: /);

    const { rawBody } = inboundEnvelope(fakePhone(), "hi");
    const badPayload = await h.postWebhook(rawBody.replace('"direction":"inbound"', '"direction":"sideways"'));
    expect(badPayload.status).toBe(400);
    expect(badPayload.body?.error).toMatch(/^invalid message\.received: data\.payload\.direction/);
    expect(
      await prisma.providerEvent.count({
        where: {
          eventType: "message.received",
          payload: { path: ["data", "payload", "direction"], equals: "sideways" },
        },
      }),
    ).toBe(0);
  });

  test("an event type Parley does not handle is acknowledged with 204 and ignored", async () => {
    const shopper = fakePhone();
    const { envelope, rawBody } = inboundEnvelope(shopper, "read receipt", "message.read");
    expect(await h.postWebhook(rawBody)).toEqual({ status: 204, body: undefined });
    await h.settle();
    const event = await prisma.providerEvent.findUniqueOrThrow({
      where: { provider_eventId: { provider: "telnyx", eventId: envelope.data.id } },
    });
    expect(event).toMatchObject({ eventType: "message.read", error: null, processedAt: expect.any(Date) });
    expect(await storedFor(envelope.data.id, shopper)).toEqual({ events: 1, contacts: 0, messages: 0 });
  });
});

describe("delivered more than once", () => {
  test("the same webhook three times → one event, one inbound message, one keyword reply", async () => {
    const shopper = fakePhone();
    const first = await h.textFromShopper(shopper, "HELP");
    expect(first.status).toBe(204);
    // A replay of the identical bytes, and Telnyx's own retry (meta.attempt 2: new bytes, same event id).
    expect((await h.postWebhook(first.rawBody)).status).toBe(204);
    const retry = JSON.stringify({ ...first.event, meta: { ...first.event.meta, attempt: 2 } });
    expect((await h.postWebhook(retry)).status).toBe(204);

    expect(await textsTo(shopper)).toEqual([HELP_REPLY]);
    expect(await prisma.providerEvent.count({ where: { eventId: first.event.data.id } })).toBe(1);
    const inbound = await prisma.message.findMany({ where: { providerMessageId: first.event.data.payload.id } });
    expect(inbound).toHaveLength(1);
    const replies = await prisma.message.findMany({ where: { replyToMessageId: inbound[0].id } });
    expect(replies).toEqual([expect.objectContaining({ purpose: "SYSTEM", body: HELP_REPLY, status: "DELIVERED" })]);
  });

  test("the same event id with a different message id is still one event (the event id is the key)", async () => {
    const shopper = fakePhone();
    const first = await h.textFromShopper(shopper, "HELP");
    const forged = structuredClone(first.event);
    forged.data.payload.id = "00000000-0000-4000-8000-000000000001";
    expect((await h.postWebhook(JSON.stringify(forged))).status).toBe(204);
    expect(await textsTo(shopper)).toEqual([HELP_REPLY]);
    expect(await prisma.message.count({ where: { contact: { phoneE164: shopper }, direction: "INBOUND" } })).toBe(1);
  });
});

describe("keywords and consent", () => {
  async function subscriber() {
    const contact = await createContact(h.shop.id, { phoneE164: fakePhone(), quietZones: zoneWhereItIs(13) });
    await createConsent(h.shop.id, contact);
    return contact;
  }
  const marketing = (contactId: string, key: string) =>
    sendMessage({
      shopId: h.shop.id,
      contactId,
      purpose: "MARKETING",
      authorKind: "AUTOMATION",
      body: "20% off tees this weekend",
      idempotencyKey: key,
    });

  test("HELP gets the compliant help reply: brand, support contact, frequency, rates, how to opt out", async () => {
    const shopper = fakePhone();
    await h.textFromShopper(shopper, "  help! ");
    const [reply] = await textsTo(shopper);
    expect(reply).toBe(HELP_REPLY);
    expect(reply).toContain("Acme Tees");
    expect(reply).toContain("help@acme.test");
    expect(reply).toContain("Up to 4 msgs/month");
    expect(reply).toContain("Msg & data rates may apply");
    expect(reply).toMatch(/Reply STOP to cancel/);
  });

  test("STOP opts out with one confirmation; a marketing send is then refused with its reason; START resubscribes with a confirmation", async () => {
    const contact = await subscriber();
    // "Stop." is the STOP keyword to Parley; Telnyx matches whole messages only, so its own block stays out of it.
    await h.textFromShopper(contact.phoneE164, "Stop.");
    await h.settle();
    expect(await consentOf(contact.id)).toEqual({ MARKETING: "UNSUBSCRIBED", TRANSACTIONAL: "UNSUBSCRIBED" });
    const optOut = await prisma.consentEvent.findMany({ where: { contactId: contact.id, status: "UNSUBSCRIBED" } });
    expect(optOut.map((e) => [e.purpose, e.source, e.keyword])).toEqual(
      expect.arrayContaining([
        ["MARKETING", "KEYWORD", "STOP"],
        ["TRANSACTIONAL", "KEYWORD", "STOP"],
      ]),
    );
    const confirmations = await prisma.message.findMany({ where: { contactId: contact.id, purpose: "SYSTEM" } });
    expect(confirmations.map((m) => [m.body, m.status])).toEqual([[STOP_REPLY, "DELIVERED"]]);
    expect(h.messagesTo(contact.phoneE164).map((m) => m.text)).toEqual([STOP_REPLY]);

    const refused = await marketing(contact.id, `after-stop-${contact.id}`);
    expect(refused).toMatchObject({ status: "refused", reason: "opted_out" });
    expect(refused.message).toMatchObject({
      status: "REFUSED",
      errorCode: "opted_out",
      errorReason: REFUSAL_TEXT.opted_out,
    });

    await h.textFromShopper(contact.phoneE164, "START");
    await h.settle();
    expect(await consentOf(contact.id)).toEqual({ MARKETING: "SUBSCRIBED", TRANSACTIONAL: "SUBSCRIBED" });
    expect(h.messagesTo(contact.phoneE164).map((m) => m.text)).toContain(START_REPLY);
    expect(await prisma.message.count({ where: { contactId: contact.id, purpose: "SYSTEM", body: START_REPLY } })).toBe(
      1,
    );

    const resumed = await marketing(contact.id, `after-start-${contact.id}`);
    expect(resumed.status).toBe("queued");
    await h.settle();
    expect(h.messagesTo(contact.phoneE164).at(-1)?.text).toMatch(/20% off tees this weekend/);
    // Nothing from the store reached the phone between STOP and START.
    const texts = h.messagesTo(contact.phoneE164).map((m) => m.text);
    expect(texts.filter((t) => t !== STOP_REPLY && t !== START_REPLY)).toHaveLength(1);
  });

  test("a bare STOP is also Telnyx's own block: the confirmation Parley sends is refused (40300), recorded once, not retried", async () => {
    const contact = await subscriber();
    await h.textFromShopper(contact.phoneE164, "STOP");
    await h.settle();
    expect(await consentOf(contact.id)).toEqual({ MARKETING: "UNSUBSCRIBED", TRANSACTIONAL: "UNSUBSCRIBED" });
    // Telnyx blocks the number at the profile the moment it sees STOP, before Parley's confirmation is sent. Whether
    // the shopper gets a confirmation then depends on the messaging profile's own auto-response (not simulated).
    const confirmations = await prisma.message.findMany({ where: { contactId: contact.id, purpose: "SYSTEM" } });
    expect(confirmations).toEqual([
      expect.objectContaining({ body: STOP_REPLY, status: "FAILED", errorCode: "40300", attempts: 1 }),
    ]);
    expect(confirmations[0].errorReason).toMatch(/replied STOP/);
    expect(h.messagesTo(contact.phoneE164)).toEqual([]);
  });

  test("a shopper who texted first gets conversational replies, but is not a marketing subscriber", async () => {
    const shopper = fakePhone();
    await h.textFromShopper(shopper, "Hi! Do you have the canvas tote in blue?");
    await h.settle();
    const contact = await prisma.contact.findUniqueOrThrow({
      where: { shopId_phoneE164: { shopId: h.shop.id, phoneE164: shopper } },
    });
    expect(await consentOf(contact.id)).toEqual({ TRANSACTIONAL: "SUBSCRIBED" });
    expect(h.messagesTo(shopper)).toEqual([]); // not a keyword: no automatic reply from the engine

    const reply = await sendMessage({
      shopId: h.shop.id,
      contactId: contact.id,
      purpose: "CONVERSATIONAL",
      authorKind: "STAFF",
      body: "We do! Want me to hold one?",
      idempotencyKey: `reply-${contact.id}`,
    });
    expect(reply.status).toBe("queued");
    const promo = await marketing(contact.id, `promo-${contact.id}`);
    expect(promo).toMatchObject({ status: "refused", reason: "no_marketing_consent" });
    expect(promo.message.errorReason).toBe(REFUSAL_TEXT.no_marketing_consent);

    expect(await textsTo(shopper)).toEqual(["Hi, this is Sam from Acme Tees. We do! Want me to hold one?"]);
    expect(await prisma.message.findUniqueOrThrow({ where: { id: reply.message.id } })).toMatchObject({
      status: "DELIVERED",
    });
  });

  test("“can't stop smiling, when does it ship?” is a question, not an opt-out", async () => {
    const contact = await subscriber();
    await h.textFromShopper(contact.phoneE164, "can't stop smiling, when does it ship?");
    await h.settle();
    expect(await consentOf(contact.id)).toEqual({ MARKETING: "SUBSCRIBED", TRANSACTIONAL: "SUBSCRIBED" });
    expect(await prisma.consentEvent.count({ where: { contactId: contact.id, status: "UNSUBSCRIBED" } })).toBe(0);
    expect(h.messagesTo(contact.phoneE164)).toEqual([]);
    expect((await marketing(contact.id, `smiling-${contact.id}`)).status).toBe("queued");
    expect(await textsTo(contact.phoneE164)).toHaveLength(1);
  });

  test("a plain-language opt-out (“please stop texting me”) opts out with one confirmation, like STOP", async () => {
    const contact = await subscriber();
    await h.textFromShopper(contact.phoneE164, "please stop texting me");
    expect(await textsTo(contact.phoneE164)).toEqual([STOP_REPLY]);
    expect(await consentOf(contact.id)).toEqual({ MARKETING: "UNSUBSCRIBED", TRANSACTIONAL: "UNSUBSCRIBED" });
    expect((await marketing(contact.id, `plain-${contact.id}`)).status).toBe("refused");
    // Saying it again changes nothing and sends nothing.
    await h.textFromShopper(contact.phoneE164, "STOP");
    expect(await textsTo(contact.phoneE164)).toEqual([STOP_REPLY]);
    expect(await prisma.message.count({ where: { contactId: contact.id, purpose: "SYSTEM" } })).toBe(1);
  });
});

describe("threads", () => {
  test("a reply lands in the shopper's conversation, reopened, linked to the text it answers; a STOP's timeline line and confirmation go there too", async () => {
    const contact = await createContact(h.shop.id, { phoneE164: fakePhone() });
    const { conversation, messages } = await createConversationWithMessages(h.shop.id, contact.id, undefined, {
      status: "CLOSED",
      closedAt: new Date(Date.now() - 3600_000),
      lastMessageAt: new Date(Date.now() - 24 * 3600_000),
      unreadCount: 2,
    });
    await h.textFromShopper(contact.phoneE164, "Thanks! And the tote?");
    await h.settle();
    const inbound = await prisma.message.findFirstOrThrow({
      where: { contactId: contact.id, direction: "INBOUND", body: "Thanks! And the tote?" },
    });
    expect(inbound).toMatchObject({
      conversationId: conversation.id,
      replyToMessageId: messages[1].id,
      status: "RECEIVED",
    });
    expect(await prisma.conversation.findUniqueOrThrow({ where: { id: conversation.id } })).toMatchObject({
      status: "OPEN",
      closedAt: null,
      unreadCount: 3,
      lastMessageText: "Thanks! And the tote?",
      lastInboundAt: inbound.createdAt,
    });

    await h.textFromShopper(contact.phoneE164, "Stop."); // not a bare STOP: Telnyx would block the confirmation
    expect(await textsTo(contact.phoneE164)).toEqual([STOP_REPLY]);
    const thread = await prisma.conversation.findUniqueOrThrow({ where: { id: conversation.id } });
    expect(thread).toMatchObject({ unreadCount: 4, lastMessageText: STOP_REPLY });
    expect(await prisma.conversation.count({ where: { contactId: contact.id } })).toBe(1);
    expect(
      await prisma.conversationEvent.findMany({ where: { conversationId: conversation.id }, select: { kind: true } }),
    ).toEqual([{ kind: "opted_out" }]);
  });

  test("a conversation closed and quiet for more than 30 days is left as it is: the text starts a new one", async () => {
    const contact = await createContact(h.shop.id, { phoneE164: fakePhone() });
    const { conversation } = await createConversationWithMessages(h.shop.id, contact.id, undefined, {
      status: "CLOSED",
      lastMessageAt: new Date(Date.now() - 40 * 24 * 3600_000),
    });
    await h.textFromShopper(contact.phoneE164, "Hi again");
    await h.settle();
    const inbound = await prisma.message.findFirstOrThrow({ where: { contactId: contact.id, body: "Hi again" } });
    expect(inbound.conversationId).not.toBe(conversation.id);
    expect(inbound.replyToMessageId).toBeNull();
    expect(await prisma.conversation.findUniqueOrThrow({ where: { id: inbound.conversationId! } })).toMatchObject({
      status: "OPEN",
      unreadCount: 1,
      lastMessageText: "Hi again",
    });
    expect((await prisma.conversation.findUniqueOrThrow({ where: { id: conversation.id } })).status).toBe("CLOSED");
  });
});

test("waitFor explains what it was waiting for", async () => {
  await expect(waitFor(() => false, 50, "the impossible")).rejects.toThrow(/waited 50 ms for: the impossible/);
});
