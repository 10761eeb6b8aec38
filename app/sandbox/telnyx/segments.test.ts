import { describe, expect, test } from "vitest";
import { countSegments, isGsm7 } from "./segments";

describe("countSegments", () => {
  test.each([
    ["empty", "", "GSM-7", 0],
    ["short GSM", "Your order shipped!", "GSM-7", 1],
    ["160 GSM", "a".repeat(160), "GSM-7", 1],
    ["161 GSM", "a".repeat(161), "GSM-7", 2],
    ["306 GSM", "a".repeat(306), "GSM-7", 2],
    ["307 GSM", "a".repeat(307), "GSM-7", 3],
    ["extension chars cost two septets", "€".repeat(80), "GSM-7", 1],
    ["81 euros overflow", "€".repeat(81), "GSM-7", 2],
    ["extension char never straddles", "a".repeat(152) + "€" + "a".repeat(100), "GSM-7", 2],
    ["curly quote forces UCS-2", "It’s here", "UCS-2", 1],
    ["70 UCS-2", "é’" + "a".repeat(68), "UCS-2", 1],
    ["71 UCS-2", "’" + "a".repeat(70), "UCS-2", 2],
    ["emoji counts two units", "😀".repeat(35), "UCS-2", 1],
    ["emoji never straddles", "a".repeat(66) + "😀".repeat(3), "UCS-2", 2],
    ["CJK", "你好".repeat(36), "UCS-2", 2],
  ])("%s", (_name, text, encoding, parts) => {
    expect(countSegments(text)).toMatchObject({ encoding, parts });
  });

  test("forced UCS-2", () => {
    expect(countSegments("hello", "ucs2")).toMatchObject({ encoding: "UCS-2", parts: 1 });
  });

  test("isGsm7", () => {
    expect(isGsm7("Hi {name} [50% off] ~ ^ | \\ €")).toBe(true);
    expect(isGsm7("Hi 👋")).toBe(false);
  });
});
