import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

// The sandbox signs its webhooks the way Telnyx does, with an Ed25519 pair of its own that survives restarts
// (kept in a JSON file), so the app verifies sandbox traffic on exactly the code path it uses in production.
//
// Outside tools can sign webhooks for the sandbox too: give TELNYX_PUBLIC_KEY together with
// SANDBOX_TELNYX_PRIVATE_KEY = base64 of the raw 32-byte Ed25519 *seed* (the same shape as the public key and
// as libsodium / PyNaCl `SigningKey` seeds). Both must belong together; a public key alone cannot work, because
// the sandbox could then not sign its own delivery receipts and inbound texts for it.

export interface SandboxTelnyxKeys {
  /** base64 of the raw 32-byte public key: what the app gets as TELNYX_PUBLIC_KEY. */
  publicKeyB64: string;
  privateKey: KeyObject;
  source: "env" | "file" | "generated";
}

interface KeyFile {
  publicKeyB64: string;
  privateKeySeedB64: string;
  createdAt: string;
}

export class SandboxKeyError extends Error {}

export function privateKeyFromSeedB64(seedB64: string): KeyObject {
  const seed = Buffer.from(seedB64.trim(), "base64");
  if (seed.length !== 32) {
    throw new SandboxKeyError("SANDBOX_TELNYX_PRIVATE_KEY must be the base64 of a raw 32-byte Ed25519 seed");
  }
  const publicRaw = rawPublicKeyOfSeed(seed);
  return createPrivateKey({
    key: { kty: "OKP", crv: "Ed25519", d: seed.toString("base64url"), x: publicRaw.toString("base64url") },
    format: "jwk",
  });
}

// JWK import needs `x`; derive it from the seed through a PKCS#8 import (fixed 16-byte DER prefix for Ed25519).
function rawPublicKeyOfSeed(seed: Buffer): Buffer {
  const der = Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), seed]);
  const privateKey = createPrivateKey({ key: der, format: "der", type: "pkcs8" });
  return Buffer.from(createPublicKey(privateKey).export({ format: "jwk" }).x as string, "base64url");
}

export function publicKeyB64Of(privateKey: KeyObject): string {
  const jwk = createPublicKey(privateKey).export({ format: "jwk" });
  return Buffer.from(jwk.x as string, "base64url").toString("base64");
}

export function seedB64Of(privateKey: KeyObject): string {
  const jwk = privateKey.export({ format: "jwk" });
  return Buffer.from(jwk.d as string, "base64url").toString("base64");
}

export function generateSandboxKeys(): SandboxTelnyxKeys {
  const { privateKey } = generateKeyPairSync("ed25519");
  return { publicKeyB64: publicKeyB64Of(privateKey), privateKey, source: "generated" };
}

/** base64 Ed25519 signature of `${timestamp}|${rawBody}`, the value of `telnyx-signature-ed25519`. */
export function signWebhook(privateKey: KeyObject, rawBody: string | Uint8Array, timestamp: number | string): string {
  const body = typeof rawBody === "string" ? Buffer.from(rawBody, "utf8") : rawBody;
  return sign(null, Buffer.concat([Buffer.from(`${timestamp}|`, "utf8"), body]), privateKey).toString("base64");
}

function readKeyFile(file: string): SandboxTelnyxKeys | undefined {
  if (!existsSync(file)) return undefined;
  const parsed = JSON.parse(readFileSync(file, "utf8")) as Partial<KeyFile>;
  if (typeof parsed.privateKeySeedB64 !== "string") {
    throw new SandboxKeyError(`${file} has no privateKeySeedB64; delete it to let the sandbox make a new pair`);
  }
  const privateKey = privateKeyFromSeedB64(parsed.privateKeySeedB64);
  return { publicKeyB64: publicKeyB64Of(privateKey), privateKey, source: "file" };
}

function writeKeyFile(file: string, keys: SandboxTelnyxKeys) {
  mkdirSync(path.dirname(file), { recursive: true });
  const content: KeyFile = {
    publicKeyB64: keys.publicKeyB64,
    privateKeySeedB64: seedB64Of(keys.privateKey),
    createdAt: new Date().toISOString(),
  };
  writeFileSync(file, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
}

export interface LoadSandboxKeysOptions {
  /** JSON file that keeps the pair across restarts, e.g. `.data/sandbox/telnyx-keys.json`. Omit for an in-memory pair. */
  file?: string;
  /** Reads TELNYX_PUBLIC_KEY and SANDBOX_TELNYX_PRIVATE_KEY from here (normally process.env). */
  env?: { TELNYX_PUBLIC_KEY?: string; SANDBOX_TELNYX_PRIVATE_KEY?: string };
}

export function loadSandboxTelnyxKeys(options: LoadSandboxKeysOptions = {}): SandboxTelnyxKeys {
  const givenPublic = options.env?.TELNYX_PUBLIC_KEY?.trim() || undefined;
  const givenPrivate = options.env?.SANDBOX_TELNYX_PRIVATE_KEY?.trim() || undefined;

  if (givenPrivate) {
    const privateKey = privateKeyFromSeedB64(givenPrivate);
    const publicKeyB64 = publicKeyB64Of(privateKey);
    if (givenPublic && givenPublic !== publicKeyB64) {
      throw new SandboxKeyError(
        "TELNYX_PUBLIC_KEY does not belong to SANDBOX_TELNYX_PRIVATE_KEY (the seed's public key is " +
          publicKeyB64 +
          ")",
      );
    }
    return { publicKeyB64, privateKey, source: "env" };
  }

  const keys = (options.file ? readKeyFile(options.file) : undefined) ?? generateSandboxKeys();
  if (options.file && keys.source === "generated") writeKeyFile(options.file, keys);
  // A public key equal to our own is fine (the environment was filled from this very file earlier).
  if (givenPublic && givenPublic !== keys.publicKeyB64) {
    throw new SandboxKeyError(
      "TELNYX_PUBLIC_KEY is set but SANDBOX_TELNYX_PRIVATE_KEY is not: the sandbox cannot sign webhooks for a key it " +
        "does not hold. Set both (private key = base64 of the raw 32-byte Ed25519 seed), or unset TELNYX_PUBLIC_KEY.",
    );
  }
  return keys;
}
