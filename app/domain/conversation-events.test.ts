import { describe, expect, test } from "vitest";
import { describeEvent, parseConversationEvent, type StoredConversationEvent } from "./conversation-events";

const staff = { s1: "Sam Lee", s2: "Alex Kim" };
const byStaff = (kind: string, data: unknown, actorStaffId: string | null = "s2"): StoredConversationEvent => ({
  kind,
  data,
  actorKind: "STAFF",
  actorStaffId,
});
const bySystem = (kind: string, data: unknown, actorKind: StoredConversationEvent["actorKind"] = "SYSTEM") => ({
  kind,
  data,
  actorKind,
  actorStaffId: null,
});

describe("describeEvent", () => {
  test.each<[string, StoredConversationEvent, string]>([
    [
      "assigned by someone else",
      byStaff("assigned", { toStaffId: "s1", toName: "Sam" }),
      "Assigned to Sam Lee by Alex Kim",
    ],
    [
      "assigned to oneself",
      byStaff("assigned", { toStaffId: "s2", toName: "Alex" }),
      "Alex Kim took this conversation",
    ],
    [
      "assigned to someone since removed: the stored name",
      byStaff("assigned", { toStaffId: "gone", toName: "Pat" }),
      "Assigned to Pat by Alex Kim",
    ],
    [
      "assigned by automation",
      bySystem("assigned", { toStaffId: "s1", toName: "Sam" }, "AUTOMATION"),
      "Assigned to Sam Lee by automation",
    ],
    ["unassigned", byStaff("unassigned", {}), "Unassigned by Alex Kim"],
    ["closed", byStaff("closed", {}), "Closed by Alex Kim"],
    ["reopened by the shopper", bySystem("reopened", {}, "SHOPPER"), "Reopened by the shopper"],
    [
      "snoozed, in the shop's zone",
      byStaff("snoozed", { until: "2026-03-03T14:00:00.000Z" }),
      "Snoozed until Tue, Mar 3, 9:00 AM by Alex Kim",
    ],
    ["tagged", byStaff("tagged", { tag: "vip" }), "Tagged “vip” by Alex Kim"],
    ["untagged", byStaff("untagged", { tag: "vip" }), "Removed tag “vip” by Alex Kim"],
    ["marked unread", byStaff("marked_unread", {}), "Marked unread by Alex Kim"],
    [
      "STOP",
      bySystem("opted_out", { source: "KEYWORD", purposes: ["marketing", "transactional"] }, "SHOPPER"),
      "Opted out of all texts (by text)",
    ],
    [
      "marketing withdrawn in Shopify",
      bySystem("opted_out", { source: "SHOPIFY", purposes: ["marketing"] }),
      "Unsubscribed from marketing texts (in Shopify)",
    ],
    [
      "carrier block",
      bySystem("opted_out", { source: "PROVIDER", purposes: ["transactional"] }),
      "Opted out of all texts (carrier block)",
    ],
    [
      "START",
      bySystem("opted_in", { source: "KEYWORD", purposes: ["transactional"] }, "SHOPPER"),
      "Opted back in to texts (by text)",
    ],
    [
      "unknown source",
      bySystem("opted_in", { source: "SOMETHING", purposes: ["marketing"] }),
      "Subscribed to marketing texts",
    ],
    [
      "percentage discount",
      byStaff("discount_created", { code: "SAVE10-AB12", kind: "PERCENTAGE", value: 10 }),
      "Discount SAVE10-AB12 created (10% off) by Alex Kim",
    ],
    [
      "free shipping discount",
      byStaff("discount_created", { code: "SHIP-1", kind: "FREE_SHIPPING" }),
      "Discount SHIP-1 created (free shipping) by Alex Kim",
    ],
    [
      "customer created",
      byStaff("customer_linked", { customerId: "gid://shopify/Customer/1", created: true }),
      "Shopify customer created by Alex Kim",
    ],
    [
      "customer linked",
      byStaff("customer_linked", { customerId: "gid://shopify/Customer/1" }),
      "Linked to a Shopify customer by Alex Kim",
    ],
    ["a staff member no longer known", byStaff("closed", {}, "zz"), "Closed by a staff member"],
    ["an unknown kind is shown generically", byStaff("merged_threads", { x: 1 }), "Merged threads by Alex Kim"],
    ["a malformed row is shown generically", byStaff("tagged", { tag: 42 }), "Tagged by Alex Kim"],
  ])("%s", (_name, event, text) => {
    expect(describeEvent(event, staff, { timeZone: "America/New_York" })).toBe(text);
  });
});

describe("parseConversationEvent", () => {
  test.each<[string, { kind: string; data: unknown }, boolean]>([
    ["assigned", { kind: "assigned", data: { toStaffId: "s1", toName: "Sam" } }, true],
    ["assigned without a name", { kind: "assigned", data: { toStaffId: "s1" } }, false],
    ["snoozed with a bad date", { kind: "snoozed", data: { until: "tomorrow" } }, false],
    ["closed with null data", { kind: "closed", data: null }, true],
    ["an unknown kind", { kind: "exploded", data: {} }, false],
  ])("%s → valid: %s", (_name, row, valid) => {
    expect(parseConversationEvent(row) !== null).toBe(valid);
  });
});
