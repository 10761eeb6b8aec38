import { describe, expect, test } from "vitest";
import { maskPhonesIn } from "./log.server";

describe("maskPhonesIn", () => {
  test.each([
    ["inbound from +13055550123", "inbound from +•••••••••23"],
    ["call (305) 555-0123 now", "call ••••••••23 now"],
    ["order #1001 total 42", "order #1001 total 42"],
    ["ids 2026-11-25", "ids 2026-11-25"],
  ])("%j → %j", (input, expected) => {
    expect(maskPhonesIn(input)).toBe(expected);
  });
});
