import { createHash, randomUUID } from "node:crypto";
import type { MessagingInboundMessagePayload, OutboundMessagePayload } from "telnyx/resources/messages/messages";
import { countSegments } from "./segments";
import type { SendRequest, TelnyxApiError } from "./validate";

// Telnyx message resources and webhook envelopes, typed against the SDK's own response types so the
// simulator cannot drift from what `client.messages.send` and the webhook parsers expect.

export type LineType = "Wireline" | "Wireless" | "VoWiFi" | "VoIP" | "Pre-Paid Wireless" | "";

const CARRIERS = ["T-Mobile USA", "Verizon Wireless", "AT&T Wireless"] as const;
const STORE_CARRIER = "Telnyx";
export const COST_PER_PART = { SMS: 0.004, MMS: 0.015 } as const;
const VALIDITY_MS = 4 * 60 * 60 * 1000;

/** Stable made-up carrier per number, so the same shopper always looks the same. */
export function carrierOf(phone: string): string {
  const digest = createHash("sha256").update(phone).digest();
  return CARRIERS[digest[0] % CARRIERS.length];
}

export interface OutboundState {
  id: string;
  request: SendRequest;
  profileId: string;
  recipientLineType: LineType;
  status: NonNullable<OutboundMessagePayload.To["status"]>;
  errors: TelnyxApiError[];
  receivedAt: string;
  sentAt: string | null;
  completedAt: string | null;
}

export function newOutboundState(
  request: SendRequest,
  input: { profileId: string; landline: boolean; at: string },
): OutboundState {
  return {
    id: randomUUID(),
    request,
    profileId: input.profileId,
    recipientLineType: input.landline ? "Wireline" : "Wireless",
    status: "queued",
    errors: [],
    receivedAt: input.at,
    sentAt: null,
    completedAt: null,
  };
}

export function outboundResource(state: OutboundState): OutboundMessagePayload {
  const { request } = state;
  const segments = countSegments(request.text, request.encoding === "ucs2" ? "ucs2" : undefined);
  const parts = request.type === "MMS" ? 1 : Math.max(segments.parts, 1);
  const final = state.completedAt !== null;
  return {
    record_type: "message",
    id: state.id,
    direction: "outbound",
    type: request.type,
    messaging_profile_id: state.profileId,
    organization_id: "5f5c0a34-6e3c-4a2b-8d2a-0c1b5e0e0001",
    from: { phone_number: request.from, carrier: STORE_CARRIER, line_type: "VoIP" },
    to: [
      {
        phone_number: request.to,
        status: state.status,
        carrier: carrierOf(request.to),
        line_type: state.recipientLineType,
      },
    ],
    cc: [],
    text: request.text,
    subject: request.subject,
    media: request.mediaUrls.map((url) => ({ url, content_type: null, sha256: null, size: null })),
    webhook_url: request.webhookUrl ?? null,
    webhook_failover_url: request.webhookFailoverUrl ?? null,
    encoding: segments.encoding,
    parts,
    num_chars: [...request.text].length,
    tags: [],
    cost: { amount: (parts * COST_PER_PART[request.type]).toFixed(4), currency: "USD" },
    tcr_campaign_id: null,
    tcr_campaign_billable: false,
    tcr_campaign_registered: null,
    smart_encoding_applied: false,
    received_at: state.receivedAt,
    sent_at: state.sentAt,
    completed_at: state.completedAt,
    // Telnyx nulls valid_until once the message has left its queue.
    valid_until: state.sentAt || final ? null : new Date(Date.parse(state.receivedAt) + VALIDITY_MS).toISOString(),
    wait_seconds: 0,
    errors: state.errors,
  };
}

export interface InboundInput {
  from: string;
  to: string;
  text: string;
  media?: Array<string | { url: string; content_type?: string; size?: number }>;
}

export function inboundPayload(
  input: InboundInput,
  context: { profileId: string; at: string; webhookUrl: string },
): MessagingInboundMessagePayload {
  const media = (input.media ?? []).map((m) => (typeof m === "string" ? { url: m } : m));
  const segments = countSegments(input.text);
  return {
    record_type: "message",
    id: randomUUID(),
    direction: "inbound",
    type: media.length ? "MMS" : "SMS",
    messaging_profile_id: context.profileId,
    organization_id: "5f5c0a34-6e3c-4a2b-8d2a-0c1b5e0e0001",
    from: { phone_number: input.from, carrier: carrierOf(input.from), line_type: "Wireless" },
    to: [{ phone_number: input.to, status: "webhook_delivered", carrier: STORE_CARRIER, line_type: "Wireless" }],
    cc: [],
    text: input.text,
    subject: null,
    media: media.map((m) => ({
      url: m.url,
      content_type: m.content_type ?? "image/jpeg",
      size: m.size ?? 0,
      // The simulator never downloads media; a digest of the URL stands in for the content hash.
      hash_sha256: createHash("sha256").update(m.url).digest("hex"),
    })),
    encoding: segments.encoding,
    parts: media.length ? 1 : Math.max(segments.parts, 1),
    tags: [],
    cost: null,
    received_at: context.at,
    sent_at: null,
    completed_at: null,
    valid_until: null,
    webhook_url: context.webhookUrl,
    webhook_failover_url: null,
    errors: [],
  };
}

export type MessageEventType = "message.received" | "message.sent" | "message.finalized";

export interface EventEnvelope {
  data: { record_type: "event"; id: string; event_type: MessageEventType; occurred_at: string; payload: unknown };
  meta: { attempt: number; delivered_to: string };
}

export function eventEnvelope(
  eventType: MessageEventType,
  payload: unknown,
  occurredAt: string,
): Omit<EventEnvelope, "meta"> {
  return { data: { record_type: "event", id: randomUUID(), event_type: eventType, occurred_at: occurredAt, payload } };
}
