import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { prisma } from "~/db.server";
import { confirmationRequestText, welcomeText } from "~/domain/opt-in";
import { startOptIn } from "~/services/opt-in/start.server";
import { deliverWelcome } from "~/services/opt-in/welcome.server";
import { fakePhone } from "../helpers/factories";
import { HARNESS_PROGRAM, type EngineHarness } from "../helpers/engine-harness";
import { startStoreHarness, type StoreHarness } from "../helpers/store-harness";

// The welcome as a WELCOME flow run: the same texts as before (opt-in tests cover them in depth), now with a run
// per confirmed opt-in — on by default, with its line on the timeline, its text linked to it — and still the
// welcome, without a run, when the merchant turns the flow off (the confirmation is required).

const PROGRAM = {
  brandName: HARNESS_PROGRAM.brandName,
  supportContact: HARNESS_PROGRAM.supportContact,
  frequency: HARNESS_PROGRAM.messageFrequency,
};
const CONFIRMATION = confirmationRequestText(PROGRAM);
const WELCOME = welcomeText(PROGRAM, {});

let harness: StoreHarness;
let h: EngineHarness;
let shopId: string;

beforeAll(async () => {
  harness = await startStoreHarness(); // the welcome code is made in the store
  ({ h, shopId } = harness);
}, 60_000);

afterAll(() => harness?.close());

/** Signs up on the storefront and answers "Y"; the subscribing consent event. */
async function confirmedOptIn(phone: string) {
  const started = await startOptIn({
    shopId,
    phoneE164: phone,
    source: "STOREFRONT_FORM",
    evidence: {
      ipAddress: "203.0.113.9",
      disclosureText: "Text me offers. Reply STOP to cancel.",
      disclosureVersion: "v1",
    },
  });
  if (started.outcome !== "pending") throw new Error(`not pending: ${started.outcome}`);
  await h.settle();
  await h.textFromShopper(phone, "Y");
  await h.settle();
  const event = await prisma.consentEvent.findFirstOrThrow({
    where: { contactId: started.contactId, purpose: "MARKETING", status: "SUBSCRIBED" },
  });
  return { contactId: started.contactId, event };
}

const welcomeRun = (consentEventId: string) =>
  prisma.flowRun.findUnique({
    where: { shopId_kind_subjectKey: { shopId, kind: "WELCOME", subjectKey: `welcome:${consentEventId}` } },
    include: { transitions: true },
  });

describe("the welcome flow", () => {
  test("on by default: a confirmed opt-in gets the same welcome, recorded as a completed run on its thread", async () => {
    expect(await prisma.flowSetting.count({ where: { shopId, kind: "WELCOME" } })).toBe(0);
    const phone = fakePhone();
    const { event } = await confirmedOptIn(phone);
    expect(h.messagesTo(phone).map((m) => m.text)).toEqual([CONFIRMATION, WELCOME]);

    const run = await welcomeRun(event.id);
    expect(run).toMatchObject({ status: "COMPLETED", state: "welcomed", exitReason: "welcomed" });
    expect(run!.transitions.map((t) => t.summary)).toEqual(["welcomed"]);
    const welcome = await prisma.message.findFirstOrThrow({ where: { idempotencyKey: `welcome:${event.id}` } });
    expect(welcome).toMatchObject({ purpose: "SYSTEM", flowRunId: run!.id });
    expect(run!.conversationId).toBe(welcome.conversationId);

    // A second "Y" is an ordinary message: no second run, no second welcome.
    await h.textFromShopper(phone, "Y");
    await h.settle();
    expect(await prisma.flowRun.count({ where: { shopId, kind: "WELCOME", contactId: event.contactId } })).toBe(1);
    expect(h.messagesTo(phone).map((m) => m.text)).toEqual([CONFIRMATION, WELCOME]);
  });

  test("with the welcome code: the run names the code its welcome carried", async () => {
    await prisma.shopSettings.update({
      where: { shopId },
      data: { welcomeDiscountEnabled: true, welcomeDiscountPercent: 15, discountMaxPercent: 20 },
    });
    try {
      const phone = fakePhone();
      const { contactId, event } = await confirmedOptIn(phone);
      expect(await welcomeRun(event.id)).toBeNull(); // the code comes first, in the job
      const outcome = await deliverWelcome(
        { shopId, contactId, consentEventId: event.id },
        { adminFor: async () => harness.store.admin, sleep: async () => {}, now: () => new Date() },
      );
      expect(outcome).toBe("sent");
      const issued = await prisma.discountIssued.findFirstOrThrow({ where: { contactId } });
      const run = await welcomeRun(event.id);
      expect(run!.transitions.map((t) => t.summary)).toEqual([`welcomed with code ${issued.code} (15% off)`]);
      expect(await prisma.message.findFirstOrThrow({ where: { idempotencyKey: `welcome:${event.id}` } })).toMatchObject(
        { purpose: "MARKETING", flowRunId: run!.id },
      );
    } finally {
      await prisma.shopSettings.update({ where: { shopId }, data: { welcomeDiscountEnabled: false } });
    }
  });

  test("turned off: the welcome still goes (it is the required confirmation), without a run", async () => {
    await prisma.flowSetting.create({ data: { shopId, kind: "WELCOME", enabled: false } });
    const phone = fakePhone();
    const { event } = await confirmedOptIn(phone);
    expect(h.messagesTo(phone).map((m) => m.text)).toEqual([CONFIRMATION, WELCOME]);
    expect(await welcomeRun(event.id)).toBeNull();
    expect(await prisma.message.findFirstOrThrow({ where: { idempotencyKey: `welcome:${event.id}` } })).toMatchObject({
      flowRunId: null,
    });
  });
});
