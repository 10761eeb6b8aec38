import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { errorReason } from "~/adapters/telnyx/error-codes";
import { prisma } from "~/db.server";
import { carrierOf } from "~/sandbox/telnyx/resources";
import { sendMessage, type SendMessageInput } from "~/services/sms/send-message.server";
import { createConsent, createContact, createSendingNumber } from "../helpers/factories";
import {
  fixedZoneWhereItIs,
  seedSubscribers,
  startEngineHarness,
  waitFor,
  zoneWhereItIs,
  type EngineHarness,
} from "../helpers/engine-harness";

// Outbound delivery end to end: sendMessage stores, the SMS loops (in this process) send through the real SDK to
// the simulated Telnyx, and its signed receipts come back through the webhook route.

let h: EngineHarness;

beforeAll(async () => {
  h = await startEngineHarness();
  await h.startLoops();
});

afterEach(() => {
  h.sim.faults.reset();
});

afterAll(async () => {
  await h?.close();
});

/** A marketing subscriber whose local time is early afternoon now (or whatever zone is given). */
async function subscriber(quietZones = zoneWhereItIs(13)) {
  const contact = await createContact(h.shop.id, { quietZones });
  await createConsent(h.shop.id, contact);
  return contact;
}

let keys = 0;
const send = (contactId: string, input: Partial<SendMessageInput> = {}, now?: Date) =>
  sendMessage(
    {
      shopId: h.shop.id,
      contactId,
      purpose: "MARKETING",
      authorKind: "AUTOMATION",
      body: "The spring tees are in.",
      idempotencyKey: `delivery-${++keys}`,
      ...input,
    },
    now ? { now } : {},
  );

const message = (id: string) => prisma.message.findUniqueOrThrow({ where: { id } });

describe("quiet hours", () => {
  test("a marketing send outside the window is held until it opens, then sent exactly once; a conversational reply is not held", async () => {
    const zone = fixedZoneWhereItIs(13);
    const contact = await subscriber(zone.quietZones);
    const night = zone.localTime(22, 30); // later today, 22:30 where the shopper is
    const opening = zone.localTime(8, 0, 1); // 08:00 the next morning there (no state known: the 08–20 window)

    const held = await send(contact.id, { body: "Weekend sale: 20% off tees." }, night);
    expect(held).toMatchObject({ status: "held", releaseAt: opening });
    expect(await message(held.message.id)).toMatchObject({ status: "HELD", holdUntil: opening });

    const automated = await send(contact.id, { purpose: "TRANSACTIONAL", body: "Your cart misses you." }, night);
    expect(automated).toMatchObject({ status: "held", releaseAt: opening }); // automated transactional: held too

    const reply = await send(
      contact.id,
      { purpose: "CONVERSATIONAL", authorKind: "STAFF", body: "Your tote ships tomorrow morning." },
      night,
    );
    expect(reply.status).toBe("queued");
    await h.settle();
    expect(h.messagesTo(contact.phoneE164).map((m) => m.text)).toEqual([
      expect.stringContaining("Your tote ships tomorrow morning."),
    ]);
    expect(await message(held.message.id)).toMatchObject({ status: "HELD", holdUntil: opening }); // the loops saw it and left it

    // The clock reaches the opening (holdUntil moved into the past; where the shopper is, it is now early afternoon).
    await prisma.message.update({ where: { id: held.message.id }, data: { holdUntil: new Date(Date.now() - 1000) } });
    await waitFor(
      () => h.messagesTo(contact.phoneE164).some((m) => m.text.includes("Weekend sale")),
      10_000,
      "the held message to be released",
    );
    await h.settle();
    expect(h.messagesTo(contact.phoneE164).filter((m) => m.text.includes("Weekend sale"))).toHaveLength(1);
    expect(await message(held.message.id)).toMatchObject({ status: "DELIVERED", attempts: 1 });
    expect(await message(automated.message.id)).toMatchObject({ status: "HELD" });
  });

  test("a held message released while it is still night where the shopper is goes back on hold, it is not sent", async () => {
    const zone = fixedZoneWhereItIs(2); // 02:00 there right now
    const contact = await subscriber(zone.quietZones);
    const held = await send(contact.id, {}, new Date());
    const opening = zone.localTime(8, 0, zone.localTime(8) > new Date() ? 0 : 1);
    expect(held).toMatchObject({ status: "held", releaseAt: opening });
    // A clock that is wrong (or a release computed for another zone): the delivery worker looks again.
    await prisma.message.update({ where: { id: held.message.id }, data: { holdUntil: new Date(Date.now() - 1000) } });
    await waitFor(
      async () => (await message(held.message.id)).holdUntil! > new Date(),
      10_000,
      "the message to be held again",
    );
    expect(await message(held.message.id)).toMatchObject({ status: "HELD", holdUntil: opening, attempts: 0 });
    expect(h.messagesTo(contact.phoneE164)).toEqual([]);
  });
});

describe("delivery receipts", () => {
  test("receipts move a message to DELIVERED with carrier and cost; a failed delivery keeps the code and a readable reason", async () => {
    const [ok, undeliverable, landline] = [await subscriber(), await subscriber(), await subscriber()];
    h.sim.faults.set({ undeliverableNumbers: [undeliverable.phoneE164], landlineNumbers: [landline.phoneE164] });
    const sent = await Promise.all([ok, undeliverable, landline].map((c) => send(c.id)));
    await h.settle();

    const [delivered, notAccepted, notRoutable] = await Promise.all(sent.map((s) => message(s.message.id)));
    const simOk = h.messagesTo(ok.phoneE164)[0];
    expect(delivered).toMatchObject({
      status: "DELIVERED",
      providerMessageId: simOk.id,
      carrier: carrierOf(ok.phoneE164),
      costCurrency: "USD",
      segments: simOk.parts,
      errorCode: null,
      deliveredAt: expect.any(Date),
      sentAt: expect.any(Date),
    });
    expect(delivered.costAmount?.toString()).toBe((0.004 * simOk.parts).toString());
    expect(notAccepted).toMatchObject({
      status: "FAILED",
      errorCode: "40008",
      errorReason: errorReason("40008"),
      deliveredAt: null,
    });
    expect(notAccepted.errorReason).toBe("The recipient's carrier did not accept the message.");
    expect(notRoutable).toMatchObject({
      status: "FAILED",
      errorCode: "40001",
      errorReason: "The number cannot receive texts (a landline or non-routable number).",
    });
  });
});

describe("a send refused by the provider as opted out (40300)", () => {
  test.each(["refuse", "finalize"] as const)(
    "blockedMode %s: FAILED with the reason, the shopper opted out (source PROVIDER), what waits for them cancelled",
    async (blockedMode) => {
      const zone = fixedZoneWhereItIs(13);
      const contact = await subscriber(zone.quietZones);
      const night = zone.localTime(22, 30);
      // Two messages waiting for the morning, then one that goes now.
      const later = [
        await send(contact.id, { body: "Tomorrow: early access." }, night),
        await send(contact.id, { purpose: "TRANSACTIONAL", body: "Reminder" }, night),
      ];
      expect(later.map((l) => l.status)).toEqual(["held", "held"]);
      h.sim.faults.set({ blockedNumbers: [contact.phoneE164], blockedMode });
      const now = await send(contact.id, { body: "Flash sale today." });
      await h.settle();

      expect(await message(now.message.id)).toMatchObject({
        status: "FAILED",
        errorCode: "40300",
        errorReason:
          blockedMode === "refuse"
            ? "The recipient replied STOP; Telnyx blocks texts to this number until they reply START."
            : expect.any(String),
      });
      if (blockedMode === "finalize") expect((await message(now.message.id)).errorReason).toBe(errorReason("40300"));
      const states = await prisma.consentState.findMany({ where: { contactId: contact.id } });
      expect(Object.fromEntries(states.map((s) => [s.purpose, [s.status, s.source]]))).toEqual({
        MARKETING: ["UNSUBSCRIBED", "PROVIDER"],
        TRANSACTIONAL: ["UNSUBSCRIBED", "PROVIDER"],
      });
      const evidence = await prisma.consentEvent.findMany({ where: { contactId: contact.id, status: "UNSUBSCRIBED" } });
      expect(evidence.map((e) => [e.source, e.note])).toEqual([
        ["PROVIDER", expect.stringMatching(/40300/)],
        ["PROVIDER", expect.stringMatching(/40300/)],
      ]);
      for (const l of later)
        expect(await message(l.message.id)).toMatchObject({
          status: "CANCELLED",
          errorCode: "cancelled",
          errorReason: "the shopper opted out",
        });
      expect(h.messagesTo(contact.phoneE164).filter((m) => m.status === "delivered")).toEqual([]);
      expect(await send(contact.id)).toMatchObject({ status: "refused", reason: "opted_out" });
    },
  );
});

describe("pacing", () => {
  test("5 messages per second on the number: 20 texts take at least 3.8 s and never go faster than the setting", async () => {
    const paced = await createSendingNumber(h.shop.id, { messagesPerSecond: 5, isDefault: false });
    const contacts = await seedSubscribers(h.shop.id, 20);
    const queuedAt = Date.now();
    for (const c of contacts) await send(c.id, { sendingNumberId: paced.id });
    await waitFor(() => contacts.every((c) => h.messagesTo(c.phoneE164).length === 1), 20_000, "20 paced texts");

    // When the simulated Telnyx received each send. A send can be late for its slot (a busy machine), never early.
    const at = contacts.map((c) => Date.parse(h.messagesTo(c.phoneE164)[0].createdAt)).sort((a, b) => a - b);
    expect(at.at(-1)! - queuedAt).toBeGreaterThanOrEqual(3_800); // the 20th slot is 19 × 200 ms after the first
    expect((at.length - 1) / ((at.at(-1)! - at[0]) / 1000)).toBeLessThanOrEqual(5 * 1.1);
    // No burst anywhere: at most 5 (+1 on a window's edge) in any one second.
    for (const start of at) expect(at.filter((t) => t >= start && t < start + 1000).length).toBeLessThanOrEqual(6);
  });
});
