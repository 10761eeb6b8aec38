import { describe, expect, test } from "vitest";
import {
  cameBack,
  EXPIRE_TIMER,
  fillTarget,
  type InterestContext,
  InterestContextSchema,
  interestMachine,
  type ProductStock,
  watchOf,
  WATCH_DAYS,
} from "./interest";
import type { FlowEvent, FlowStep } from "./machine";
import { InterestSettingsSchema } from "./settings";
import { testEnvironment } from "./test-environment";

const NOW = new Date("2026-12-01T15:00:00Z");
const DAY = 86_400_000;
const HOODIE = {
  type: "product" as const,
  id: "gid://shopify/Product/16",
  title: "Meadow Sun Hoodie",
  handle: "meadow-sun-hoodie",
  url: "https://acme.test/products/meadow-sun-hoodie",
};
const context = (overrides: Partial<InterestContext> = {}) =>
  InterestContextSchema.parse({
    askedText: "the hoodies!",
    messageId: "msg_1",
    target: HOODIE,
    watch: { waitingFor: "restock", emptyVariantIds: ["gid://shopify/ProductVariant/2"] },
    ...overrides,
  });
const env = testEnvironment(InterestSettingsSchema, {}, NOW);
const step = (state: string, event: FlowEvent, ctx = context()) =>
  interestMachine.transition({ state, context: ctx, startedAt: NOW }, event, env);
const sends = (s: FlowStep<InterestContext> | null) =>
  (s?.effects ?? []).flatMap((e) => (e.type === "send" ? [e.body] : []));
const available: FlowEvent = { type: "product_available", productId: HOODIE.id, title: HOODIE.title, url: HOODIE.url };

describe("interestMachine", () => {
  test("a match: tag, promise (marketing), a watch that lapses after a while", () => {
    const s = step("new", { type: "start" });
    expect(s?.state).toBe("watching");
    expect(s?.effects).toEqual([
      { type: "tag_contact", tags: ["interest:meadow-sun-hoodie"] },
      {
        type: "send",
        body: "You got it! We'll text you as soon as the Meadow Sun Hoodie is available.",
        purpose: "MARKETING",
      },
      { type: "set_timer", name: EXPIRE_TIMER, at: new Date(NOW.getTime() + WATCH_DAYS * DAY) },
    ]);
    expect(s?.summary).toBe("promised a text when the Meadow Sun Hoodie is back in stock");
    expect(s?.end).toBeUndefined();
  });

  test("an unreleased product is promised for its release", () => {
    const s = step("new", { type: "start" }, context({ watch: { waitingFor: "release", emptyVariantIds: [] } }));
    expect(s?.summary).toBe("promised a text when the Meadow Sun Hoodie is released");
  });

  test("back: one text with the direct link, then the run is done (so never a second)", () => {
    const s = step("watching", available);
    expect(sends(s)).toEqual([
      "The Meadow Sun Hoodie just landed, {first_name}! Grab it here before it's gone: https://acme.test/products/meadow-sun-hoodie",
    ]);
    expect(s?.end).toEqual({ status: "COMPLETED", reason: "notified" });
    expect(step("notified", available)).toBeNull();
  });

  test("another product becoming available is not this watch's news", () => {
    expect(step("watching", { ...available, productId: "gid://shopify/Product/99" })).toBeNull();
  });

  test("a collection's watch takes the product the service found in it, named by the product", () => {
    const ctx = context({
      target: { ...HOODIE, type: "collection", id: "gid://shopify/Collection/1", title: "Hoodies" },
    });
    expect(sends(step("watching", { ...available, title: "Cozy Hoodie" }, ctx))[0]).toMatch(
      /^The Cozy Hoodie just landed/,
    );
  });

  test("nothing matched: a person gets the words, the shopper no promise", () => {
    const s = step("new", { type: "start" }, context({ target: null, watch: null, askedText: "the hoodies!" }));
    expect(s?.effects).toEqual([
      { type: "hand_over", summary: "Shopper is waiting for: “the hoodies!” — no product matched", priority: false },
    ]);
    expect(s?.end).toEqual({ status: "COMPLETED", reason: "no_match" });
  });

  test("several matched: the person sees which", () => {
    const s = step(
      "new",
      { type: "start" },
      context({ target: null, watch: null, candidates: ["Cozy Hoodie", "Meadow Sun Hoodie"] }),
    );
    expect(s?.effects[0]).toMatchObject({
      summary: "Shopper is waiting for: “the hoodies!” — several products match (Cozy Hoodie, Meadow Sun Hoodie)",
    });
  });

  test("a product on sale in every variant: a person answers (maybe it is a size), no promise", () => {
    const s = step("new", { type: "start" }, context({ watch: null }));
    expect(s?.effects).toEqual([
      {
        type: "hand_over",
        summary: "Shopper is waiting for: “the hoodies!” — matched Meadow Sun Hoodie, which is on sale now",
        priority: false,
      },
    ]);
  });

  test("the watch lapses quietly", () => {
    expect(step("watching", { type: "timer", name: EXPIRE_TIMER })).toMatchObject({
      effects: [],
      end: { status: "COMPLETED", reason: "expired" },
    });
  });

  test.each([
    ["watching", { type: "start" }],
    ["watching", { type: "reply", messageId: "m", text: "thanks" }],
    ["new", available],
    ["watching", { type: "timer", name: "other" }],
  ] as [string, FlowEvent][])("in %s, %j means nothing", (state, event) => expect(step(state, event)).toBeNull());
});

describe("fillTarget", () => {
  test.each([
    ["We'll text you when {target_title} is back.", "Cozy Hoodie", "We'll text you when the Cozy Hoodie is back."],
    ["{target_title} is here!", "Cozy Hoodie", "The Cozy Hoodie is here!"],
    ["Good news! {target_title} is here.", "The Everyday Tote", "Good news! The Everyday Tote is here."],
    ["Link: {product_url}", "X", "Link: {product_url}"],
  ])("%j with %j → %j", (template, title, text) => expect(fillTarget(template, title)).toBe(text));
});

describe("watchOf / cameBack", () => {
  const v = (id: number, inventoryQuantity: number | null, tracked?: boolean) => ({
    id: `gid://shopify/ProductVariant/${id}`,
    inventoryQuantity,
    tracked,
  });
  const product = (status: string, variants: ProductStock["variants"]): ProductStock => ({ status, variants });

  test.each<[string, ProductStock, ReturnType<typeof watchOf>]>([
    ["a draft waits for its release", product("DRAFT", [v(1, 5)]), { waitingFor: "release", emptyVariantIds: [] }],
    [
      "sold out waits for a restock",
      product("ACTIVE", [v(1, 0), v(2, 0)]),
      {
        waitingFor: "restock",
        emptyVariantIds: ["gid://shopify/ProductVariant/1", "gid://shopify/ProductVariant/2"],
      },
    ],
    [
      "some sizes empty waits for them",
      product("active", [v(1, 3), v(2, 0)]),
      {
        waitingFor: "restock",
        emptyVariantIds: ["gid://shopify/ProductVariant/2"],
      },
    ],
    ["everything on sale: nothing to wait for", product("ACTIVE", [v(1, 3), v(2, 1)]), null],
    ["untracked stock is always on sale", product("ACTIVE", [v(1, 0, false)]), null],
  ])("%s", (_name, p, watch) => expect(watchOf(p)).toEqual(watch));

  const restock = { waitingFor: "restock" as const, emptyVariantIds: ["gid://shopify/ProductVariant/2"] };
  test.each<[string, ProductStock, boolean]>([
    ["the empty variant restocked", product("active", [v(1, 3), v(2, 12)]), true],
    ["only another variant changed", product("active", [v(1, 9), v(2, 0)]), false],
    ["restocked but unpublished", product("draft", [v(1, 3), v(2, 12)]), false],
  ])("restock watch: %s → %s", (_name, p, back) => expect(cameBack(restock, p)).toBe(back));

  test.each<[string, ProductStock, boolean]>([
    ["released with stock", product("ACTIVE", [v(1, 4)]), true],
    ["released, nothing in stock yet", product("ACTIVE", [v(1, 0)]), false],
    ["still a draft", product("DRAFT", [v(1, 4)]), false],
  ])("release watch: %s → %s", (_name, p, back) =>
    expect(cameBack({ waitingFor: "release", emptyVariantIds: [] }, p)).toBe(back),
  );
});
