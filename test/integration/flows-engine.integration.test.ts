import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { z } from "zod";
import { prisma } from "~/db.server";
import type { FlowKind, FlowMachine } from "~/domain/flows/machine";
import { FLOW_MACHINES } from "~/domain/flows/registry";
import { activeRunsOf, dispatchFlowEvent, startFlowRun } from "~/services/flows/engine.server";
import { fireDueFlowTimers, fireFlowTimer, fireShopTimersNow } from "~/services/flows/timers.server";
import {
  createConsent,
  createContact,
  createConversationWithMessages,
  createSendingNumber,
  createShop,
} from "../helpers/factories";
import { fixedZoneWhereItIs, HARNESS_PROGRAM } from "../helpers/engine-harness";

// The flow engine against real PostgreSQL with a toy machine (so the engine's rules are tested apart from any
// real flow): start checks, causes applied once, timers (generation, due time, the sweep after a restart), texts
// through sendMessage, and the exit conditions before every step. The clock is the `now` each call takes.

const KIND: FlowKind = "INTEREST"; // a MARKETING flow; its real machine is replaced for this file
const HOUR = 3_600_000;

type ToyContext = { item: string; pinged: number };
const toy: FlowMachine<ToyContext, unknown> = {
  kind: KIND,
  initialState: "new",
  contextSchema: z.object({ item: z.string(), pinged: z.number().default(0) }),
  transition(run, event, env) {
    if (event.type === "start")
      return {
        state: "waiting",
        context: run.context,
        summary: "waiting 1 h",
        effects: [{ type: "set_timer", name: "ping", at: new Date(env.now.getTime() + HOUR) }],
      };
    if (event.type === "timer" && run.state === "waiting")
      return {
        state: "asked",
        context: { ...run.context, pinged: run.context.pinged + 1 },
        summary: "asked",
        effects: [
          {
            type: "send",
            body: `Hi {first_name}, still want the ${run.context.item}?`,
            purpose: "MARKETING",
            expectReply: true,
          },
          { type: "set_timer", name: "give_up", at: new Date(env.now.getTime() + 24 * HOUR) },
        ],
      };
    if (event.type === "reply" && run.state === "asked")
      return {
        state: "answered",
        context: run.context,
        summary: "answered",
        effects: [{ type: "send", body: "Thanks!", purpose: "MARKETING" }],
        end: { status: "COMPLETED" },
      };
    if (event.type === "fulfillment_updated")
      return {
        state: run.state,
        context: run.context,
        summary: "tagged",
        effects: [{ type: "tag_contact", tags: ["waiting-hoodie"] }],
      };
    if (event.type === "timer" && event.name === "give_up")
      return { state: "done", context: run.context, summary: "no reply", effects: [], end: { status: "COMPLETED" } };
    return null;
  },
};

let shopId: string;
const saved = FLOW_MACHINES[KIND];
const t0 = new Date();

beforeAll(async () => {
  FLOW_MACHINES[KIND] = toy;
  const shop = await createShop();
  shopId = shop.id;
  await prisma.shopSettings.update({
    where: { shopId },
    data: { ...HARNESS_PROGRAM, smartSendingHours: 0, marketingDailyCap: 0, marketingWeeklyCap: 0 },
  });
  await createSendingNumber(shopId);
  await prisma.flowSetting.create({ data: { shopId, kind: KIND, enabled: true } });
});
afterAll(() => {
  FLOW_MACHINES[KIND] = saved;
});

async function subscriber(localHour = 13) {
  const contact = await createContact(shopId, { quietZones: fixedZoneWhereItIs(localHour, t0).quietZones });
  await createConsent(shopId, contact);
  return contact;
}
const run = (id: string) => prisma.flowRun.findUniqueOrThrow({ where: { id } });
const start = (contactId: string, subjectKey: string, now = t0) =>
  startFlowRun({ shopId, kind: KIND, contactId, subjectKey, context: { item: "Cozy Hoodie" }, now });

describe("start", () => {
  test("starts once per subject; the start step sets its timer", async () => {
    const contact = await subscriber();
    const first = await start(contact.id, "subject:1");
    expect(first.outcome).toBe("started");
    const again = await start(contact.id, "subject:1");
    expect(again).toEqual({ outcome: "duplicate", runId: (first as { runId: string }).runId });
    const row = await run((first as { runId: string }).runId);
    expect(row).toMatchObject({ state: "waiting", status: "ACTIVE", timerName: "ping", timerSeq: 1 });
    expect(row.timerAt?.getTime()).toBe(t0.getTime() + HOUR);
    expect(await activeRunsOf({ shopId, contactId: contact.id })).toHaveLength(1);
    // The timer's job was enqueued with the step (same transaction), for the timer's time.
    const jobs = await prisma.$queryRaw<{ data: { runId: string; timerSeq: number }; start_after: Date }[]>`
      SELECT data, start_after FROM pgboss.job WHERE name = 'flows.timer' AND data->>'runId' = ${row.id}`;
    expect(jobs).toEqual([{ data: { runId: row.id, timerSeq: 1 }, start_after: row.timerAt }]);
  });

  test("not started: the flow off, no marketing consent, opted out", async () => {
    const other = await createShop();
    const c = await createContact(other.id);
    expect(
      await startFlowRun({ shopId: other.id, kind: KIND, contactId: c.id, subjectKey: "x", context: { item: "a" } }),
    ).toEqual({
      outcome: "not_started",
      reason: "disabled",
    });
    const unsubscribed = await createContact(shopId);
    expect(await start(unsubscribed.id, "s:2")).toEqual({ outcome: "not_started", reason: "no_consent" });
    const optedOut = await createContact(shopId);
    await createConsent(shopId, optedOut, { status: "UNSUBSCRIBED", source: "KEYWORD" });
    expect(await start(optedOut.id, "s:3")).toEqual({ outcome: "not_started", reason: "opted_out" });
    expect(await prisma.flowRun.count({ where: { shopId, subjectKey: { in: ["s:2", "s:3"] } } })).toBe(0);
  });
});

describe("steps", () => {
  test("a timer fires once, when due and still pending; the text goes through sendMessage as the flow's", async () => {
    const contact = await subscriber();
    const { runId } = (await start(contact.id, "subject:timer")) as { runId: string };
    expect(await fireFlowTimer({ runId, timerSeq: 1, now: new Date(t0.getTime() + HOUR - 1000) })).toEqual({
      outcome: "not_due",
    });
    const at = new Date(t0.getTime() + HOUR);
    expect(await fireFlowTimer({ runId, timerSeq: 1, now: at })).toMatchObject({ outcome: "applied", state: "asked" });
    expect(await fireFlowTimer({ runId, timerSeq: 1, now: at })).toEqual({ outcome: "stale" });
    const row = await run(runId);
    expect(row).toMatchObject({ state: "asked", awaitingReply: true, timerName: "give_up", timerSeq: 2 });
    const messages = await prisma.message.findMany({ where: { flowRunId: runId } });
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({
      authorKind: "AUTOMATION",
      purpose: "MARKETING",
      status: "QUEUED",
      idempotencyKey: `flow:${runId}:2:0`,
      conversationId: row.conversationId,
    });
    expect(messages[0].body).toContain("Cozy Hoodie");
  });

  test("a cause is applied once; a reply answers in conversation and ends the run", async () => {
    const contact = await subscriber();
    const { runId } = (await start(contact.id, "subject:reply")) as { runId: string };
    await fireFlowTimer({ runId, timerSeq: 1, now: new Date(t0.getTime() + HOUR) });
    const event = { type: "reply" as const, messageId: "m1", text: "yes" };
    const now = new Date(t0.getTime() + 2 * HOUR);
    expect(await dispatchFlowEvent({ shopId, runId, event, causeKey: "reply:m1", now })).toMatchObject({
      outcome: "applied",
      ended: true,
    });
    expect(await dispatchFlowEvent({ shopId, runId, event, causeKey: "reply:m1", now })).toEqual({
      outcome: "not_active",
    });
    const row = await run(runId);
    expect(row).toMatchObject({ status: "COMPLETED", awaitingReply: false, timerName: null, transitionCount: 3 });
    expect(row.repliedAt).toEqual(now);
    const answer = await prisma.message.findFirstOrThrow({ where: { flowRunId: runId, body: { contains: "Thanks" } } });
    expect(answer.purpose).toBe("CONVERSATIONAL");
    const transitions = await prisma.flowTransition.findMany({ where: { runId }, orderBy: { seq: "asc" } });
    expect(transitions.map((t) => [t.causeKey, t.summary])).toEqual([
      ["start", "waiting 1 h"],
      ["timer:1", "asked"],
      ["reply:m1", "answered"],
    ]);
  });

  test("the same cause twice on an active run is a duplicate; an event the machine ignores changes nothing", async () => {
    const contact = await subscriber();
    const { runId } = (await start(contact.id, "subject:dup")) as { runId: string };
    const event = { type: "product_available" as const, productId: "p", title: "t", url: "https://x.test" };
    expect(await dispatchFlowEvent({ shopId, runId, event, causeKey: "product:p" })).toEqual({ outcome: "ignored" });
    expect(await dispatchFlowEvent({ shopId, runId, event, causeKey: "product:p" })).toEqual({ outcome: "duplicate" });
    expect(await run(runId)).toMatchObject({ state: "waiting", status: "ACTIVE" });
  });

  test("after a restart the sweep fires a due timer whose job never ran", async () => {
    const contact = await subscriber();
    const { runId } = (await start(contact.id, "subject:sweep")) as { runId: string };
    expect((await fireDueFlowTimers({ now: new Date(t0.getTime() + HOUR - 1) })).fired).toBe(0);
    await fireDueFlowTimers({ now: new Date(t0.getTime() + HOUR + 30_000) });
    expect(await run(runId)).toMatchObject({ state: "asked" });
  });
});

test("tag_contact: the contact's tags at once, the Shopify customer's by a job when linked", async () => {
  const contact = await subscriber();
  await prisma.contact.update({
    where: { id: contact.id },
    data: { shopifyCustomerId: "gid://shopify/Customer/9", tags: ["vip"] },
  });
  const { runId } = (await start(contact.id, "subject:tag")) as { runId: string };
  const event = {
    type: "fulfillment_updated" as const,
    fulfillmentId: "f",
    shipmentStatus: null,
    trackingCompany: null,
    trackingNumber: null,
    trackingUrl: null,
    estimatedDeliveryAt: null,
  };
  await dispatchFlowEvent({ shopId, runId, event, causeKey: "tag:1" });
  expect((await prisma.contact.findUniqueOrThrow({ where: { id: contact.id } })).tags).toEqual([
    "vip",
    "waiting-hoodie",
  ]);
  const jobs = await prisma.$queryRaw<{ data: unknown }[]>`
    SELECT data FROM pgboss.job WHERE name = 'flows.tag-customer' AND data->>'contactId' = ${contact.id}`;
  expect(jobs).toEqual([{ data: { shopId, contactId: contact.id, tags: ["waiting-hoodie"] } }]);
});

test("sandbox: fireShopTimersNow brings one shop's pending timers forward and fires them", async () => {
  const contact = await subscriber();
  const { runId } = (await start(contact.id, "subject:sandbox", new Date())) as { runId: string };
  expect(await fireShopTimersNow({ shopId: "another.myshopify.com" })).toEqual({ due: 0, fired: 0 });
  expect(await run(runId)).toMatchObject({ state: "waiting" });
  expect((await fireShopTimersNow({ shopId, runId })).fired).toBeGreaterThanOrEqual(1);
  expect(await run(runId)).toMatchObject({ state: "asked" });
});

describe("exit conditions before every step", () => {
  test("opted out while waiting: the run exits at its next step and nothing is sent", async () => {
    const contact = await subscriber();
    const { runId } = (await start(contact.id, "subject:optout")) as { runId: string };
    await createConsent(shopId, contact, { status: "UNSUBSCRIBED", source: "KEYWORD" });
    expect(await fireFlowTimer({ runId, timerSeq: 1, now: new Date(t0.getTime() + HOUR) })).toEqual({
      outcome: "exited",
      reason: "opted_out",
    });
    expect(await run(runId)).toMatchObject({ status: "EXITED", exitReason: "opted_out", timerAt: null });
    expect(await prisma.message.count({ where: { flowRunId: runId } })).toBe(0);
  });

  test("a staff reply during the run: staff took over", async () => {
    const contact = await subscriber();
    const { runId } = (await start(contact.id, "subject:staff")) as { runId: string };
    await fireFlowTimer({ runId, timerSeq: 1, now: new Date(t0.getTime() + HOUR) });
    const { conversationId } = await run(runId);
    await prisma.message.create({
      data: {
        shopId,
        contactId: contact.id,
        conversationId,
        direction: "OUTBOUND",
        authorKind: "STAFF",
        body: "Hi, Sam here",
        status: "QUEUED",
        createdAt: new Date(t0.getTime() + HOUR + 60_000),
      },
    });
    await prisma.conversation.update({ where: { id: conversationId! }, data: { automationPaused: true } });
    const event = { type: "reply" as const, messageId: "m-staff", text: "ok" };
    expect(await dispatchFlowEvent({ shopId, runId, event, causeKey: "reply:m-staff" })).toEqual({
      outcome: "exited",
      reason: "staff_took_over",
    });
  });

  test("a paused thread from long before the run does not stop it", async () => {
    const contact = await subscriber();
    await createConversationWithMessages(
      shopId,
      contact.id,
      [
        {
          direction: "OUTBOUND",
          authorKind: "STAFF",
          body: "old",
          status: "DELIVERED",
          createdAt: new Date(t0.getTime() - 40 * 24 * HOUR),
        },
      ],
      { automationPaused: true, lastMessageAt: new Date(t0.getTime() - 1000) },
    );
    const { runId } = (await start(contact.id, "subject:oldpause")) as { runId: string };
    expect(await fireFlowTimer({ runId, timerSeq: 1, now: new Date(t0.getTime() + HOUR) })).toMatchObject({
      outcome: "applied",
    });
  });

  test("the flow turned off while waiting: disabled", async () => {
    const other = await createShop();
    await prisma.shopSettings.update({ where: { shopId: other.id }, data: { ...HARNESS_PROGRAM } });
    await prisma.flowSetting.create({ data: { shopId: other.id, kind: KIND, enabled: true } });
    const contact = await createContact(other.id);
    await createConsent(other.id, contact);
    const started = await startFlowRun({
      shopId: other.id,
      kind: KIND,
      contactId: contact.id,
      subjectKey: "k",
      context: { item: "x" },
      now: t0,
    });
    await prisma.flowSetting.update({
      where: { shopId_kind: { shopId: other.id, kind: KIND } },
      data: { enabled: false },
    });
    expect(
      await fireFlowTimer({
        runId: (started as { runId: string }).runId,
        timerSeq: 1,
        now: new Date(t0.getTime() + HOUR),
      }),
    ).toEqual({ outcome: "exited", reason: "disabled" });
  });
});
