import { describe, expect, test } from "vitest";
import { FaultInjector } from "./faults";

describe("FaultInjector", () => {
  test("no faults by default", () => {
    const faults = new FaultInjector();
    expect(Array.from({ length: 100 }, () => faults.roll().kind).every((k) => k === "none")).toBe(true);
  });

  test("rates are honoured and the seed makes the dice reproducible", () => {
    const roll = () => {
      const faults = new FaultInjector({ rate429: 0.2, rate5xx: 0.1, rateTimeout: 0.05, seed: 42 });
      return Array.from({ length: 10_000 }, () => faults.roll().kind);
    };
    const kinds = roll();
    expect(roll()).toEqual(kinds);
    const share = (k: string) => kinds.filter((x) => x === k).length / kinds.length;
    expect(share("429")).toBeCloseTo(0.2, 1);
    expect(share("5xx")).toBeCloseTo(0.1, 1);
    expect(share("timeout")).toBeCloseTo(0.05, 1);
  });

  test("set merges, reset returns to the baseline, bad input throws", () => {
    const faults = new FaultInjector({ landlineNumbers: ["+15550000001"] });
    expect(faults.set({ rate429: 1 }).landlineNumbers).toEqual(["+15550000001"]);
    expect(faults.roll().kind).toBe("429");
    expect(faults.reset()).toMatchObject({ rate429: 0, landlineNumbers: ["+15550000001"] });
    expect(() => faults.set({ rate429: 2 })).toThrow();
    expect(() => faults.set({ nonsense: true } as never)).toThrow();
  });
});
