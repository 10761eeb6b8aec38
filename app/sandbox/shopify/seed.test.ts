import { describe, expect, it } from "vitest";
import { seedStore } from "./seed";

// The seeded store must be the same on every run (tests, screenshots and docs name its customers) and must hold
// the situations Parley's flows need: subscribers and non-subscribers, parcels on the way, abandoned checkouts,
// sold-out products.

const NOW = new Date("2026-03-01T15:00:00Z");

describe("seedStore", () => {
  it("is deterministic for the same seed and time", () => {
    const a = seedStore({ now: NOW });
    const b = seedStore({ now: NOW });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  it("keeps the same people, products and numbers when seeded at another time", () => {
    const a = seedStore({ now: NOW });
    const b = seedStore({ now: new Date("2027-07-15T09:30:00Z") });
    const people = (s: typeof a) =>
      s.customers.map((c) => [c.id, c.firstName, c.lastName, c.phone, c.email, c.smsConsent?.marketingState]);
    expect(people(b)).toEqual(people(a));
    expect(b.products.map((p) => p.variants.map((v) => [v.sku, v.inventoryQuantity]))).toEqual(
      a.products.map((p) => p.variants.map((v) => [v.sku, v.inventoryQuantity])),
    );
    expect(b.orders.map((o) => o.number)).toEqual(a.orders.map((o) => o.number));
  });

  it("is a believable store", () => {
    const s = seedStore({ now: NOW });
    expect(s.shop).toMatchObject({
      myshopifyDomain: "parley-demo.myshopify.com",
      name: "Acme Outfitters",
      currencyCode: "USD",
      ianaTimezone: "America/New_York",
    });
    expect(s.products).toHaveLength(20);
    expect(s.products.flatMap((p) => p.variants).length).toBeGreaterThan(80);
    expect(new Set(s.products.map((p) => p.handle)).size).toBe(20);
    expect(new Set(s.products.flatMap((p) => p.variants.map((v) => v.sku))).size).toBe(
      s.products.flatMap((p) => p.variants).length,
    );
    expect(s.products.filter((p) => p.variants.every((v) => v.inventoryQuantity === 0)).length).toBeGreaterThanOrEqual(
      2,
    );

    // Collections name what shoppers ask for and hold existing products, sold-out ones among them.
    expect(s.collections.map((c) => c.handle)).toEqual([
      "hoodies",
      "outerwear",
      "camp-gear",
      "winter-accessories",
      "bestsellers",
    ]);
    const productIds = new Set(s.products.map((p) => p.id));
    for (const c of s.collections) expect(c.productIds.every((id) => productIds.has(id))).toBe(true);
    const soldOut = (id: number) =>
      s.products.find((p) => p.id === id)!.variants.every((v) => v.inventoryQuantity === 0);
    expect(s.collections.some((c) => c.productIds.some(soldOut))).toBe(true);

    expect(s.customers).toHaveLength(50);
    const phones = s.customers.map((c) => c.phone).filter((p): p is string => p !== null);
    expect(new Set(phones).size).toBe(phones.length);
    for (const phone of phones) expect(phone).toMatch(/^\+1\d{3}55501\d{2}$/);
    const states = new Set(s.customers.map((c) => c.address?.provinceCode));
    for (const state of ["FL", "WA", "CT", "OK", "MD", "CA", "NY", "TX"]) expect(states).toContain(state);
    const consent = new Set(s.customers.map((c) => c.smsConsent?.marketingState ?? "NONE"));
    expect([...consent].sort()).toEqual(["NONE", "NOT_SUBSCRIBED", "PENDING", "SUBSCRIBED", "UNSUBSCRIBED"]);

    const shipments = s.orders.flatMap((o) => o.fulfillments);
    expect(
      shipments.some(
        (f) => f.shipmentStatus === "in_transit" && f.estimatedDeliveryAt && new Date(f.estimatedDeliveryAt) > NOW,
      ),
    ).toBe(true);
    expect(shipments.some((f) => f.shipmentStatus === "delivered" && f.deliveredAt)).toBe(true);
    expect(s.orders.some((o) => o.fulfillments.length === 0)).toBe(true);
    expect(s.orders.some((o) => o.discountCodes.length > 0)).toBe(true);
    for (const o of s.orders) expect(new Date(o.processedAt) <= NOW).toBe(true);

    expect(s.checkouts).toHaveLength(10);
    expect(s.checkouts.filter((c) => !c.completedAt).length).toBeGreaterThanOrEqual(8);
    expect(
      s.checkouts.filter((c) => c.orderId !== null).every((c) => s.orders.some((o) => o.checkoutId === c.id)),
    ).toBe(true);
  });
});
