import { describe, expect, test } from "vitest";
import { CODE_ALPHABET, codePrefix, generateDiscountCode } from "./discount-code";

describe("codePrefix", () => {
  test.each([
    ["Acme Outfitters", "ACME"],
    ["acme", "ACME"],
    ["L'Atelier Paris", "LATELIER"],
    ["Café Crème", "CAFE"],
    ["A Good Shop", "AGS"],
    ["Supercalifragilistic Goods", "SUPERCAL"],
    ["  ", "SAVE"],
    ["🌵🌵", "SAVE"],
    ["東京ストア", "SAVE"],
    ["3M", "3M"],
    ["3M Direct", "3M"],
  ])("%j → %s", (brand, prefix) => {
    expect(codePrefix(brand)).toBe(prefix);
  });
});

describe("generateDiscountCode", () => {
  test("prefix, dash, six characters from the unambiguous alphabet", () => {
    for (let i = 0; i < 200; i++) {
      const code = generateDiscountCode("Acme Outfitters");
      expect(code).toMatch(/^ACME-[2-9A-HJ-NP-Z]{6}$/);
      expect(code.slice(5)).not.toMatch(/[01OI]/);
    }
  });

  test.each([
    [[0, 0, 0, 0, 0, 0], "ACME-222222"],
    [[31, 31, 31, 31, 31, 31], "ACME-ZZZZZZ"],
    [[5, 18, 14, 0, 20, 7], "ACME-7LG2N9"],
  ])("picks %j → %s", (picks, code) => {
    const queue = [...picks];
    expect(generateDiscountCode("Acme", () => queue.shift()!)).toBe(code);
  });

  test("the alphabet has no look-alikes and no repeats", () => {
    expect(CODE_ALPHABET).not.toMatch(/[01OI]/);
    expect(new Set(CODE_ALPHABET).size).toBe(CODE_ALPHABET.length);
    expect(CODE_ALPHABET).toHaveLength(32);
  });
});
