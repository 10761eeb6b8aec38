import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { verifyTelnyxSignature } from "../../adapters/telnyx/signature.server";
import { generateSandboxKeys, loadSandboxTelnyxKeys, SandboxKeyError, seedB64Of, signWebhook } from "./keys";

const dir = mkdtempSync(path.join(os.tmpdir(), "parley-keys-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("loadSandboxTelnyxKeys", () => {
  test("creates a pair once, then reuses it from the file", () => {
    const file = path.join(dir, "nested", "telnyx-keys.json");
    const first = loadSandboxTelnyxKeys({ file });
    const second = loadSandboxTelnyxKeys({ file });
    expect(first.source).toBe("generated");
    expect(second.source).toBe("file");
    expect(second.publicKeyB64).toBe(first.publicKeyB64);
    expect(Buffer.from(first.publicKeyB64, "base64")).toHaveLength(32);
    expect(JSON.parse(readFileSync(file, "utf8")).publicKeyB64).toBe(first.publicKeyB64);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  test("signatures from the pair verify with the public key", () => {
    const keys = loadSandboxTelnyxKeys();
    const body = '{"data":{}}';
    const ts = Math.floor(Date.now() / 1000);
    expect(
      verifyTelnyxSignature({
        rawBody: body,
        signatureB64: signWebhook(keys.privateKey, body, ts),
        timestamp: String(ts),
        publicKeyB64: keys.publicKeyB64,
      }).ok,
    ).toBe(true);
  });

  test("TELNYX_PUBLIC_KEY + SANDBOX_TELNYX_PRIVATE_KEY (raw seed) replace the sandbox's own pair", () => {
    const outside = generateSandboxKeys();
    const env = { TELNYX_PUBLIC_KEY: outside.publicKeyB64, SANDBOX_TELNYX_PRIVATE_KEY: seedB64Of(outside.privateKey) };
    const keys = loadSandboxTelnyxKeys({ file: path.join(dir, "ignored.json"), env });
    expect(keys).toMatchObject({ source: "env", publicKeyB64: outside.publicKeyB64 });
    // An outside tool holding the seed signs; the sandbox's public key verifies.
    const body = "{}";
    const ts = Math.floor(Date.now() / 1000);
    expect(
      verifyTelnyxSignature({
        rawBody: body,
        signatureB64: signWebhook(outside.privateKey, body, ts),
        timestamp: String(ts),
        publicKeyB64: keys.publicKeyB64,
      }).ok,
    ).toBe(true);
  });

  test("a public key equal to the file's own is accepted (the environment was filled from it)", () => {
    const file = path.join(dir, "same.json");
    const keys = loadSandboxTelnyxKeys({ file });
    expect(loadSandboxTelnyxKeys({ file, env: { TELNYX_PUBLIC_KEY: keys.publicKeyB64 } }).publicKeyB64).toBe(
      keys.publicKeyB64,
    );
  });

  test("refuses a foreign public key without its private key, and mismatched pairs", () => {
    const a = generateSandboxKeys();
    const b = generateSandboxKeys();
    expect(() => loadSandboxTelnyxKeys({ env: { TELNYX_PUBLIC_KEY: a.publicKeyB64 } })).toThrow(SandboxKeyError);
    expect(() =>
      loadSandboxTelnyxKeys({
        env: { TELNYX_PUBLIC_KEY: a.publicKeyB64, SANDBOX_TELNYX_PRIVATE_KEY: seedB64Of(b.privateKey) },
      }),
    ).toThrow(/does not belong/);
    expect(() => loadSandboxTelnyxKeys({ env: { SANDBOX_TELNYX_PRIVATE_KEY: "c2hvcnQ=" } })).toThrow(/32-byte/);
  });
});
