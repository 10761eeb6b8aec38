import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { prisma } from "~/db.server";
import { defaultKeywordReply } from "~/domain/keyword-replies";
import type { Contact } from "~/generated/prisma/client.ts";
import { sendMessage } from "~/services/sms/send-message.server";
import { createSendingNumber } from "../helpers/factories";
import {
  HARNESS_PROGRAM,
  inBatches,
  seedSubscribers,
  startEngineHarness,
  waitFor,
  type EngineHarness,
} from "../helpers/engine-harness";

// An opt-out in the middle of a campaign: the SMS loops are sending 500 campaign texts to one shopper and 500 to
// others when the shopper opts out. From the moment the opt-out is recorded nothing more reaches that shopper,
// every message still waiting is cancelled with its reason, everyone else still gets exactly one text, and the
// shopper gets exactly one confirmation.

const PER_SIDE = 500;
const STOP_REPLY = defaultKeywordReply("opt_out_confirmation", {
  brandName: HARNESS_PROGRAM.brandName,
  supportContact: HARNESS_PROGRAM.supportContact,
  frequency: HARNESS_PROGRAM.messageFrequency,
});

let h: EngineHarness;

beforeAll(async () => {
  h = await startEngineHarness({ concurrency: 32 });
});

afterAll(async () => {
  await h?.close();
});

/** 500 campaign messages to `target` and one to each of `others`, interleaved, through sendMessage. */
async function queueCampaign(campaignId: string, target: Contact, others: Contact[]) {
  const jobs = others.flatMap((other, i) => [
    { contact: target, key: `${campaignId}:${target.id}:${i}`, body: `Drop ${i + 1}: the spring tees are in.` },
    { contact: other, key: `${campaignId}:${other.id}`, body: "The spring tees are in." },
  ]);
  const outcomes = await inBatches(jobs, 8, (job) =>
    sendMessage({
      shopId: h.shop.id,
      contactId: job.contact.id,
      purpose: "MARKETING",
      authorKind: "AUTOMATION",
      body: job.body,
      campaignId,
      idempotencyKey: job.key,
    }),
  );
  expect(outcomes.map((o) => o.status)).toEqual(jobs.map(() => "queued"));
}

describe.each([
  { label: "STOP", text: "STOP" },
  { label: "a plain-language opt-out", text: "please stop texting me" },
])("$label while 500 campaign texts to that shopper and 500 to others are queued", ({ text }) => {
  test(
    "nothing reaches the shopper after the opt-out, the rest keep a reason, everyone else gets one text, one confirmation",
    { timeout: 120_000 },
    async () => {
      const [target, ...others] = await seedSubscribers(h.shop.id, PER_SIDE + 1);
      const campaignId = `campaign-${text.length}`;
      await queueCampaign(campaignId, target, others);

      let optOutEventId = "";
      await h.startLoops();
      try {
        await waitFor(() => h.messagesTo(target.phoneE164).length >= 10, 30_000, "the campaign to reach the shopper");
        const optOut = await h.textFromShopper(target.phoneE164, text);
        expect(optOut.status).toBe(204);
        optOutEventId = optOut.event.data.id;
        await h.settle(90_000);
      } finally {
        await h.stopLoops();
      }

      const event = await prisma.providerEvent.findUniqueOrThrow({
        where: { provider_eventId: { provider: "telnyx", eventId: optOutEventId } },
      });
      const recordedAt = event.processedAt!;
      expect(event.error).toBeNull();

      // The shopper's side.
      const toTarget = await prisma.message.findMany({ where: { contactId: target.id, campaignId } });
      expect(toTarget).toHaveLength(PER_SIDE);
      const texted = h.messagesTo(target.phoneE164).filter((m) => m.text !== STOP_REPLY);
      const sent = toTarget.filter((m) => m.status === "SENT" || m.status === "DELIVERED");
      const notSent = toTarget.filter((m) => m.status !== "SENT" && m.status !== "DELIVERED");
      // Exactly the messages recorded as sent reached the phone, each once. (A text is traced to its message by
      // the parley_message_id in the webhook URL it was sent with.)
      const byId = new Map(toTarget.map((m) => [m.id, m]));
      const messageOf = (text: (typeof texted)[number]) =>
        byId.get(new URL(text.webhooks[0]?.url ?? "http://x/").searchParams.get("parley_message_id") ?? "");
      const unaccounted = texted
        .filter((t) => !sent.some((m) => m.providerMessageId === t.id))
        .map((t) => {
          const m = messageOf(t);
          return {
            text: t.id,
            at: t.createdAt,
            message: m && {
              id: m.id,
              status: m.status,
              errorCode: m.errorCode,
              errorReason: m.errorReason,
              attempts: m.attempts,
              providerMessageId: m.providerMessageId,
              handedOverAt: m.sendingStartedAt,
            },
          };
        });
      expect({ recordedAt, unaccounted }).toEqual({ recordedAt, unaccounted: [] });
      expect(texted.map((m) => m.id).sort()).toEqual(sent.map((m) => m.providerMessageId).sort());
      // None was handed to the provider after the opt-out was recorded. (A text can only arrive after that moment
      // if its call was already under way; the hand-over time is stamped under the same lock the opt-out takes.)
      const handedOverLate = sent.filter((m) => m.sendingStartedAt! >= recordedAt);
      expect(handedOverLate).toEqual([]);
      const arrivedLate = texted.filter((m) => Date.parse(m.createdAt) >= recordedAt.getTime());
      expect(arrivedLate.length).toBeLessThanOrEqual(32); // at most the calls in flight (PARLEY_SMS_CONCURRENCY)
      // Everything else was stopped, and says why.
      expect(notSent.length).toBeGreaterThanOrEqual(100); // the opt-out landed mid-campaign, not after it
      for (const m of notSent) {
        expect(m.status === "CANCELLED" || (m.status === "FAILED" && m.errorCode === "40300")).toBe(true);
        expect(m.errorReason).toEqual(expect.any(String));
      }
      expect(
        notSent.filter((m) => m.status === "CANCELLED").every((m) => /opted out|consent changed/.test(m.errorReason!)),
      ).toBe(true);

      const confirmations = await prisma.message.findMany({ where: { contactId: target.id, purpose: "SYSTEM" } });
      const confirmationTexts = h.messagesTo(target.phoneE164).filter((m) => m.text === STOP_REPLY);
      if (text === "STOP") {
        // Telnyx blocked the number the moment the shopper's STOP reached it, so campaign sends racing the webhook
        // were refused with 40300 (and that alone opted the shopper out, source PROVIDER); Parley's own confirmation
        // is refused by the same block when it is attempted at all (see sms-inbound: a bare STOP). Never twice.
        expect(confirmations.length).toBeLessThanOrEqual(1);
        for (const c of confirmations)
          expect(c).toMatchObject({ body: STOP_REPLY, status: "FAILED", errorCode: "40300" });
        expect(confirmationTexts).toEqual([]);
        const sources = await prisma.consentEvent.findMany({
          where: { contactId: target.id, status: "UNSUBSCRIBED" },
          select: { source: true },
        });
        expect(sources.length).toBe(2); // marketing and transactional, revoked once each
        expect(["KEYWORD", "PROVIDER"]).toContain(sources[0].source);
      } else {
        // Exactly one confirmation, delivered, and nothing else from the store after it.
        expect(confirmations.map((m) => [m.body, m.status])).toEqual([[STOP_REPLY, "DELIVERED"]]);
        expect(confirmationTexts).toHaveLength(1);
        const afterConfirmation = h
          .messagesTo(target.phoneE164)
          .filter((m) => m.createdAt > confirmationTexts[0].createdAt);
        expect(afterConfirmation).toEqual([]);
      }

      // Everyone else: exactly one text each, every message sent.
      const toOthers = await prisma.message.findMany({ where: { campaignId, contactId: { not: target.id } } });
      expect(toOthers).toHaveLength(PER_SIDE);
      expect(toOthers.filter((m) => m.status !== "SENT" && m.status !== "DELIVERED")).toEqual([]);
      const perRecipient = new Map<string, number>();
      for (const other of others) perRecipient.set(other.phoneE164, h.messagesTo(other.phoneE164).length);
      expect([...perRecipient.values()].every((n) => n === 1)).toBe(true);
    },
  );
});

test(
  "a message waiting for its pace slot when the shopper opts out is not sent (the last look is right before the call)",
  { timeout: 60_000 },
  async () => {
    // One text a second on this number: the loop claims all four at once, sends the first, and the others wait
    // for their slots at +1 s, +2 s, +3 s — long after the opt-out below has been recorded.
    const slowNumber = await createSendingNumber(h.shop.id, { messagesPerSecond: 1, isDefault: false });
    const [shopper] = await seedSubscribers(h.shop.id, 1);
    for (let i = 0; i < 4; i++) {
      await sendMessage({
        shopId: h.shop.id,
        contactId: shopper.id,
        sendingNumberId: slowNumber.id,
        purpose: "MARKETING",
        authorKind: "AUTOMATION",
        body: `Deal ${i + 1}`,
        idempotencyKey: `paced-${i}`,
      });
    }
    await h.startLoops();
    try {
      await waitFor(() => h.messagesTo(shopper.phoneE164).length >= 1, 10_000, "the first text");
      expect(await prisma.message.count({ where: { contactId: shopper.id, status: "SENDING" } })).toBeGreaterThan(0);
      await h.sim.sendInbound({ from: shopper.phoneE164, to: slowNumber.phoneE164, text: "please stop texting me" });
      await h.settle(20_000);
    } finally {
      await h.stopLoops();
    }
    const messages = await prisma.message.findMany({
      where: { contactId: shopper.id, purpose: "MARKETING" },
      orderBy: { createdAt: "asc" },
    });
    // Whichever got the first slot went out; the three waiting for theirs were stopped at the last look.
    const delivered = messages.filter((m) => m.status === "DELIVERED");
    const cancelled = messages.filter((m) => m.status === "CANCELLED");
    expect([delivered.length, cancelled.length]).toEqual([1, 3]);
    for (const m of cancelled) expect(m.errorReason).toMatch(/consent changed before it was sent/);
    expect(h.messagesTo(shopper.phoneE164).map((m) => m.id)).toEqual([
      delivered[0].providerMessageId,
      expect.any(String),
    ]);
    expect(h.messagesTo(shopper.phoneE164)[1].text).toBe(STOP_REPLY);
  },
);
