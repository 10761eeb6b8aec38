import { describe, expect, test } from "vitest";
import { CATALOG } from "~/sandbox/shopify/seed-catalog";
import {
  asksWhatTheyAreWaitingFor,
  type CatalogueEntry,
  catalogueQuery,
  interestWords,
  matchInterest,
  saysWaitingFor,
} from "./interest-match";

const handleOf = (title: string) =>
  title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
const product = (title: string, productType: string | null = null): CatalogueEntry => ({
  type: "product",
  id: `gid://shopify/Product/${handleOf(title)}`,
  title,
  handle: handleOf(title),
  productType,
});
const collection = (title: string): CatalogueEntry => ({
  type: "collection",
  id: `gid://shopify/Collection/${handleOf(title)}`,
  title,
  handle: handleOf(title),
});

// The simulated store's catalogue (Acme Outfitters), as the Admin API search returns it.
const SEED = CATALOG.map((p) => product(p.title, p.productType));
const WITH_LINEN = [...SEED, product("Linen Shirt", "Shirts")];
const HOODIES = [...SEED, product("Cozy Hoodie", "Sweaters"), product("Cozy Hoodie Kids", "Sweaters")];
const WITH_COLLECTIONS = [...HOODIES, collection("Hoodies"), collection("Jackets"), collection("Fall Collection")];

const titleOf = (result: ReturnType<typeof matchInterest>) =>
  result.outcome === "match" ? result.target.title : result.outcome;

describe("matchInterest", () => {
  test.each<[string, CatalogueEntry[], string]>([
    // plural, singular, filler around the name
    ["the hoodies!", SEED, "Meadow Sun Hoodie"],
    ["let me know when the linen shirt is back", WITH_LINEN, "Linen Shirt"],
    ["waiting on the cozy hoodie in M", HOODIES, "Cozy Hoodie"],
    ["cozy hoodie pls", HOODIES, "Cozy Hoodie"],
    ["the down vest", SEED, "Summit Down Vest"],
    ["headlamp!!", SEED, "Northstar Headlamp"],
    ["the mug", SEED, "Driftwood Camp Mug"],
    ["socks", SEED, "Highland Wool Socks (3-Pack)"],
    ["wool socks size L", SEED, "Highland Wool Socks (3-Pack)"],
    ["tees", SEED, "Trailhead Merino Tee"],
    ["the merino tee in charcoal", SEED, "Trailhead Merino Tee"],
    ["rain jacket", SEED, "Ridgeline Rain Jacket"],
    ["the trail runners", SEED, "Switchback Trail Runners"],
    ["sleeping bags", SEED, "Glacier Sleeping Bag 20°F"],
    ["the tote bag", SEED, "Boulder Canvas Tote"],
    ["fleece", SEED, "Alpine Fleece Pullover"],
    ["Pants!", SEED, "Pathfinder Softshell Pants"],
    ["gloves 🧤", SEED, "Trekker Leather Gloves"],
    ["Hammock 🙏", SEED, "Evergreen Hammock"],
    // typos and words split or joined
    ["hoddie", SEED, "Meadow Sun Hoodie"],
    ["the hoody", SEED, "Meadow Sun Hoodie"],
    ["beenie", SEED, "Timberline Beanie"],
    ["flanel shirt", SEED, "Basecamp Flannel Shirt"],
    ["head lamp", SEED, "Northstar Headlamp"],
    ["wind breaker", SEED, "Coastline Packable Windbreaker"],
    ["day pack", SEED, "Wayfinder Daypack 24L"],
    ["the jaket", SEED, "Ridgeline Rain Jacket"],
    // collections named exactly win over their products
    ["the hoodies!", WITH_COLLECTIONS, "Hoodies"],
    ["JACKETS", WITH_COLLECTIONS, "Jackets"],
    ["the fall collection", WITH_COLLECTIONS, "Fall Collection"],
    // nothing, or nothing confident
    ["the hoodies!", HOODIES, "ambiguous"],
    ["hoodie", HOODIES, "ambiguous"],
    ["a gift card", SEED, "none"],
    ["the blue one", SEED, "none"],
    ["pizza", SEED, "none"],
    ["lol ok", SEED, "none"],
    ["", SEED, "none"],
    ["the linen shirt", SEED, "none"], // a shirt, but not linen: no promise about the flannel one
    ["shorts", [], "none"],
  ])("%j → %s", (text, catalogue, expected) => {
    const result = matchInterest(text, catalogue);
    const got = result.outcome === "ambiguous" ? "ambiguous" : titleOf(result);
    expect(got).toBe(expected);
  });

  test("several equally good products are offered to a person, best first", () => {
    const result = matchInterest("the hoodies!", HOODIES);
    expect(result.outcome).toBe("ambiguous");
    if (result.outcome === "ambiguous")
      expect(result.candidates.map((c) => c.title).sort()).toEqual(
        ["Cozy Hoodie", "Cozy Hoodie Kids", "Meadow Sun Hoodie"].sort(),
      );
  });

  test("a product type alone is weak evidence: several of that type are ambiguous", () => {
    const catalogue = [product("Summit Down Vest", "Jackets"), product("Coastline Windbreaker", "Jackets")];
    expect(matchInterest("jackets", catalogue).outcome).toBe("ambiguous");
  });
});

describe("interestWords", () => {
  test.each([
    ["let me know when the linen shirt is back in stock!!", ["linen", "shirt"]],
    ["waiting on the cozy hoodie in M", ["cozy", "hoodie"]],
    ["Thanks! 😊", []],
    ["nope, not interested", []],
    ["idk maybe", []],
    ["Crème Brûlée candle", ["creme", "brulee", "candle"]],
  ])("%j → %j", (text, words) => expect(interestWords(text)).toEqual(words));
});

describe("saysWaitingFor (an unprompted text)", () => {
  test.each([
    "let me know when the linen shirt is back",
    "Lemme know if the vest restocks",
    "text me when the headlamp is available",
    "waiting on the cozy hoodie in M",
    "When will the hoodies be back in stock?",
    "any chance the down vest comes back?",
    "is the headlamp back yet",
    "when does the fall collection drop?",
    "Can I get early access to the new jackets?",
    "the vest is sold out :( will it be restocked",
    "I'd order the hoodie if it were back in stock",
  ])("%j is waiting", (text) => expect(saysWaitingFor(text)).toBe(true));

  test.each([
    "the hoodies!",
    "where is my order",
    "I sent it back last week",
    "can you call me back",
    "thanks!",
    "do you ship to Canada?",
    "love it",
    "still waiting for my order",
    "when will my order be out for delivery?",
    "let me know when my refund comes through",
    "text me when it's delivered",
    "is my package available for pickup?",
  ])("%j is not", (text) => expect(saysWaitingFor(text)).toBe(false));
});

describe("asksWhatTheyAreWaitingFor (the shop's text the shopper answers)", () => {
  test.each([
    "Early access starts Friday for subscribers! What are you most excited about?",
    "Our fall drop is almost here. What are you waiting for? Reply and we'll text you first.",
    "Which items do you want us to restock?",
    "Some favourites are coming back in stock soon. Reply with the item you want!",
  ])("%j asks", (body) => expect(asksWhatTheyAreWaitingFor(body)).toBe(true));

  test.each([
    "Your order #1042 has shipped with UPS.",
    "Hi Ana, it's Sam from Acme. How's the Linen Shirt? Anything we could do better?",
    "Thanks for subscribing! Reply STOP to opt out.",
  ])("%j does not", (body) => expect(asksWhatTheyAreWaitingFor(body)).toBe(false));
});

describe("catalogueQuery", () => {
  test.each([
    [["hoodies"], "hood*"],
    [["linen", "shirt"], "line* OR shir*"],
    [["tee", "tees"], "tee* OR tees*"],
    [[], null],
  ])("%j → %j", (words, query) => expect(catalogueQuery(words)).toBe(query));
});
