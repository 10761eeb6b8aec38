import { describe, expect, test } from "vitest";
import {
  checkoutPhoneE164,
  describePixelBatchError,
  MAX_PIXEL_BATCH,
  PixelBatchSchema,
  type PixelEvent,
  retentionCutoff,
  shopifyGid,
  toBrowseEventRow,
} from "./browse-events";

const NOW = new Date("2026-11-25T12:00:00.000Z");
const event = (overrides: Partial<PixelEvent>): PixelEvent => ({
  name: "product_viewed",
  id: "sh-evt-1",
  timestamp: "2026-11-25T11:59:00.000Z",
  ...overrides,
});

describe("toBrowseEventRow", () => {
  test.each([
    [
      "product_viewed with bare ids",
      event({
        customerId: "42",
        productId: "7001",
        variantId: "9001",
        title: "Canvas Tote",
        url: "https://acme.test/products/tote",
      }),
      {
        eventName: "product_viewed",
        eventId: "sh-evt-1",
        shopifyCustomerId: "gid://shopify/Customer/42",
        productId: "gid://shopify/Product/7001",
        variantId: "gid://shopify/ProductVariant/9001",
        productTitle: "Canvas Tote",
        url: "https://acme.test/products/tote",
        occurredAt: new Date("2026-11-25T11:59:00.000Z"),
        phoneE164: null,
      },
    ],
    [
      "product_added_to_cart with gids, anonymous",
      event({
        name: "product_added_to_cart",
        productId: "gid://shopify/Product/7001",
        variantId: "gid://shopify/ProductVariant/9001",
        title: "Tote",
      }),
      {
        eventName: "product_added_to_cart",
        shopifyCustomerId: null,
        productId: "gid://shopify/Product/7001",
        variantId: "gid://shopify/ProductVariant/9001",
        productTitle: "Tote",
        phoneE164: null,
      },
    ],
    [
      "checkout_started: phone in the shipping country, no product",
      event({ name: "checkout_started", phone: "(212) 555-0147", countryCode: "US", productId: "7001", title: "x" }),
      {
        eventName: "checkout_started",
        productId: null,
        variantId: null,
        productTitle: null,
        phoneE164: "+12125550147",
      },
    ],
    [
      "checkout_completed: UK number typed nationally",
      event({ name: "checkout_completed", phone: "07400 123456", countryCode: "gb", customerId: "5" }),
      { phoneE164: "+447400123456", shopifyCustomerId: "gid://shopify/Customer/5" },
    ],
    ["product_viewed ignores a phone", event({ phone: "+12125550147" }), { phoneE164: null }],
    [
      "ids of the wrong type or free text are dropped",
      event({ customerId: "gid://shopify/Order/1", productId: "tote", variantId: "gid://shopify/Product/3" }),
      { shopifyCustomerId: null, productId: null, variantId: null },
    ],
    ["a future timestamp is read as now", event({ timestamp: "2027-01-01T00:00:00+01:00" }), { occurredAt: NOW }],
    [
      "a timestamp with an offset keeps its instant",
      event({ timestamp: "2026-11-25T06:30:00-05:00" }),
      { occurredAt: new Date("2026-11-25T11:30:00.000Z") },
    ],
    ["a non-http url is dropped", event({ url: "javascript:alert(1)" }), { url: null }],
    ["a long title is cut to 255 characters", event({ title: "T".repeat(600) }), { productTitle: "T".repeat(255) }],
  ])("%s", (_name, input, expected) => {
    expect(toBrowseEventRow(input, NOW)).toMatchObject(expected);
  });
});

describe("checkoutPhoneE164", () => {
  test.each([
    ["+1 212-555-0147", null, "+12125550147"],
    ["212.555.0147", undefined, "+12125550147"],
    ["2125550147", "ZZ", "+12125550147"], // unknown country → read as US
    ["+44 7400 123456", "US", "+447400123456"], // an explicit +code wins over the country
    ["", "US", null],
    ["12", "US", null],
    ["not a phone", "US", null],
  ])("%j (%s) → %s", (phone, country, expected) => {
    expect(checkoutPhoneE164(phone, country)).toBe(expected);
  });
});

test.each([
  ["Customer", "12", "gid://shopify/Customer/12"],
  ["Customer", "gid://shopify/Customer/12", "gid://shopify/Customer/12"],
  ["Product", "gid://shopify/Customer/12", null],
  ["Product", "12; DROP", null],
  ["ProductVariant", null, null],
] as const)("shopifyGid(%s, %j) → %s", (type, id, expected) => {
  expect(shopifyGid(type, id)).toBe(expected);
});

describe("PixelBatchSchema", () => {
  const valid = { accountID: "tok", events: [event({})] };

  test("accepts a well-formed batch", () => {
    expect(PixelBatchSchema.safeParse(valid).success).toBe(true);
  });

  test.each([
    ["no events", { ...valid, events: [] }, "events"],
    ["too many events", { ...valid, events: Array.from({ length: MAX_PIXEL_BATCH + 1 }, () => event({})) }, "events"],
    [
      "an event this pixel does not send",
      { ...valid, events: [event({ name: "page_viewed" as never })] },
      "events.0.name",
    ],
    [
      "a timestamp that is not ISO 8601",
      { ...valid, events: [event({ timestamp: "yesterday" })] },
      "events.0.timestamp",
    ],
    ["an empty event id", { ...valid, events: [event({ id: "" })] }, "events.0.id"],
    ["a missing token", { events: valid.events }, "accountID"],
  ])("refuses %s, naming the field", (_name, input, path) => {
    const result = PixelBatchSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(describePixelBatchError(result.error!)).toMatch(new RegExp(`^${path.replace(/\./g, "\\.")}: `));
  });
});

test.each([
  [90, "2026-08-27T12:00:00.000Z"],
  [1, "2026-11-24T12:00:00.000Z"],
  [0, "2026-11-24T12:00:00.000Z"], // never "delete everything up to now"
])("retentionCutoff(%i days)", (days, expected) => {
  expect(retentionCutoff(NOW, days).toISOString()).toBe(expected);
});
