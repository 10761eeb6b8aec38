import { describe, expect, test } from "vitest";
import { SANDBOX_SHOPIFY_API_KEY, SandboxRefused, sandboxRequested } from "./environment.server";

describe("sandboxRequested", () => {
  test.each([
    [{}, true],
    [{ PARLEY_SANDBOX: "0" }, false],
    [{ PARLEY_SANDBOX: "1" }, true],
    [{ SHOPIFY_API_KEY: "real" }, false],
    [{ TELNYX_API_KEY: "KEY_real" }, false],
    [{ SHOPIFY_API_KEY: SANDBOX_SHOPIFY_API_KEY }, true],
    [{ SHOPIFY_API_SECRET: "given-secret" }, true], // a secret alone lets outside tools sign for the sandbox
    [{ NODE_ENV: "production" }, false],
  ])("%j → %s", (env, expected) => {
    expect(sandboxRequested(env)).toBe(expected);
  });

  test.each([
    [{ PARLEY_SANDBOX: "1", NODE_ENV: "production" }, /NODE_ENV=production/],
    [{ PARLEY_SANDBOX: "1", SHOPIFY_API_KEY: "real" }, /production credentials \(SHOPIFY_API_KEY set\)/],
    [{ PARLEY_SANDBOX: "1", TELNYX_API_KEY: "KEY_real" }, /TELNYX_API_KEY/],
  ])("refuses %j", (env, message) => {
    expect(() => sandboxRequested(env)).toThrow(SandboxRefused);
    expect(() => sandboxRequested(env)).toThrow(message);
  });
});
