import { afterAll, beforeAll, expect, test } from "vitest";
import { prisma } from "~/db.server";
import type { Fault } from "~/sandbox/telnyx/faults";
import { sendMessage } from "~/services/sms/send-message.server";
import { inBatches, seedSubscribers, startEngineHarness, waitFor, type EngineHarness } from "../helpers/engine-harness";

// A flaky provider: 429s, 500/503s and timeouts (whose messages Telnyx took although the answer never came). The
// engine retries what was refused, reconciles what is ambiguous against the provider's detail records, and in the
// end every message is sent exactly once.

const COUNT = 300;
let h: EngineHarness;

beforeAll(async () => {
  // Sends time out after 1 s; ambiguous ones are reconciled after 3 s (the engine's floor: timeout + 2 s).
  h = await startEngineHarness({ telnyxTimeoutSeconds: 1, reconcileGraceSeconds: 0, retryBaseMs: 100 });
});

afterAll(async () => {
  await h?.close();
});

test(
  "429 and 5xx at 30 %, and some timeouts, over 300 messages → every message sent exactly once",
  { timeout: 120_000 },
  async () => {
    const contacts = await seedSubscribers(h.shop.id, COUNT);
    const queued = await inBatches(contacts, 8, (c) =>
      sendMessage({
        shopId: h.shop.id,
        contactId: c.id,
        purpose: "MARKETING",
        authorKind: "AUTOMATION",
        body: "Back in stock: the canvas tote.",
        idempotencyKey: `flaky:${c.id}`,
      }),
    );
    expect(queued.every((q) => q.status === "queued")).toBe(true);

    const tally: Record<Fault["kind"], number> = { none: 0, "429": 0, "5xx": 0, timeout: 0 };
    const roll = h.sim.faults.roll.bind(h.sim.faults);
    h.sim.faults.roll = () => {
      const fault = roll();
      tally[fault.kind]++;
      return fault;
    };
    h.sim.faults.set({
      rate429: 0.15,
      rate5xx: 0.15,
      rateTimeout: 0.04,
      timeoutMs: 1_500,
      timeoutAccepted: true,
      retryAfterSeconds: 0.1,
      seed: 7,
    });

    const done = async () =>
      prisma.message.groupBy({ by: ["status"], where: { idempotencyKey: { startsWith: "flaky:" } }, _count: true });
    await h.startLoops();
    try {
      await waitFor(
        async () =>
          (await prisma.message.count({
            where: { idempotencyKey: { startsWith: "flaky:" }, status: { in: ["SENT", "DELIVERED"] } },
          })) === COUNT,
        100_000,
        async () =>
          `every message sent (now: ${JSON.stringify(await done())}; faults so far: ${JSON.stringify(tally)})`,
      );
      h.sim.faults.reset();
      await h.settle(60_000);
    } finally {
      await h.stopLoops();
    }

    // The provider really was that flaky.
    expect(tally["429"]).toBeGreaterThanOrEqual(30);
    expect(tally["5xx"]).toBeGreaterThanOrEqual(30);
    expect(tally.timeout).toBeGreaterThanOrEqual(5);

    // Exactly one text per message: per recipient in the simulator's log, and matched to the message's provider id.
    const messages = await prisma.message.findMany({
      where: { idempotencyKey: { startsWith: "flaky:" } },
      include: { contact: true },
    });
    expect(messages.filter((m) => m.status !== "SENT" && m.status !== "DELIVERED")).toEqual([]);
    const perRecipient = messages.map((m) => ({
      message: m.id,
      texts: h.messagesTo(m.contact.phoneE164).map((t) => t.id),
    }));
    expect(perRecipient.filter((p) => p.texts.length !== 1)).toEqual([]);
    for (const m of messages) expect(h.messagesTo(m.contact.phoneE164)[0].id).toBe(m.providerMessageId);
    // Retries happened, and the timed-out sends the provider had taken were linked, not sent again.
    expect(messages.filter((m) => m.attempts > 1).length).toBeGreaterThanOrEqual(50);
  },
);
