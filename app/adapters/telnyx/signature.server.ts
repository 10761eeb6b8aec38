import { createPublicKey, verify, type KeyObject } from "node:crypto";

// Telnyx signs every webhook with Ed25519 over the UTF-8 bytes of `${timestamp}|${rawBody}` and sends the
// signature (base64, 64 bytes) in `telnyx-signature-ed25519` and the Unix-seconds timestamp in
// `telnyx-timestamp`. Verification must use the body exactly as received: re-serialised JSON would not match.

export const SIGNATURE_HEADER = "telnyx-signature-ed25519";
export const TIMESTAMP_HEADER = "telnyx-timestamp";
export const DEFAULT_TOLERANCE_SECONDS = 300;

export type SignatureFailureReason =
  | "missing_signature"
  | "missing_timestamp"
  | "malformed_timestamp"
  | "malformed_signature"
  | "malformed_public_key"
  | "stale_timestamp"
  | "signature_mismatch";

export type SignatureCheck =
  { ok: true; timestamp: number } | { ok: false; reason: SignatureFailureReason; message: string };

export interface VerifyTelnyxSignatureInput {
  /** The request body exactly as received. Bytes are used as-is; a string is encoded as UTF-8. */
  rawBody: string | Uint8Array;
  signatureB64?: string | null;
  timestamp?: string | null;
  /** Base64 of the raw 32-byte Ed25519 public key, as shown in the Telnyx portal. */
  publicKeyB64: string;
  now?: () => Date;
  toleranceSeconds?: number;
}

// Node's base64 decoder silently skips junk; a signature header is attacker-controlled, so decode strictly.
const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function decodeStrictBase64(value: string): Buffer | undefined {
  const trimmed = value.trim();
  if (trimmed.length === 0 || !STRICT_BASE64.test(trimmed)) return undefined;
  return Buffer.from(trimmed, "base64");
}

// Building a KeyObject costs more than verifying; webhook ingest verifies thousands per second with the same key.
const keyCache = new Map<string, KeyObject>();

/** The KeyObject for a base64 raw 32-byte Ed25519 public key, or undefined when it is not one. */
export function ed25519PublicKeyFromB64(publicKeyB64: string): KeyObject | undefined {
  const cached = keyCache.get(publicKeyB64);
  if (cached) return cached;
  const raw = decodeStrictBase64(publicKeyB64);
  if (!raw || raw.length !== 32) return undefined;
  let key: KeyObject;
  try {
    key = createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: raw.toString("base64url") }, format: "jwk" });
  } catch {
    return undefined;
  }
  if (keyCache.size > 64) keyCache.clear(); // a handful of shops' keys at most; never grow without bound
  keyCache.set(publicKeyB64, key);
  return key;
}

function fail(reason: SignatureFailureReason, message: string): SignatureCheck {
  return { ok: false, reason, message };
}

export function verifyTelnyxSignature(input: VerifyTelnyxSignatureInput): SignatureCheck {
  const tolerance = input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const signatureB64 = input.signatureB64?.trim();
  const timestamp = input.timestamp?.trim();
  if (!signatureB64) return fail("missing_signature", `missing ${SIGNATURE_HEADER} header`);
  if (!timestamp) return fail("missing_timestamp", `missing ${TIMESTAMP_HEADER} header`);
  if (!/^\d{1,12}$/.test(timestamp)) return fail("malformed_timestamp", `${TIMESTAMP_HEADER} is not Unix seconds`);

  const signature = decodeStrictBase64(signatureB64);
  if (!signature || signature.length !== 64) {
    return fail("malformed_signature", `${SIGNATURE_HEADER} is not the base64 of a 64-byte Ed25519 signature`);
  }
  const key = ed25519PublicKeyFromB64(input.publicKeyB64);
  if (!key) return fail("malformed_public_key", "the configured Telnyx public key is not a base64 32-byte Ed25519 key");

  const sentAt = Number(timestamp);
  const nowSeconds = Math.floor((input.now?.() ?? new Date()).getTime() / 1000);
  if (Math.abs(nowSeconds - sentAt) > tolerance) {
    return fail("stale_timestamp", `${TIMESTAMP_HEADER} is ${nowSeconds - sentAt}s off (tolerance ${tolerance}s)`);
  }

  const body = typeof input.rawBody === "string" ? Buffer.from(input.rawBody, "utf8") : input.rawBody;
  const signed = Buffer.concat([Buffer.from(`${timestamp}|`, "utf8"), body]);
  let valid = false;
  try {
    valid = verify(null, signed, key, signature);
  } catch {
    valid = false;
  }
  return valid ? { ok: true, timestamp: sentAt } : fail("signature_mismatch", "signature does not match the body");
}

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

/** Reads the two signature headers from a Fetch `Headers` or a Node/express header record. */
export function readSignatureHeaders(headers: HeaderSource): { signatureB64?: string; timestamp?: string } {
  const get = (name: string): string | undefined => {
    if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name) ?? undefined;
    const record = headers as Record<string, string | string[] | undefined>;
    const key = Object.keys(record).find((k) => k.toLowerCase() === name);
    const value = key === undefined ? undefined : record[key];
    return Array.isArray(value) ? value[0] : value;
  };
  return { signatureB64: get(SIGNATURE_HEADER), timestamp: get(TIMESTAMP_HEADER) };
}
