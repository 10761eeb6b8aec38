import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { waitWhile } from "./wait-while";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("waitWhile", () => {
  test.each([
    { case: "never busy: at once", busyForMs: 0, maxMs: 2000, waited: 0 },
    { case: "busy for a while: until it is not (next poll)", busyForMs: 120, maxMs: 2000, waited: 150 },
    { case: "busy past the limit: gives up at the limit", busyForMs: 60_000, maxMs: 2000, waited: 2000 },
    { case: "no limit left: at once", busyForMs: 60_000, maxMs: 0, waited: 0 },
  ])("$case", async ({ busyForMs, maxMs, waited }) => {
    const start = Date.now();
    const busy = vi.fn(() => Date.now() - start < busyForMs);
    const done = waitWhile(busy, { maxMs, pollMs: 50 });
    await vi.advanceTimersByTimeAsync(maxMs + 100);
    expect(await done).toBe(waited);
  });
});
