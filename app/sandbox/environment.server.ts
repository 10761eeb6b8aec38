import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { SANDBOX_APP_BRIDGE_PATH } from "./app-bridge-standin";

// Sandbox mode is the default on a machine with no Shopify or Telnyx credentials. It can never run with real
// credentials or in production: the simulators would otherwise stand in for real stores and real phones.
export const SANDBOX_SHOP = "parley-demo.myshopify.com";
export const SANDBOX_SHOPIFY_API_KEY = "parley-sandbox-api-key";
export const SANDBOX_TELNYX_API_KEY = "KEY_parley_sandbox";
export const SANDBOX_STORE_NUMBER = "+15005550100";

export class SandboxRefused extends Error {}

export function sandboxRequested(env: Record<string, string | undefined>): boolean {
  const explicit = env.PARLEY_SANDBOX;
  if (explicit === "0") return false;
  const production = env.NODE_ENV === "production";
  const realShopify = Boolean(env.SHOPIFY_API_KEY) && env.SHOPIFY_API_KEY !== SANDBOX_SHOPIFY_API_KEY;
  const realTelnyx = Boolean(env.TELNYX_API_KEY) && env.TELNYX_API_KEY !== SANDBOX_TELNYX_API_KEY;
  if (explicit === "1") {
    if (production) throw new SandboxRefused("Sandbox mode refuses to start with NODE_ENV=production.");
    if (realShopify || realTelnyx) {
      throw new SandboxRefused(
        `Sandbox mode refuses to start with production credentials (${[realShopify && "SHOPIFY_API_KEY", realTelnyx && "TELNYX_API_KEY"].filter(Boolean).join(", ")} set). Unset them or set PARLEY_SANDBOX=0.`,
      );
    }
    return true;
  }
  return !production && !realShopify && !realTelnyx;
}

export function sandboxDataDir(env: Record<string, string | undefined> = process.env) {
  return path.resolve(env.PARLEY_DATA_DIR ?? ".data", "sandbox");
}

interface SandboxSecrets {
  shopifyApiSecret: string;
  encryptionKey: string;
}

function loadOrCreateSecrets(dir: string): SandboxSecrets {
  const file = path.join(dir, "secrets.json");
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as SandboxSecrets;
  mkdirSync(dir, { recursive: true });
  const secrets = {
    shopifyApiSecret: randomBytes(24).toString("hex"),
    encryptionKey: randomBytes(32).toString("base64"),
  };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

/** Fills the environment the app reads with the sandbox's own credentials and local endpoints. */
export async function prepareSandboxEnvironment(env: NodeJS.ProcessEnv, options: { port: number }) {
  const dir = sandboxDataDir(env);
  const secrets = loadOrCreateSecrets(dir);
  const { loadSandboxTelnyxKeys } = await import("./telnyx/keys");
  const keys = loadSandboxTelnyxKeys({
    file: path.join(dir, "telnyx-keys.json"),
    env: { TELNYX_PUBLIC_KEY: env.TELNYX_PUBLIC_KEY, SANDBOX_TELNYX_PRIVATE_KEY: env.SANDBOX_TELNYX_PRIVATE_KEY },
  });
  const origin = `http://localhost:${options.port}`;
  env.PARLEY_SANDBOX = "1";
  env.SHOPIFY_API_KEY = SANDBOX_SHOPIFY_API_KEY;
  env.SHOPIFY_API_SECRET ||= secrets.shopifyApiSecret; // a given secret replaces the sandbox's, so outside tools can sign
  env.SHOPIFY_APP_URL ||= origin;
  env.TELNYX_API_KEY = SANDBOX_TELNYX_API_KEY;
  env.TELNYX_BASE_URL = `http://127.0.0.1:${options.port}/sandbox/telnyx/v2`;
  env.TELNYX_PUBLIC_KEY = keys.publicKeyB64;
  env.PARLEY_ENCRYPTION_KEY ||= secrets.encryptionKey;
  // shopify-app-remix reads this at start for its own session-token bounce page; the CDN is unreachable offline.
  env.APP_BRIDGE_URL = SANDBOX_APP_BRIDGE_PATH;
}
