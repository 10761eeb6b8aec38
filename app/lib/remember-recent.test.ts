import { describe, expect, test } from "vitest";
import { rememberRecent } from "./remember-recent";

describe("rememberRecent", () => {
  test.each([
    { name: "a repeated key is computed once", calls: ["a", "a", "a"], capacity: 2, computed: ["a"] },
    {
      name: "distinct keys within capacity are each computed once",
      calls: ["a", "b", "a", "b"],
      capacity: 2,
      computed: ["a", "b"],
    },
    {
      name: "past capacity the oldest key is dropped first",
      calls: ["a", "b", "c", "a"],
      capacity: 2,
      computed: ["a", "b", "c", "a"],
    },
    {
      name: "a dropped key is kept again once recomputed",
      calls: ["a", "b", "c", "a", "a"],
      capacity: 2,
      computed: ["a", "b", "c", "a"],
    },
    { name: "capacity 1 keeps only the last key", calls: ["a", "b", "b", "a"], capacity: 1, computed: ["a", "b", "a"] },
  ])("$name", ({ calls, capacity, computed }) => {
    const seen: string[] = [];
    const upper = rememberRecent((key: string) => {
      seen.push(key);
      return key.toUpperCase();
    }, capacity);
    expect(calls.map(upper)).toEqual(calls.map((key) => key.toUpperCase()));
    expect(seen).toEqual(computed);
  });

  test("undefined results are kept too (has, not truthiness)", () => {
    let computed = 0;
    const nothing = rememberRecent((_key: string) => {
      computed++;
      return undefined;
    }, 4);
    nothing("x");
    nothing("x");
    expect(computed).toBe(1);
  });
});
