import { z } from "zod";
import { canSend, NO_CONSENT, type SendRefusal } from "~/domain/consent";
import { floridaCapApplies, withinFloridaCap } from "~/domain/florida-cap";
import { type QuietHoursCandidate, quietHoursDecision } from "~/domain/quiet-hours";
import { recipientZones } from "~/domain/recipient-zones";
import { RenderError, renderOutbound } from "~/domain/render";
import { analyzeText } from "~/domain/segments";
import { queryRaw, transaction } from "~/db.server";
import {
  type Contact,
  type Conversation,
  type Message,
  Prisma,
  type SendingNumber,
  type ShopSettings,
} from "~/generated/prisma/client.ts";
import { newId } from "~/db/ids.server";
import {
  CHANNELS,
  type InboxNotice,
  inboxNotice,
  type Notice,
  writeWithNotices,
} from "~/services/realtime/notify.server";
import { loadConsent } from "./consent.server";
import { findOrOpenConversation, lockContact } from "./conversations.server";
import { loadShopSettings, quietHoursPolicyOf } from "./shop-context.server";

// The one path every outbound text takes — staff replies, AI answers, flow steps, campaigns, keyword replies.
// It decides (consent, suppression, quiet hours, frequency), renders (identification, opt-out language,
// variables, segments), and records the message; delivery workers send what it queued. A refusal is recorded
// with its reason too: nothing a caller asked for disappears silently.

type Tx = Prisma.TransactionClient;

export const SendMessageInputSchema = z.object({
  shopId: z.string().min(1),
  contactId: z.string().min(1),
  purpose: z.enum(["MARKETING", "TRANSACTIONAL", "CONVERSATIONAL", "SYSTEM"]),
  body: z.string(),
  media: z.array(z.object({ url: z.string().url(), contentType: z.string().optional() })).default([]),
  authorKind: z.enum(["STAFF", "AI", "AUTOMATION", "SYSTEM"]),
  authorStaffId: z.string().nullish(),
  // Same key, same message: a retried request, a duplicated job or a replayed webhook never sends twice.
  idempotencyKey: z.string().min(1).max(200),
  conversationId: z.string().nullish(),
  sendingNumberId: z.string().nullish(),
  replyToMessageId: z.string().nullish(),
  campaignId: z.string().nullish(),
  flowRunId: z.string().nullish(),
  subject: z.string().nullish(), // Florida's "same subject" cap groups by this (campaign or flow)
  variables: z.record(z.string(), z.string().nullish()).default({}),
});
export type SendMessageInput = z.input<typeof SendMessageInputSchema>;

export type Refusal =
  | SendRefusal
  | "invalid_number"
  | "landline"
  | "no_sending_number"
  | "frequency_cap"
  | "smart_sending"
  | "no_common_window"
  | "render_error";

export type SendOutcome =
  | { status: "queued"; message: Message }
  | { status: "held"; message: Message; releaseAt: Date }
  | { status: "refused"; message: Message; reason: Refusal }
  | { status: "duplicate"; message: Message };

export const REFUSAL_TEXT: Record<Refusal, string> = {
  no_marketing_consent: "Not sent: this shopper has not subscribed to marketing texts.",
  awaiting_confirmation: "Not sent: this shopper has not confirmed their subscription yet (double opt-in pending).",
  opted_out: "Not sent: this shopper opted out of texts.",
  no_transactional_consent: "Not sent: this shopper has not agreed to texts from the store and has not written first.",
  invalid_number: "Not sent: the provider reported this number cannot receive texts.",
  landline: "Not sent: this number is a landline.",
  no_sending_number: "Not sent: the shop has no sending number connected (Settings → Sending number).",
  frequency_cap: "Skipped: this subscriber reached the shop's marketing frequency cap.",
  smart_sending: "Skipped: this subscriber got a marketing text recently (smart sending).",
  no_common_window: "Not sent: the recipient's possible time zones share no allowed sending hours.",
  render_error: "Not sent: the message could not be rendered.",
};

/** Quiet hours are for messages the shopper did not just ask for: marketing, and automated transactional texts. */
export function quietHoursApply(purpose: Message["purpose"], authorKind: Message["authorKind"]) {
  return purpose === "MARKETING" || (purpose === "TRANSACTIONAL" && authorKind === "AUTOMATION");
}

/**
 * What a caller already holds in the same transaction — the contact's lock, and the contact, shop settings,
 * conversation and sending number it read under that lock (the inbound path answering a keyword) — so the send
 * does not read them again. They must be the rows for input.contactId, input.shopId, input.conversationId and
 * input.sendingNumberId.
 */
export type SendContext = {
  contact: Contact;
  settings: ShopSettings;
  conversation: Conversation;
  number: SendingNumber;
};

/**
 * `handOver`: the caller hands a queued message to this process's delivery loop itself once its transaction has
 * committed (handOver in deliver.server.ts), so no NOTIFY wakes the delivery workers for it.
 */
export async function sendMessage(
  input: SendMessageInput,
  options: { tx?: Tx; now?: Date; context?: SendContext; handOver?: boolean } = {},
): Promise<SendOutcome> {
  const parsed = SendMessageInputSchema.parse(input);
  if (options.context && !options.tx) throw new Error("sendMessage: a context belongs to the caller's transaction");
  if (options.handOver && !options.tx) throw new Error("sendMessage: a hand-over follows the caller's transaction");
  if (options.tx)
    return sendWithin(options.tx, parsed, options.now ?? new Date(), options.context, options.handOver ?? false);
  return transaction((tx) => sendWithin(tx, parsed, options.now ?? new Date()), { timeout: 20_000 });
}

async function sendWithin(
  tx: Tx,
  input: z.infer<typeof SendMessageInputSchema>,
  now: Date,
  context?: SendContext,
  handOver = false,
): Promise<SendOutcome> {
  if (!context) await lockContact(tx, input.contactId);
  const duplicate = async (): Promise<SendOutcome> => ({
    status: "duplicate",
    message: await tx.message.findFirstOrThrow({
      where: { shopId: input.shopId, idempotencyKey: input.idempotencyKey },
    }),
  });
  // One round trip: is this key taken already (then nothing else matters), and — when the conversation is known
  // up front — does it have an outbound text yet (rendering needs that below; nothing in between sends one).
  // A keyword reply or confirmation from a caller that holds the context reads and writes nothing before it is
  // recorded (no consent, quiet hours or caps; SYSTEM texts are sent as written), so its key is left to the INSERT.
  const system = input.purpose === "SYSTEM";
  const knownConversationId = context?.conversation.id ?? input.conversationId ?? null;
  const [first] =
    context && system
      ? [{ existingId: null, firstOutbound: false }]
      : await queryRaw<{ existingId: string | null; firstOutbound: boolean | null }>(
          tx,
          Prisma.sql`
    SELECT (SELECT id FROM "Message" WHERE "shopId" = ${input.shopId} AND "idempotencyKey" = ${input.idempotencyKey}) AS "existingId",
      ${knownConversationId ? Prisma.sql`NOT EXISTS (${liveOutboundIn(knownConversationId)})` : Prisma.sql`NULL::boolean`} AS "firstOutbound"`,
        );
  if (first.existingId) return duplicate();

  const contact =
    context?.contact ?? (await tx.contact.findFirstOrThrow({ where: { id: input.contactId, shopId: input.shopId } }));
  const settings = context?.settings ?? (await loadShopSettings(tx, input.shopId));
  const conversation =
    context?.conversation ??
    (input.conversationId
      ? await tx.conversation.findFirstOrThrow({
          where: { id: input.conversationId, shopId: input.shopId, contactId: contact.id },
        })
      : await findOrOpenConversation(tx, {
          shopId: input.shopId,
          contactId: contact.id,
          open: input.authorKind === "STAFF",
          now,
        }));
  const number = context
    ? context.number
    : input.sendingNumberId
      ? await tx.sendingNumber.findFirst({ where: { id: input.sendingNumberId, shopId: input.shopId } })
      : conversation.sendingNumberId
        ? await tx.sendingNumber.findFirst({ where: { id: conversation.sendingNumberId, shopId: input.shopId } })
        : await tx.sendingNumber.findFirst({
            where: { shopId: input.shopId },
            orderBy: [{ isDefault: "desc" }, { createdAt: "asc" }],
          });

  // The message, the conversation's preview when it goes out, and its notices: one statement (recordOutbound).
  const record = (
    data: Pick<OutboundRow, "status" | "body"> & Partial<OutboundRow>,
    effects: { touch?: { at: Date; preview: string }; notices: (message: { id: string }) => Notice[] },
  ) =>
    recordOutbound(
      tx,
      {
        shopId: input.shopId,
        contactId: contact.id,
        conversationId: conversation.id,
        sendingNumberId: number?.id ?? null,
        authorKind: input.authorKind,
        authorStaffId: input.authorStaffId ?? null,
        purpose: input.purpose,
        media: input.media,
        idempotencyKey: input.idempotencyKey,
        replyToMessageId: input.replyToMessageId ?? null,
        campaignId: input.campaignId ?? null,
        flowRunId: input.flowRunId ?? null,
        subject: input.subject ?? null,
        segments: 1,
        encoding: "GSM-7",
        holdUntil: null,
        errorCode: null,
        errorReason: null,
        ...data,
      },
      effects,
    );
  const noticeOf = (message: { id: string }): InboxNotice => ({
    shopId: input.shopId,
    conversationId: conversation.id,
    messageId: message.id,
    kind: "message",
  });
  const refuse = async (reason: Refusal, detail?: string): Promise<SendOutcome> => {
    const message = await record(
      { status: "REFUSED", body: input.body, errorCode: reason, errorReason: detail ?? REFUSAL_TEXT[reason] },
      { notices: (m) => [inboxNotice(noticeOf(m))] },
    );
    return message ? { status: "refused", message, reason } : duplicate();
  };

  if (!number) return refuse("no_sending_number");
  if (input.purpose !== "SYSTEM") {
    if (contact.invalidAt) return refuse("invalid_number");
    if (contact.lineType && /wireline|landline/i.test(contact.lineType)) return refuse("landline");
  }
  // SYSTEM texts (opt-out and opt-in confirmations, HELP) go whatever the consent: no need to read it.
  const consent =
    input.purpose === "SYSTEM"
      ? canSend("SYSTEM", NO_CONSENT)
      : canSend(input.purpose, await loadConsent(tx, contact.id));
  if (!consent.allowed) return refuse(consent.reason);

  if (input.purpose === "MARKETING") {
    const capped = await frequencyRefusal(tx, contact, settings, now);
    if (capped) return refuse(capped);
  }

  let text: string;
  try {
    text = renderOutbound({
      body: input.body,
      variables: {
        first_name: contact.firstName,
        last_name: contact.lastName,
        name: contact.firstName,
        ...input.variables,
      },
      isFirstInConversation:
        first.firstOutbound !== null && conversation.id === knownConversationId
          ? first.firstOutbound
          : await isFirstOutbound(tx, conversation.id),
      purpose: input.purpose,
      brandName: settings.brandName,
      senderName: settings.senderName,
      messagesSinceOptOutNotice:
        input.purpose === "MARKETING" ? await marketingSinceOptOutNotice(tx, contact.id) : null,
    }).text;
  } catch (error) {
    if (error instanceof RenderError) return refuse("render_error", `Not sent: ${error.message}`);
    throw error;
  }
  const analysis = analyzeText(text);

  let holdUntil: Date | null = null;
  if (quietHoursApply(input.purpose, input.authorKind)) {
    const candidates = await quietZonesOf(tx, contact);
    const decision = quietHoursDecision({ now, candidates, policy: quietHoursPolicyOf(settings) });
    if (!decision.allowed) {
      if (decision.reason === "no_common_window") return refuse("no_common_window");
      holdUntil = decision.releaseAt;
    }
    if (input.purpose === "MARKETING" && input.subject && floridaCapApplies(candidates)) {
      const recent = await tx.message.findMany({
        where: {
          contactId: contact.id,
          purpose: "MARKETING",
          subject: input.subject,
          createdAt: { gt: new Date(now.getTime() - 24 * 3600 * 1000) },
          status: { in: LIVE_STATUSES },
        },
        select: { createdAt: true, holdUntil: true },
      });
      const cap = withinFloridaCap(
        recent.map((m) => ({ sentAt: m.holdUntil ?? m.createdAt, subject: input.subject! })),
        now,
        input.subject,
      );
      if (!cap.allowed && (!holdUntil || cap.releaseAt > holdUntil)) holdUntil = cap.releaseAt;
    }
  }

  const message = await record(
    {
      status: holdUntil ? "HELD" : "QUEUED",
      holdUntil,
      body: text,
      segments: analysis.segments,
      encoding: analysis.encoding,
    },
    {
      touch: { at: now, preview: text },
      // A held message only tells the inbox; a queued one also wakes the delivery workers (unless handed over).
      notices: (m) => [
        ...(holdUntil || handOver ? [] : [{ channel: CHANNELS.outbox, payload: {} }]),
        inboxNotice(noticeOf(m)),
      ],
    },
  );
  if (!message) return duplicate();
  return holdUntil ? { status: "held", message, releaseAt: holdUntil } : { status: "queued", message };
}

/** The columns an outbound message is recorded with (the rest take their defaults). */
type OutboundRow = Pick<
  Message,
  | "shopId"
  | "contactId"
  | "conversationId"
  | "sendingNumberId"
  | "authorKind"
  | "authorStaffId"
  | "purpose"
  | "body"
  | "segments"
  | "encoding"
  | "status"
  | "idempotencyKey"
  | "holdUntil"
  | "errorCode"
  | "errorReason"
  | "replyToMessageId"
  | "campaignId"
  | "flowRunId"
  | "subject"
> & { media: unknown };

/**
 * Inserts the outbound message and, in the same statement, moves the conversation's preview to it (`touch`) and
 * sends its notices (delivered on commit): one round trip where there were three. Null when the idempotency key
 * was taken already (nothing written; the notices may still go out, which wakes a listener for nothing).
 */
async function recordOutbound(
  tx: Tx,
  row: OutboundRow,
  effects: { touch?: { at: Date; preview: string }; notices: (message: { id: string }) => Notice[] },
): Promise<Message | null> {
  const id = newId();
  const written = new Date();
  const [message] = await writeWithNotices<Message>(
    tx,
    [
      Prisma.sql`
        INSERT INTO "Message" (id, "shopId", "conversationId", "contactId", "sendingNumberId", direction, "authorKind",
          "authorStaffId", purpose, body, media, segments, encoding, status, "idempotencyKey", "holdUntil", "errorCode",
          "errorReason", "replyToMessageId", "campaignId", "flowRunId", subject, "createdAt", "updatedAt")
        VALUES (${id}, ${row.shopId}, ${row.conversationId}, ${row.contactId}, ${row.sendingNumberId}, 'OUTBOUND',
          CAST(${row.authorKind} AS "AuthorKind"), ${row.authorStaffId}, CAST(${row.purpose} AS "MessagePurpose"), ${row.body},
          ${JSON.stringify(row.media)}::jsonb, ${row.segments}, ${row.encoding}, CAST(${row.status} AS "MessageStatus"),
          ${row.idempotencyKey}, ${row.holdUntil}, ${row.errorCode}, ${row.errorReason}, ${row.replyToMessageId},
          ${row.campaignId}, ${row.flowRunId}, ${row.subject}, ${written}, ${written})
        ON CONFLICT ("shopId", "idempotencyKey") DO NOTHING
        RETURNING *`,
      ...(effects.touch
        ? [
            Prisma.sql`
              UPDATE "Conversation" SET "lastMessageAt" = ${effects.touch.at},
                "lastMessageText" = ${effects.touch.preview.slice(0, 280)}, "updatedAt" = ${written}
              WHERE id = ${row.conversationId} AND EXISTS (SELECT 1 FROM w0)`,
          ]
        : []),
    ],
    effects.notices({ id }),
    Prisma.sql`SELECT w0.* FROM w0`,
  );
  return message ?? null;
}

const LIVE_STATUSES: Message["status"][] = ["QUEUED", "HELD", "SENDING", "SENT", "DELIVERED"];

/** The same question as isFirstOutbound, as a subquery. */
const liveOutboundIn = (conversationId: string) =>
  Prisma.sql`SELECT 1 FROM "Message" WHERE "conversationId" = ${conversationId} AND direction = 'OUTBOUND'
    AND status IN (${Prisma.join(LIVE_STATUSES.map((st) => Prisma.sql`CAST(${st} AS "MessageStatus")`))}) AND purpose <> 'SYSTEM'`;

async function isFirstOutbound(tx: Tx, conversationId: string) {
  const earlier = await tx.message.findFirst({
    where: { conversationId, direction: "OUTBOUND", status: { in: LIVE_STATUSES }, purpose: { not: "SYSTEM" } },
    select: { id: true },
  });
  return earlier === null;
}

async function marketingSinceOptOutNotice(tx: Tx, contactId: string): Promise<number | null> {
  const recent = await tx.message.findMany({
    where: { contactId, purpose: "MARKETING", direction: "OUTBOUND", status: { in: LIVE_STATUSES } },
    orderBy: { createdAt: "desc" },
    take: 50,
    select: { body: true },
  });
  const index = recent.findIndex((m) => /\bSTOP\b/.test(m.body));
  return index === -1 ? null : index;
}

/** The shop's marketing cap for this contact right now (smart sending, daily, weekly), or null when another may go. */
export async function frequencyRefusal(
  tx: Tx,
  contact: Contact,
  settings: ShopSettings,
  now: Date,
): Promise<Refusal | null> {
  const since = (hours: number) => new Date(now.getTime() - hours * 3600 * 1000);
  const count = (hours: number) =>
    tx.message.count({
      where: {
        contactId: contact.id,
        purpose: "MARKETING",
        direction: "OUTBOUND",
        status: { in: LIVE_STATUSES },
        createdAt: { gt: since(hours) },
      },
    });
  if (settings.smartSendingHours > 0 && (await count(settings.smartSendingHours)) > 0) return "smart_sending";
  if (settings.marketingDailyCap > 0 && (await count(24)) >= settings.marketingDailyCap) return "frequency_cap";
  if (settings.marketingWeeklyCap > 0 && (await count(24 * 7)) >= settings.marketingWeeklyCap) return "frequency_cap";
  return null;
}

/** Quiet-hours candidates for the contact, from the cache on the contact or a prefix lookup stored there. */
export async function quietZonesOf(tx: Tx, contact: Contact): Promise<QuietHoursCandidate[]> {
  if (Array.isArray(contact.quietZones)) return contact.quietZones as QuietHoursCandidate[];
  const { candidates } = await recipientZones(contact.phoneE164, {
    contactTimeZone: contact.timeZone,
    contactRegion: contact.region,
  });
  await tx.contact.update({ where: { id: contact.id }, data: { quietZones: candidates } });
  return candidates;
}
