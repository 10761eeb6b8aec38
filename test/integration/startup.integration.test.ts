import { spawn } from "node:child_process";
import { describe, expect, test } from "vitest";

// The process refuses bad configuration at start, with a message that names every variable at fault.
function start(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn("node_modules/.bin/tsx", ["server.ts"], {
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "/tmp",
        PORT: "0",
        ...env,
      } as unknown as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe("start-up configuration", () => {
  test("production with nothing configured exits 1 naming each missing variable", async () => {
    const { code, output } = await start({ NODE_ENV: "production" });
    expect(code).toBe(1);
    for (const name of [
      "DATABASE_URL",
      "SHOPIFY_API_KEY",
      "SHOPIFY_API_SECRET",
      "SHOPIFY_APP_URL",
      "PARLEY_ENCRYPTION_KEY",
    ]) {
      expect(output).toContain(`${name} is missing`);
    }
    expect(output).not.toMatch(/at .*\.ts:\d+/); // a message, not a stack trace
  });

  test("a malformed variable is named with what is wrong", async () => {
    const { code, output } = await start({
      NODE_ENV: "production",
      DATABASE_URL: "mysql://nope",
      SHOPIFY_API_KEY: "k",
      SHOPIFY_API_SECRET: "s",
      SHOPIFY_APP_URL: "https://example.com",
      PARLEY_ENCRYPTION_KEY: "short",
    });
    expect(code).toBe(1);
    expect(output).toContain("DATABASE_URL: must be a postgres:// or postgresql:// connection string");
    expect(output).toContain("PARLEY_ENCRYPTION_KEY: must be the base64 of 32 random bytes");
  });

  test("sandbox mode refuses real credentials", async () => {
    const { code, output } = await start({ PARLEY_SANDBOX: "1", SHOPIFY_API_KEY: "a-real-key" });
    expect(code).toBe(1);
    expect(output).toContain("Sandbox mode refuses to start with production credentials (SHOPIFY_API_KEY set)");
  });

  test("sandbox mode refuses NODE_ENV=production", async () => {
    const { code, output } = await start({ PARLEY_SANDBOX: "1", NODE_ENV: "production" });
    expect(code).toBe(1);
    expect(output).toContain("Sandbox mode refuses to start with NODE_ENV=production");
  });
});
