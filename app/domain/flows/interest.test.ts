import { describe, expect, test } from "vitest";
import {
  arrivedFor,
  cameBack,
  collectionWatchOf,
  EXPIRE_TIMER,
  fillTarget,
  type InterestContext,
  InterestContextSchema,
  interestMachine,
  onSale,
  type ProductStock,
  type StockSummary,
  type Watch,
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

  test("a collection: the promise names what will come of it, the tag its handle", () => {
    const hoodies = { ...HOODIE, type: "collection" as const, id: "gid://shopify/Collection/1", title: "Hoodies" };
    const s = step("new", { type: "start" }, context({ target: { ...hoodies, handle: "hoodies" } }));
    expect(s?.effects.slice(0, 2)).toEqual([
      { type: "tag_contact", tags: ["interest:hoodies"] },
      {
        type: "send",
        body: "You got it! We'll text you as soon as something new in Hoodies is available.",
        purpose: "MARKETING",
      },
    ]);
    expect(s?.summary).toBe("promised a text when something new in Hoodies is available");
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
  test.each<[string, "product" | "collection", string, string]>([
    [
      "We'll text you when {target_title} is back.",
      "product",
      "Cozy Hoodie",
      "We'll text you when the Cozy Hoodie is back.",
    ],
    ["{target_title} is here!", "product", "Cozy Hoodie", "The Cozy Hoodie is here!"],
    ["Good news! {target_title} is here.", "product", "The Everyday Tote", "Good news! The Everyday Tote is here."],
    ["Link: {product_url}", "product", "X", "Link: {product_url}"],
    [
      "We'll text you as soon as {target_title} is available.",
      "collection",
      "Hoodies",
      "We'll text you as soon as something new in Hoodies is available.",
    ],
    ["{target_title} is coming.", "collection", "Camp Gear", "Something new in Camp Gear is coming."],
  ])("%j with the %s %j → %j", (template, type, title, text) =>
    expect(fillTarget(template, { type, title })).toBe(text),
  );
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

describe("collections: what a shopper waiting for “the hoodies!” hears about", () => {
  const gid = (n: number) => `gid://shopify/Product/${n}`;
  const summary = (n: number, status: string, totalInventory: number | null, tracksInventory = true): StockSummary => ({
    id: gid(n),
    status,
    totalInventory,
    tracksInventory,
  });
  const stock = (status: string, quantities: number[]): ProductStock => ({
    status,
    variants: quantities.map((q, i) => ({ id: `gid://shopify/ProductVariant/${i + 1}`, inventoryQuantity: q })),
  });

  test.each<[string, ProductStock | StockSummary, boolean]>([
    ["published, one size in stock", stock("ACTIVE", [0, 2]), true],
    ["published, sold out", stock("active", [0, 0]), false],
    ["a draft with stock", stock("DRAFT", [5]), false],
    ["summed up: published with stock", summary(1, "ACTIVE", 3), true],
    ["summed up: published, none left", summary(1, "ACTIVE", 0), false],
    ["summed up: stock not tracked", summary(1, "ACTIVE", 0, false), true],
    ["summed up: archived", summary(1, "ARCHIVED", 9), false],
  ])("on sale? %s → %s", (_name, product, expected) => expect(onSale(product)).toBe(expected));

  test.each<[string, StockSummary[], Watch]>([
    [
      "one on sale, one sold out: waits for a restock, notes what was on sale",
      [summary(1, "ACTIVE", 4), summary(2, "ACTIVE", 0)],
      { waitingFor: "restock", emptyVariantIds: [], onSaleProductIds: [gid(1)] },
    ],
    [
      "one on sale, one unreleased: waits for a release",
      [summary(1, "ACTIVE", 4), summary(3, "DRAFT", 10)],
      { waitingFor: "release", emptyVariantIds: [], onSaleProductIds: [gid(1)] },
    ],
    [
      "everything on sale: still waits, for the next one",
      [summary(1, "ACTIVE", 4)],
      { waitingFor: "release", emptyVariantIds: [], onSaleProductIds: [gid(1)] },
    ],
    [
      "an empty collection waits for its first",
      [],
      { waitingFor: "release", emptyVariantIds: [], onSaleProductIds: [] },
    ],
  ])("watch of %s", (_name, products, watch) => expect(collectionWatchOf(products)).toEqual(watch));

  test("a collection too large to list whole is not watched (its unlisted products would all look new)", () => {
    expect(collectionWatchOf([summary(1, "ACTIVE", 0)], false)).toBeNull();
    const s = step(
      "new",
      { type: "start" },
      context({ target: { ...HOODIE, type: "collection", title: "Everything" }, watch: null }),
    );
    expect(s?.effects[0]).toMatchObject({
      summary: "Shopper is waiting for: “the hoodies!” — matched the collection Everything, too large to watch",
    });
    expect(s?.end).toEqual({ status: "COMPLETED", reason: "too_large" });
  });

  const hoodies = { type: "collection" as const, id: "gid://shopify/Collection/1" };
  const watch = collectionWatchOf([summary(1, "ACTIVE", 4), summary(2, "ACTIVE", 0), summary(3, "DRAFT", 0)])!;
  test.each<[string, number, ProductStock, boolean]>([
    ["the sold-out one restocked", 2, stock("ACTIVE", [0, 3]), true],
    ["the unreleased one published with stock", 3, stock("ACTIVE", [6]), true],
    ["the unreleased one published, nothing in stock yet", 3, stock("ACTIVE", [0]), false],
    ["a product added to the collection since, on sale", 4, stock("ACTIVE", [2]), true],
    ["the sold-out one restocked but unpublished", 2, stock("DRAFT", [3]), false],
    ["the one on sale all along, another size restocked (or a new price)", 1, stock("ACTIVE", [5, 5]), false],
  ])("collection watch: %s → %s", (_name, n, product, expected) =>
    expect(arrivedFor(hoodies, watch, gid(n), product)).toBe(expected),
  );

  test("a product watch hears only about its own product, by cameBack", () => {
    const own = { type: "product" as const, id: gid(2) };
    const restock: Watch = { waitingFor: "restock", emptyVariantIds: ["gid://shopify/ProductVariant/1"] };
    expect(arrivedFor(own, restock, gid(2), stock("ACTIVE", [4]))).toBe(true);
    expect(arrivedFor(own, restock, gid(9), stock("ACTIVE", [4]))).toBe(false);
  });
});
