import { type TelnyxEvent, parseTelnyxEventBody } from "~/adapters/telnyx/events";
import { readSignatureHeaders, verifyTelnyxSignature } from "~/adapters/telnyx/signature.server";
import { prisma, Prisma } from "~/db.server";
import { env } from "~/env.server";
import { log } from "~/lib/log.server";

// Telnyx webhooks: verified on the raw body, recorded once (event ids are unique), answered fast. What each event
// means for conversations and consent is the SMS engine's business; this edge only guarantees that every event
// is authentic, well-formed and stored exactly once.

export class WebhookRejected extends Error {
  constructor(
    public readonly status: 400 | 401,
    message: string,
  ) {
    super(message);
  }
}

export function verifyTelnyxWebhook(rawBody: string, headers: Headers): TelnyxEvent {
  const publicKeyB64 = env().TELNYX_PUBLIC_KEY;
  if (!publicKeyB64) throw new WebhookRejected(401, "no Telnyx public key is configured");
  const check = verifyTelnyxSignature({ rawBody, ...readSignatureHeaders(headers), publicKeyB64 });
  if (!check.ok) throw new WebhookRejected(401, check.message);
  const parsed = parseTelnyxEventBody(rawBody);
  if (!parsed.ok) throw new WebhookRejected(400, parsed.reason);
  return parsed.event;
}

/** Stores the event once; returns false when this event id was seen before (a replayed delivery). */
export async function recordTelnyxEvent(event: TelnyxEvent, rawBody: string): Promise<boolean> {
  const eventType = event.type === "unknown" ? event.eventType : event.type;
  try {
    await prisma.providerEvent.create({
      data: { provider: "telnyx", eventId: event.id, eventType, payload: JSON.parse(rawBody) as Prisma.InputJsonValue },
    });
    return true;
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return false;
    throw error;
  }
}

/** Delivery receipts: the newest provider status wins; failures keep the provider's code and reason. */
export async function applyDeliveryReceipt(event: Extract<TelnyxEvent, { type: "message.sent" | "message.finalized" }>) {
  const recipient = event.payload.to[0];
  const failed = event.payload.errors?.[0];
  const status = recipient?.status;
  const next =
    status === "delivered" ? "DELIVERED" : status && ["delivery_failed", "sending_failed", "expired", "delivery_unconfirmed"].includes(status) ? "FAILED" : "SENT";
  const updated = await prisma.message.updateMany({
    where: { providerMessageId: event.payload.id },
    data: {
      status: next,
      carrier: recipient?.carrier ?? undefined,
      ...(next === "DELIVERED" ? { deliveredAt: new Date(event.occurredAt) } : {}),
      ...(failed ? { errorCode: String(failed.code), errorReason: failed.detail ?? failed.title ?? null } : {}),
    },
  });
  if (updated.count === 0) log.debug("delivery receipt for a message Parley did not record", { eventId: event.id });
}
