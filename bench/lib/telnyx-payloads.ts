import type { KeyObject } from "node:crypto";
import { signWebhook } from "../../app/sandbox/telnyx/keys";
import { eventEnvelope, inboundPayload } from "../../app/sandbox/telnyx/resources";

// Signed message.received webhooks exactly as the Telnyx simulator builds them (same payload builders, same
// signature), made ahead of time so that signing costs nothing while a measurement runs.

export const PROFILE_ID = "40017f8e-0a1b-4c2d-9e3f-5a6b7c8d9e0f";

export type SignedWebhook = { body: string; headers: Record<string, string> };

export function signedInbound(input: {
  from: string;
  to: string;
  text: string;
  url: string;
  privateKey: KeyObject;
  at?: Date;
}): SignedWebhook {
  const at = (input.at ?? new Date()).toISOString();
  const payload = inboundPayload(
    { from: input.from, to: input.to, text: input.text },
    { profileId: PROFILE_ID, at, webhookUrl: input.url },
  );
  const envelope = eventEnvelope("message.received", payload, at);
  const body = JSON.stringify({ ...envelope, meta: { attempt: 1, delivered_to: input.url } });
  return sign(body, input.privateKey);
}

export function sign(body: string, privateKey: KeyObject): SignedWebhook {
  const timestamp = Math.floor(Date.now() / 1000);
  return {
    body,
    headers: {
      "content-type": "application/json",
      "user-agent": "telnyx-webhooks (parley bench)",
      "telnyx-signature-ed25519": signWebhook(privateKey, body, timestamp),
      "telnyx-timestamp": String(timestamp),
    },
  };
}

/** Distinct, valid US numbers (NANP 555 exchange in a few New York area codes): up to 40,000. */
export function shopperPhone(i: number): string {
  const areas = ["212", "646", "718", "917"];
  return `+1${areas[Math.floor(i / 10_000) % areas.length]}555${String(i % 10_000).padStart(4, "0")}`;
}
