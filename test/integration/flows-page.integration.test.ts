import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { prisma } from "~/db.server";
import type { FlowKind } from "~/domain/flows/machine";
import type { FlowFormValues } from "~/domain/flows/settings-form";
import type { Prisma } from "~/generated/prisma/client.ts";
import { action as flowAction, loader as flowLoader } from "~/routes/app.flows.$kind";
import { action as listAction, loader as listLoader } from "~/routes/app.flows._index";
import { adminRouteArgs, routeAnswer } from "../helpers/admin-request";
import { createContact, createConversationWithMessages, createDiscount, createShop } from "../helpers/factories";
import { startSimulatedStore, type SimulatedStore } from "../helpers/simulated-store";

// The Flows page's routes against a real PostgreSQL, called as the embedded admin calls them: the list with each
// flow's switch and numbers (one grouped statement: started, replied, handed over, converted, revenue, codes used —
// per range, per day in the shop's zone, never another shop's), the one-click switch, and a flow's settings page:
// defaults, saving only what changed, the guardrail refusing a ladder step above it, reset, recent runs.

const SHOP = "flows-page.myshopify.com";
const OTHER = "flows-other.myshopify.com";
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let store: SimulatedStore;
const runs: Record<string, string> = {};
let conversationId: string;

type ListPage = Awaited<ReturnType<typeof listLoader>>;
type FlowPage = Awaited<ReturnType<typeof flowLoader>>;

async function runRow(
  shopId: string,
  contactId: string,
  kind: FlowKind,
  ago: number,
  data: Partial<Prisma.FlowRunUncheckedCreateInput> = {},
  steps: string[] = ["waiting 1 h"],
) {
  const run = await prisma.flowRun.create({
    data: {
      shopId,
      contactId,
      kind,
      subjectKey: `subject:${Math.random()}`,
      state: "waiting_for_reply",
      startedAt: new Date(Date.now() - ago),
      transitionCount: steps.length,
      ...data,
    },
  });
  for (const [seq, summary] of steps.entries()) {
    await prisma.flowTransition.create({
      data: {
        runId: run.id,
        shopId,
        seq: seq + 1,
        causeKey: `c${seq}`,
        event: seq === 0 ? "start" : "reply",
        fromState: "x",
        toState: "y",
        summary,
      },
    });
  }
  return run.id;
}

const list = async (days?: number) =>
  listLoader(await adminRouteArgs(SHOP, `/app/flows${days ? `?days=${days}` : ""}`)) as Promise<ListPage>;
const flowOf = (page: ListPage, kind: FlowKind) => page.flows.find((f) => f.kind === kind)!;
const settingsPage = async (slug: string) =>
  flowLoader(await adminRouteArgs(SHOP, `/app/flows/${slug}`, { params: { kind: slug } })) as Promise<FlowPage>;
const postSettings = async (slug: string, body: unknown) =>
  routeAnswer<{ ok: boolean; fieldErrors?: Record<string, string> }>(
    flowAction(await adminRouteArgs(SHOP, `/app/flows/${slug}`, { body, params: { kind: slug } })),
  );

beforeAll(async () => {
  store = await startSimulatedStore({ shop: SHOP });
  await createShop({ id: OTHER });
  await prisma.shopSettings.update({
    where: { shopId: SHOP },
    data: { brandName: "Acme Outfitters", senderName: "Sam" },
  });
}, 60_000);

afterAll(async () => {
  await store?.stop();
});

describe("Flows list", () => {
  test("before anything ran: every flow is off but the welcome, with zero numbers and an empty chart", async () => {
    const page = await list();
    expect(page.range).toBe(30);
    expect(page.anyRuns).toBe(false);
    expect(page.flows.map((f) => [f.kind, f.slug, f.enabled])).toEqual([
      ["ABANDONED_CART", "abandoned-cart", false],
      ["SHIPPING_UPDATE", "shipping-update", false],
      ["FEEDBACK", "feedback", false],
      ["INTEREST", "interest", false],
      ["WELCOME", "welcome", true], // it was on before it was a flow
    ]);
    expect(flowOf(page, "ABANDONED_CART").title).toBe("Abandoned cart: what went wrong?");
    expect(flowOf(page, "INTEREST").title).toBe("Back in stock & early access");
    expect(flowOf(page, "ABANDONED_CART").totals).toMatchObject({ started: 0, converted: 0, revenue: [] });
    expect(flowOf(page, "ABANDONED_CART").daily).toHaveLength(30);
  });

  test("one click turns a flow on for this shop only; off again the same way", async () => {
    const toggle = async (kind: string, enabled: unknown) =>
      routeAnswer(
        listAction(await adminRouteArgs(SHOP, "/app/flows?index", { body: { intent: "toggle", kind, enabled } })),
      );

    expect(await toggle("ABANDONED_CART", true)).toEqual({
      status: 200,
      body: { ok: true, kind: "ABANDONED_CART", enabled: true },
    });
    expect(flowOf(await list(), "ABANDONED_CART").enabled).toBe(true);
    expect(
      await prisma.flowSetting.findUnique({ where: { shopId_kind: { shopId: OTHER, kind: "ABANDONED_CART" } } }),
    ).toBeNull();
    // The defaults need no setup: nothing but the switch is stored.
    expect(
      await prisma.flowSetting.findUniqueOrThrow({ where: { shopId_kind: { shopId: SHOP, kind: "ABANDONED_CART" } } }),
    ).toMatchObject({ enabled: true, config: {} });

    await toggle("WELCOME", false);
    expect(flowOf(await list(), "WELCOME").enabled).toBe(false);
    await toggle("WELCOME", true);
    expect(flowOf(await list(), "WELCOME").enabled).toBe(true);

    expect((await toggle("NOT_A_FLOW", true)).status).toBe(400);
    expect((await toggle("FEEDBACK", "yes")).status).toBe(400);
  });

  test("the numbers: started, replied, handed over, converted, revenue and codes used, per range, never another shop's", async () => {
    const ana = await createContact(SHOP, { firstName: "Ana", lastName: "Lima" });
    const ben = await createContact(SHOP, { firstName: null, lastName: null, phoneE164: "+12125550142" });
    const other = await createContact(OTHER);
    conversationId = (await createConversationWithMessages(SHOP, ana.id)).conversation.id;

    runs.converted = await runRow(
      SHOP,
      ana.id,
      "ABANDONED_CART",
      HOUR,
      {
        conversationId,
        status: "CONVERTED",
        state: "converted",
        repliedAt: new Date(),
        convertedAt: new Date(),
        revenueCents: 8400,
        currencyCode: "USD",
        offerCode: "ACME-7KQ2M9",
        offerCodeUsed: true,
      },
      ["waiting 1 h", "offered free shipping", "converted: $84.00"],
    );
    runs.handedOver = await runRow(
      SHOP,
      ben.id,
      "ABANDONED_CART",
      2 * DAY,
      { repliedAt: new Date(), handedOverAt: new Date(), state: "with_staff" },
      ["waiting 1 h", "handed to staff: size question"],
    );
    runs.optedOut = await runRow(SHOP, ana.id, "ABANDONED_CART", 3 * DAY, {
      status: "EXITED",
      exitReason: "opted_out",
      state: "waiting_for_reply",
    });
    runs.codeNotUsed = await runRow(SHOP, ben.id, "ABANDONED_CART", 10 * DAY, {
      status: "CONVERTED",
      repliedAt: new Date(),
      revenueCents: 5000,
      currencyCode: "USD",
      offerCode: "ACME-BBBBBB",
    });
    await createDiscount(SHOP, { flowRunId: runs.codeNotUsed, code: "ACME-BBBBBB", createdBy: "flow" });
    runs.old = await runRow(SHOP, ana.id, "ABANDONED_CART", 40 * DAY, {
      status: "CONVERTED",
      revenueCents: 9999,
      currencyCode: "USD",
    });
    // A code recorded as used on the discount itself (not yet on the run) counts too.
    runs.justStarted = await runRow(SHOP, ben.id, "ABANDONED_CART", 5 * 60_000);
    await createDiscount(SHOP, { flowRunId: runs.justStarted, createdBy: "flow", usedAt: new Date(), orderId: "1" });
    await runRow(SHOP, ana.id, "SHIPPING_UPDATE", DAY, { status: "COMPLETED", state: "delivered" });
    // Another shop's busy day must not leak in.
    const foreign = await runRow(OTHER, other.id, "ABANDONED_CART", HOUR, {
      status: "CONVERTED",
      revenueCents: 100_000,
      currencyCode: "USD",
      offerCodeUsed: true,
      offerCode: "X",
      repliedAt: new Date(),
      handedOverAt: new Date(),
    });
    await createDiscount(OTHER, { flowRunId: foreign, usedAt: new Date() });

    const month = await list();
    expect(month.anyRuns).toBe(true);
    expect(flowOf(month, "ABANDONED_CART").totals).toEqual({
      started: 5,
      replied: 3,
      handedOver: 1,
      converted: 2,
      codesOffered: 3,
      codesUsed: 2,
      revenue: [{ currencyCode: "USD", cents: 13_400 }],
    });
    expect(flowOf(month, "SHIPPING_UPDATE").totals).toMatchObject({ started: 1, converted: 0, revenue: [] });
    expect(flowOf(month, "FEEDBACK").totals.started).toBe(0);

    // The chart's days: the shop's calendar days, today last; the converted run sits on the day it started.
    const daily = flowOf(month, "ABANDONED_CART").daily;
    const nyDay = (at: number) => new Date(at).toLocaleDateString("en-CA", { timeZone: "America/New_York" });
    expect(daily.at(-1)!.day).toBe(nyDay(Date.now()));
    expect(daily.reduce((sum, d) => sum + d.started, 0)).toBe(5);
    expect(daily.find((d) => d.day === nyDay(Date.now() - HOUR))!.converted).toBeGreaterThanOrEqual(1);
    expect(daily.find((d) => d.day === nyDay(Date.now() - 10 * DAY))).toMatchObject({ started: 1, converted: 1 });

    const week = await list(7);
    expect(week.range).toBe(7);
    expect(flowOf(week, "ABANDONED_CART").daily).toHaveLength(7);
    expect(flowOf(week, "ABANDONED_CART").totals).toMatchObject({
      started: 4,
      converted: 1,
      codesUsed: 2,
      revenue: [{ currencyCode: "USD", cents: 8400 }],
    });
    const quarter = await list(90);
    expect(flowOf(quarter, "ABANDONED_CART").totals).toMatchObject({
      started: 6,
      converted: 3,
      revenue: [{ currencyCode: "USD", cents: 23_399 }],
    });
  });
});

describe("A flow's settings page", () => {
  test("shows the compliant defaults, the shop's guardrail and sample values for the preview", async () => {
    const page = await settingsPage("abandoned-cart");
    expect(page).toMatchObject({
      kind: "ABANDONED_CART",
      title: "Abandoned cart: what went wrong?",
      enabled: true,
      customized: false,
      maxPercent: 20,
      stepsAboveGuardrail: [],
      preview: { brandName: "Acme Outfitters", senderName: "Sam", storeDomain: SHOP, codePrefix: "ACME" },
    });
    expect(page.values).toMatchObject({ delayMinutes: "60", offerLadder: ["10", "15"], linkInOpener: false });
    expect(page.values).toEqual(page.defaults);
  });

  test("saving stores only what changed; a ladder step above the guardrail and an unknown variable are refused", async () => {
    const { values } = await settingsPage("abandoned-cart");
    const refused = await postSettings("abandoned-cart", {
      intent: "save",
      values: { ...values, offerLadder: ["10", "25"], opener: "Hi {frist_name}!", delayMinutes: "5" },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.fieldErrors).toEqual({
      "offerLadder.1": expect.stringContaining("at most 20% off"),
      opener: expect.stringContaining("Unknown variable {frist_name}"),
      delayMinutes: "Must be at least 15 minutes.",
    });
    expect(
      await prisma.flowSetting.findUniqueOrThrow({ where: { shopId_kind: { shopId: SHOP, kind: "ABANDONED_CART" } } }),
    ).toMatchObject({ config: {} });

    const changed: FlowFormValues = { ...values, delayMinutes: "90", offerLadder: ["10", "20"], linkInOpener: true };
    expect(await postSettings("abandoned-cart", { intent: "save", values: changed })).toEqual({
      status: 200,
      body: { ok: true, intent: "save" },
    });
    const row = await prisma.flowSetting.findUniqueOrThrow({
      where: { shopId_kind: { shopId: SHOP, kind: "ABANDONED_CART" } },
    });
    expect(row).toMatchObject({
      enabled: true,
      config: { delayMinutes: 90, offerLadder: [10, 20], linkInOpener: true },
    });
    expect(Object.keys(row.config as object).sort()).toEqual(["delayMinutes", "linkInOpener", "offerLadder"]);
    const page = await settingsPage("abandoned-cart");
    expect(page).toMatchObject({ customized: true, values: { delayMinutes: "90", offerLadder: ["10", "20"] } });

    // The shop lowers its guardrail afterwards: the page says which steps will not be offered.
    await prisma.shopSettings.update({ where: { shopId: SHOP }, data: { discountMaxPercent: 15 } });
    expect((await settingsPage("abandoned-cart")).stepsAboveGuardrail).toEqual([20]);
    await prisma.shopSettings.update({ where: { shopId: SHOP }, data: { discountMaxPercent: 20 } });
  });

  test("reset to defaults keeps the flow on", async () => {
    expect(await postSettings("abandoned-cart", { intent: "reset" })).toEqual({
      status: 200,
      body: { ok: true, intent: "reset" },
    });
    const page = await settingsPage("abandoned-cart");
    expect(page).toMatchObject({ enabled: true, customized: false });
    expect(page.values).toEqual(page.defaults);
  });

  test("another flow's settings are saved in its own row, its switch untouched", async () => {
    const { values } = await settingsPage("shipping-update");
    const saved = await postSettings("shipping-update", { intent: "save", values: { ...values, onDelivered: true } });
    expect(saved.status).toBe(200);
    expect(
      await prisma.flowSetting.findUniqueOrThrow({ where: { shopId_kind: { shopId: SHOP, kind: "SHIPPING_UPDATE" } } }),
    ).toMatchObject({ enabled: false, config: { onDelivered: true } });
  });

  test("recent runs: this shop's, newest first, with the shopper, a link to the conversation and the outcome", async () => {
    const page = await settingsPage("abandoned-cart");
    expect(page.runs.map((r) => r.id)).toEqual([
      runs.justStarted,
      runs.converted,
      runs.handedOver,
      runs.optedOut,
      runs.codeNotUsed,
      runs.old,
    ]);
    const byId = Object.fromEntries(page.runs.map((r) => [r.id, r]));
    expect(byId[runs.converted]).toMatchObject({
      shopper: "Ana Lima",
      conversationId,
      status: "CONVERTED",
      state: "Converted",
      outcome: "Bought $84.00 with ACME-7KQ2M9",
    });
    expect(byId[runs.handedOver]).toMatchObject({ shopper: "(212) 555-0142", outcome: "Handed to your team" });
    expect(byId[runs.optedOut]).toMatchObject({ status: "EXITED", outcome: "Opted out" });
    expect(byId[runs.codeNotUsed]).toMatchObject({ outcome: "Bought $50.00 without the code" });
    expect(byId[runs.justStarted]).toMatchObject({ status: "ACTIVE", outcome: "Waiting 1 h", conversationId: null });
  });

  test("the welcome flow has no fields of its own; an unknown flow is a 404", async () => {
    const welcome = await settingsPage("welcome");
    expect(welcome).toMatchObject({ kind: "WELCOME", values: {}, runs: [] });
    const missing = await routeAnswer(
      flowLoader(await adminRouteArgs(SHOP, "/app/flows/nope", { params: { kind: "nope" } })),
    );
    expect(missing.status).toBe(404);
  });
});
