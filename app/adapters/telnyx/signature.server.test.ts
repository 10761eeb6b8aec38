import Telnyx from "telnyx";
import { describe, expect, test } from "vitest";
import { generateSandboxKeys, signWebhook } from "../../sandbox/telnyx/keys";
import { readSignatureHeaders, verifyTelnyxSignature, type SignatureFailureReason } from "./signature.server";

const keys = generateSandboxKeys();
const otherKeys = generateSandboxKeys();
const NOW = new Date("2026-03-01T12:00:00Z");
const nowSeconds = Math.floor(NOW.getTime() / 1000);
const body = JSON.stringify({ data: { event_type: "message.received", payload: { text: "Hi — ünïcode ✓" } } });

function signed(overrides: Partial<Parameters<typeof verifyTelnyxSignature>[0]> = {}) {
  const timestamp = String(nowSeconds);
  return {
    rawBody: body,
    signatureB64: signWebhook(keys.privateKey, body, timestamp),
    timestamp,
    publicKeyB64: keys.publicKeyB64,
    now: () => NOW,
    ...overrides,
  };
}

describe("verifyTelnyxSignature", () => {
  test("accepts a body signed with the matching key", () => {
    expect(verifyTelnyxSignature(signed())).toEqual({ ok: true, timestamp: nowSeconds });
  });

  test("accepts the raw bytes as well as the string", () => {
    expect(verifyTelnyxSignature(signed({ rawBody: Buffer.from(body, "utf8") })).ok).toBe(true);
  });

  test("accepts timestamps within the tolerance either way", () => {
    for (const offset of [-300, 300]) {
      const timestamp = String(nowSeconds + offset);
      const input = signed({ timestamp, signatureB64: signWebhook(keys.privateKey, body, timestamp) });
      expect(verifyTelnyxSignature(input).ok).toBe(true);
    }
  });

  const staleTs = String(nowSeconds - 301);
  const futureTs = String(nowSeconds + 301);
  test.each<[string, Partial<Parameters<typeof verifyTelnyxSignature>[0]>, SignatureFailureReason]>([
    ["tampered body", { rawBody: body.replace("Hi", "Ho") }, "signature_mismatch"],
    ["re-serialised body", { rawBody: JSON.stringify(JSON.parse(body), null, 1) }, "signature_mismatch"],
    ["wrong key", { publicKeyB64: otherKeys.publicKeyB64 }, "signature_mismatch"],
    ["timestamp swapped after signing", { timestamp: String(nowSeconds + 1) }, "signature_mismatch"],
    [
      "stale timestamp",
      { timestamp: staleTs, signatureB64: signWebhook(keys.privateKey, body, staleTs) },
      "stale_timestamp",
    ],
    [
      "future timestamp",
      { timestamp: futureTs, signatureB64: signWebhook(keys.privateKey, body, futureTs) },
      "stale_timestamp",
    ],
    ["missing signature", { signatureB64: undefined }, "missing_signature"],
    ["empty signature", { signatureB64: "" }, "missing_signature"],
    ["missing timestamp", { timestamp: null }, "missing_timestamp"],
    ["non-numeric timestamp", { timestamp: "2026-03-01T12:00:00Z" }, "malformed_timestamp"],
    ["garbage base64 signature", { signatureB64: "not base64 at all!!" }, "malformed_signature"],
    ["base64 of the wrong length", { signatureB64: Buffer.alloc(32).toString("base64") }, "malformed_signature"],
    ["garbage public key", { publicKeyB64: "%%%" }, "malformed_public_key"],
    [
      "public key of the wrong length",
      { publicKeyB64: Buffer.alloc(31, 1).toString("base64") },
      "malformed_public_key",
    ],
  ])("rejects %s", (_name, overrides, reason) => {
    const result = verifyTelnyxSignature(signed(overrides));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason).toBe(reason);
      expect(result.message.length).toBeGreaterThan(5);
    }
  });

  test("the tolerance is configurable", () => {
    const ts = String(nowSeconds - 30);
    const input = signed({ timestamp: ts, signatureB64: signWebhook(keys.privateKey, body, ts), toleranceSeconds: 10 });
    expect(verifyTelnyxSignature(input)).toMatchObject({ ok: false, reason: "stale_timestamp" });
  });
});

describe("readSignatureHeaders", () => {
  test("reads Fetch Headers and node header records, case-insensitively", () => {
    const fetchHeaders = new Headers({ "Telnyx-Signature-Ed25519": "sig", "Telnyx-Timestamp": "1" });
    expect(readSignatureHeaders(fetchHeaders)).toEqual({ signatureB64: "sig", timestamp: "1" });
    expect(readSignatureHeaders({ "telnyx-signature-ed25519": ["sig"], "TELNYX-TIMESTAMP": "1" })).toEqual({
      signatureB64: "sig",
      timestamp: "1",
    });
  });
});

// api-facts.md warns that some 7.x SDK builds checked the wrong scheme: prove the pinned one agrees with ours.
describe("telnyx SDK 7.24.0 client.webhooks.unwrap", () => {
  const client = new Telnyx({ apiKey: "KEY_test", publicKey: keys.publicKeyB64, baseURL: "http://127.0.0.1:9/v2" });

  test("accepts a webhook we signed, and returns the parsed body", async () => {
    const timestamp = String(Math.floor(Date.now() / 1000)); // the SDK always compares with the real clock
    const headers = {
      "telnyx-signature-ed25519": signWebhook(keys.privateKey, body, timestamp),
      "telnyx-timestamp": timestamp,
    };
    await expect(client.webhooks.unwrap(body, { headers })).resolves.toEqual(JSON.parse(body));
    expect(
      verifyTelnyxSignature({ rawBody: body, ...readSignatureHeaders(headers), publicKeyB64: keys.publicKeyB64 }).ok,
    ).toBe(true);
  });

  test("rejects what we reject", async () => {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const headers = {
      "telnyx-signature-ed25519": signWebhook(otherKeys.privateKey, body, timestamp),
      "telnyx-timestamp": timestamp,
    };
    await expect(client.webhooks.unwrap(body, { headers })).rejects.toThrow(/does not match/);
    const stale = String(Math.floor(Date.now() / 1000) - 400);
    const staleHeaders = {
      "telnyx-signature-ed25519": signWebhook(keys.privateKey, body, stale),
      "telnyx-timestamp": stale,
    };
    await expect(client.webhooks.unwrap(body, { headers: staleHeaders })).rejects.toThrow(/too old or too new/);
  });
});
