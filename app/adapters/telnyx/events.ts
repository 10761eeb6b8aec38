import { z } from "zod";

// Telnyx API v2 messaging webhooks, checked at the boundary. Field shapes follow the SDK's own types
// (telnyx 7.24.0: MessagingInboundMessagePayload, OutboundMessagePayload, DeliveryUpdateWebhookEvent).
// Unknown extra fields are dropped, not rejected: Telnyx adds fields over time, and a 400 would make it redeliver.
// Fields Telnyx documents as nullable accept null.

const e164ish = z.string().min(1); // short codes and alphanumeric senders are valid addresses too
const optionalText = z.string().nullish();

export const LINE_TYPES = ["Wireline", "Wireless", "VoWiFi", "VoIP", "Pre-Paid Wireless", "", "long_code"] as const;

// The SDK's union of delivery statuses. Kept strict so a typo in the simulator or a new status is noticed;
// a 400 here only costs that one status update (Telnyx retries, then gives up).
export const DELIVERY_STATUSES = [
  "queued",
  "sending",
  "sent",
  "expired",
  "sending_failed",
  "delivery_unconfirmed",
  "delivered",
  "delivery_failed",
  "read",
  // Seen on inbound `to[]`: the message reached the webhook.
  "webhook_delivered",
  "received",
] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** Final states that mean the text did not reach the phone. */
export const FAILED_STATUSES = ["delivery_failed", "sending_failed", "expired", "delivery_unconfirmed"] as const;

export const TelnyxErrorSchema = z.object({
  // Telnyx sends codes as strings; tolerate numbers so "40300" and 40300 compare equal downstream.
  code: z.union([z.string(), z.number()]).transform(String),
  title: z.string().default(""),
  detail: optionalText,
});
export type TelnyxApiErrorItem = z.infer<typeof TelnyxErrorSchema>;

const CostSchema = z
  .object({ amount: z.union([z.string(), z.number()]).transform(String).nullish(), currency: optionalText })
  .nullish();

const PartySchema = z.object({
  phone_number: e164ish,
  carrier: optionalText,
  line_type: z.enum(LINE_TYPES).nullish().catch(null), // descriptive only: never fail an event over it
});

const RecipientSchema = PartySchema.extend({ status: z.enum(DELIVERY_STATUSES).nullish() });

const InboundMediaSchema = z.object({
  url: z.string(),
  content_type: optionalText,
  size: z.number().nullish(),
  hash_sha256: optionalText,
});

const OutboundMediaSchema = z.object({
  url: z.string(),
  content_type: optionalText,
  size: z.number().nullish(),
  sha256: optionalText,
});

const MessageTypeSchema = z.enum(["SMS", "MMS", "RCS", "WHATSAPP"]);

export const InboundMessagePayloadSchema = z.object({
  id: z.string().min(1),
  record_type: z.literal("message").optional(),
  direction: z.literal("inbound"),
  type: MessageTypeSchema.default("SMS"),
  from: PartySchema,
  // SMS/MMS webhooks send an array of recipients; WhatsApp sends one number. Normalised to an array.
  to: z.union([z.array(RecipientSchema).min(1), e164ish.transform((phone_number) => [{ phone_number }])]),
  text: z
    .string()
    .nullish()
    .transform((t) => t ?? ""),
  media: z
    .array(InboundMediaSchema)
    .nullish()
    .transform((m) => m ?? []),
  messaging_profile_id: optionalText,
  received_at: optionalText,
  encoding: optionalText,
  parts: z.number().int().nullish(),
  autoresponse_type: optionalText,
  errors: z
    .array(TelnyxErrorSchema)
    .nullish()
    .transform((e) => e ?? []),
});
export type InboundMessagePayload = z.infer<typeof InboundMessagePayloadSchema>;

export const OutboundMessagePayloadSchema = z.object({
  id: z.string().min(1),
  record_type: z.literal("message").optional(),
  direction: z.literal("outbound"),
  type: MessageTypeSchema.default("SMS"),
  from: PartySchema,
  to: z.array(RecipientSchema).min(1),
  text: z.string().nullish(),
  media: z
    .array(OutboundMediaSchema)
    .nullish()
    .transform((m) => m ?? []),
  messaging_profile_id: optionalText,
  parts: z.number().int().nullish(),
  encoding: optionalText,
  cost: CostSchema,
  errors: z
    .array(TelnyxErrorSchema)
    .nullish()
    .transform((e) => e ?? []),
  received_at: optionalText,
  sent_at: optionalText,
  completed_at: optionalText,
  valid_until: optionalText,
  wait_seconds: z.number().nullish(),
});
export type OutboundMessagePayload = z.infer<typeof OutboundMessagePayloadSchema>;

const MetaSchema = z
  .object({ attempt: z.number().int().nullish(), delivered_to: optionalText })
  .nullish()
  .transform((m) => ({ attempt: m?.attempt ?? undefined, deliveredTo: m?.delivered_to ?? undefined }));

export const TelnyxEnvelopeSchema = z.object({
  data: z.object({
    record_type: z.literal("event"),
    id: z.string().min(1),
    event_type: z.string().min(1),
    occurred_at: z.string().min(1),
    payload: z.unknown(),
  }),
  meta: MetaSchema,
});

export const HANDLED_EVENT_TYPES = ["message.received", "message.sent", "message.finalized"] as const;
export type HandledEventType = (typeof HANDLED_EVENT_TYPES)[number];

interface EventBase {
  /** Event id (`data.id`): the idempotency key of the delivery. The message id is `payload.id`. */
  id: string;
  occurredAt: string;
  meta: { attempt?: number; deliveredTo?: string };
}

export type TelnyxEvent =
  | (EventBase & { type: "message.received"; payload: InboundMessagePayload })
  | (EventBase & { type: "message.sent" | "message.finalized"; payload: OutboundMessagePayload })
  /** Anything else Telnyx may send (message.read, number orders…): acknowledge and ignore. */
  | (EventBase & { type: "unknown"; eventType: string });

export type ParseTelnyxEventResult = { ok: true; event: TelnyxEvent } | { ok: false; reason: string };

function describeIssues(error: z.ZodError, prefix: string): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${[prefix, ...issue.path].filter((p) => p !== "").join(".")}: ${issue.message}`)
    .join("; ");
}

/** Validates a parsed webhook body. The reason is meant for a 400 response and the logs. */
export function parseTelnyxEvent(json: unknown): ParseTelnyxEventResult {
  const envelope = TelnyxEnvelopeSchema.safeParse(json);
  if (!envelope.success)
    return { ok: false, reason: `not a Telnyx webhook envelope: ${describeIssues(envelope.error, "")}` };
  const { data, meta } = envelope.data;
  const base: EventBase = { id: data.id, occurredAt: data.occurred_at, meta };

  switch (data.event_type) {
    case "message.received": {
      const payload = InboundMessagePayloadSchema.safeParse(data.payload);
      if (!payload.success)
        return { ok: false, reason: `invalid message.received: ${describeIssues(payload.error, "data.payload")}` };
      return { ok: true, event: { ...base, type: "message.received", payload: payload.data } };
    }
    case "message.sent":
    case "message.finalized": {
      const payload = OutboundMessagePayloadSchema.safeParse(data.payload);
      if (!payload.success)
        return { ok: false, reason: `invalid ${data.event_type}: ${describeIssues(payload.error, "data.payload")}` };
      return { ok: true, event: { ...base, type: data.event_type, payload: payload.data } };
    }
    default:
      return { ok: true, event: { ...base, type: "unknown", eventType: data.event_type } };
  }
}

/** Parses the raw body first; a body that is not JSON gets a readable reason too. */
export function parseTelnyxEventBody(rawBody: string): ParseTelnyxEventResult {
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    return { ok: false, reason: "body is not valid JSON" };
  }
  return parseTelnyxEvent(json);
}
