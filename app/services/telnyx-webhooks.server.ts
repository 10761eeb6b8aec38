import { randomUUID } from "node:crypto";
import { type TelnyxEvent, parseTelnyxEventBody } from "~/adapters/telnyx/events";
import { readSignatureHeaders, verifyTelnyxSignature } from "~/adapters/telnyx/signature.server";
import { prisma } from "~/db.server";
import { env } from "~/env.server";
import { CHANNELS } from "~/services/realtime/notify.server";

// Telnyx webhooks at the edge: verified on the raw body, recorded once (event ids are unique), answered fast.
// Processing happens in the SMS workers (app/services/sms/provider-events.server.ts).

export class WebhookRejected extends Error {
  constructor(
    public readonly status: 400 | 401,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Verifies with the platform's public key, or — for shops that bring their own Telnyx account — the key saved
 * for the shop that owns the receiving number. The body is read before verification only to find that shop.
 */
export async function verifyTelnyxWebhook(rawBody: string, headers: Headers, now?: () => Date): Promise<TelnyxEvent> {
  const signature = readSignatureHeaders(headers);
  const keys = [env().TELNYX_PUBLIC_KEY].filter((k): k is string => Boolean(k));
  let check = keys.length ? verifyTelnyxSignature({ rawBody, ...signature, publicKeyB64: keys[0], now }) : null;
  const parsed = parseTelnyxEventBody(rawBody);
  if (
    !check?.ok &&
    (!check || check.reason === "signature_mismatch" || check.reason === "malformed_public_key") &&
    parsed.ok
  ) {
    const shopKey = await shopPublicKeyFor(parsed.event);
    if (shopKey) check = verifyTelnyxSignature({ rawBody, ...signature, publicKeyB64: shopKey, now });
  }
  if (!check) throw new WebhookRejected(401, "no Telnyx public key is configured");
  if (!check.ok) throw new WebhookRejected(401, check.message);
  if (!parsed.ok) throw new WebhookRejected(400, parsed.reason);
  return parsed.event;
}

async function shopPublicKeyFor(event: TelnyxEvent): Promise<string | null> {
  if (event.type === "unknown") return null;
  const storeNumber =
    event.type === "message.received" ? event.payload.to[0]?.phone_number : event.payload.from?.phone_number;
  if (!storeNumber) return null;
  const number = await prisma.sendingNumber.findUnique({
    where: { phoneE164: storeNumber },
    select: { shop: { select: { settings: { select: { telnyxPublicKey: true } } } } },
  });
  return number?.shop.settings?.telnyxPublicKey ?? null;
}

/** Stores the event once and wakes the workers; false when this event id was seen before (a replay). */
export async function recordTelnyxEvent(event: TelnyxEvent, rawBody: string): Promise<boolean> {
  const eventType = event.type === "unknown" ? event.eventType : event.type;
  const rows = await prisma.$queryRaw<{ id: string }[]>`
    WITH ins AS (
      INSERT INTO "ProviderEvent" (id, provider, "eventId", "eventType", payload, "receivedAt")
      VALUES (${randomUUID()}, 'telnyx', ${event.id}, ${eventType}, ${rawBody}::jsonb, now())
      ON CONFLICT (provider, "eventId") DO NOTHING
      RETURNING id
    )
    SELECT id, pg_notify(${CHANNELS.events}, '')::text AS woke FROM ins`;
  return rows.length > 0;
}
