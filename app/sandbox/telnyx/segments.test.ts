import { describe, expect, test } from "vitest";
import { countSegments, isGsm7 } from "./segments";

// The arithmetic itself is tested in app/domain/segments.test.ts; this checks the simulator's reading of it.
describe("countSegments", () => {
  test.each([
    ["GSM", "a".repeat(161), undefined, "GSM-7", 2],
    ["curly quote", "It’s here", undefined, "UCS-2", 1],
    ["forced UCS-2", "hello", "ucs2" as const, "UCS-2", 1],
  ])("%s", (_name, text, force, encoding, parts) => {
    expect(countSegments(text, force)).toMatchObject({ encoding, parts });
  });

  test("isGsm7", () => {
    expect(isGsm7("Hi [50% off] €")).toBe(true);
    expect(isGsm7("Hi 😀")).toBe(false);
  });
});
