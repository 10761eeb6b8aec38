import { randomUUID } from "node:crypto";
import { type TelnyxEvent, parseTelnyxEventBody } from "~/adapters/telnyx/events";
import { readSignatureHeaders, verifyTelnyxSignature } from "~/adapters/telnyx/signature.server";
import { prisma, queryRaw } from "~/db.server";
import { env } from "~/env.server";
import { Prisma } from "~/generated/prisma/client.ts";
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

/** The payload of the wake-up when a shopper's text was recorded (the SMS loops then hold campaign sends back). */
export const TEXT_NOTICE = "text";

/** Stores the event once and wakes the workers; false when this event id was seen before (a replay). */
export function recordTelnyxEvent(event: TelnyxEvent, rawBody: string): Promise<boolean> {
  const eventType = event.type === "unknown" ? event.eventType : event.type;
  return new Promise((resolve, reject) => {
    waiting.push({ id: orderedUuid(), eventId: event.id, eventType, rawBody, resolve, reject });
    pump();
  });
}

// Group commit: webhooks that arrive while earlier inserts are in flight are written together, in one INSERT of
// many rows (one round trip, one commit, one wake-up) instead of one statement each. Each caller still answers
// only once its own row is committed; a lone webhook goes straight out, so nothing waits when traffic is light.
type Pending = {
  id: string;
  eventId: string;
  eventType: string;
  rawBody: string;
  resolve(stored: boolean): void;
  reject(error: unknown): void;
};
const waiting: Pending[] = [];
const MAX_IN_FLIGHT = 2;
const MAX_ROWS = 100;
let inFlight = 0;

function pump() {
  while (inFlight < MAX_IN_FLIGHT && waiting.length > 0) {
    const batch = waiting.splice(0, MAX_ROWS);
    inFlight++;
    void insertEvents(batch).finally(() => {
      inFlight--;
      pump();
    });
  }
}

async function insertEvents(batch: Pending[]) {
  try {
    const rows = batch.map(
      (p) => Prisma.sql`(${p.id}, 'telnyx', ${p.eventId}, ${p.eventType}, ${p.rawBody}::jsonb, now())`,
    );
    const stored = await queryRaw<{ id: string }>(
      prisma,
      Prisma.sql`
      WITH ins AS (
        INSERT INTO "ProviderEvent" (id, provider, "eventId", "eventType", payload, "receivedAt")
        VALUES ${Prisma.join(rows)}
        ON CONFLICT (provider, "eventId") DO NOTHING
        RETURNING id, "eventType"
      )
      SELECT id, pg_notify(${CHANNELS.events}, CASE WHEN "eventType" = 'message.received' THEN ${TEXT_NOTICE} ELSE '' END)::text AS woke FROM ins`,
    );
    const ids = new Set(stored.map((r) => r.id));
    for (const p of batch) p.resolve(ids.has(p.id));
  } catch (error) {
    if (batch.length === 1) return batch[0].reject(error);
    // One bad row (say, a body PostgreSQL's jsonb refuses) must not fail its neighbours: one by one, then.
    for (const p of batch) await insertEvents([p]);
  }
}

// Time-ordered UUIDs (version 7: milliseconds, then a counter, then random bits), so rows written in one
// statement — which share their receivedAt — still sort in arrival order: the inbound workers apply one
// shopper's events oldest first by (receivedAt, id).
let lastMs = 0;
let counter = 0;
function orderedUuid(): string {
  const now = Date.now();
  if (now > lastMs) {
    lastMs = now;
    counter = 0;
  } else if (++counter > 0xfff) {
    lastMs++; // 4,096 ids in one millisecond: borrow the next one
    counter = 0;
  }
  const time = lastMs.toString(16).padStart(12, "0");
  const random = randomUUID(); // xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx (V: the RFC 4122 variant, kept)
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${counter.toString(16).padStart(3, "0")}-${random.slice(19)}`;
}
