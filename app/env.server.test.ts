import { describe, expect, test } from "vitest";
import { EnvError, parseEnv } from "./env.server";

const valid = {
  DATABASE_URL: "postgresql://u:p@localhost:5432/parley",
  SHOPIFY_API_KEY: "key",
  SHOPIFY_API_SECRET: "secret",
  SHOPIFY_APP_URL: "https://example.com",
  PARLEY_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString("base64"),
};

describe("parseEnv", () => {
  test("accepts a complete environment and applies defaults", () => {
    const env = parseEnv(valid);
    expect(env.PORT).toBe(3000);
    expect(env.PARLEY_SANDBOX).toBe(false);
  });

  test.each([
    ["DATABASE_URL", undefined, "DATABASE_URL is missing"],
    ["DATABASE_URL", "mysql://x", "DATABASE_URL: must be a postgres"],
    ["SHOPIFY_APP_URL", "not a url", "SHOPIFY_APP_URL:"],
    ["PORT", "99999", "PORT:"],
    ["TELNYX_PUBLIC_KEY", "c2hvcnQ=", "TELNYX_PUBLIC_KEY: must be the base64 of a 32-byte"],
    ["PARLEY_ENCRYPTION_KEY", "abc", "PARLEY_ENCRYPTION_KEY: must be the base64 of 32 random bytes"],
  ])("%s=%s is refused naming the variable", (name, value, message) => {
    const source: Record<string, string | undefined> = { ...valid, [name]: value };
    expect(() => parseEnv(source)).toThrow(EnvError);
    try {
      parseEnv(source);
    } catch (error) {
      expect((error as EnvError).problems.join("\n")).toContain(message);
    }
  });

  test("names every bad variable at once", () => {
    expect(() => parseEnv({})).toThrowError(
      /DATABASE_URL is missing[\s\S]*SHOPIFY_API_KEY is missing[\s\S]*SHOPIFY_API_SECRET is missing/,
    );
  });

  test("sandbox mode refuses production", () => {
    expect(() => parseEnv({ ...valid, PARLEY_SANDBOX: "1", NODE_ENV: "production" })).toThrowError(
      /sandbox mode cannot run with NODE_ENV=production/,
    );
  });
});
