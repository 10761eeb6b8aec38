import type { ConsentEvent as DomainConsentEvent } from "~/domain/consent";
import { classifyInbound } from "~/domain/keywords";
import { keywordReply, type KeywordReplyKind } from "~/domain/keyword-replies";
import { normalizePhone } from "~/domain/phone";
import type { InboundMessagePayload } from "~/adapters/telnyx/events";
import type { ConsentPurpose, Message, Prisma, SendingNumber } from "~/generated/prisma/client.ts";
import { pendingHasExpired } from "~/domain/opt-in";
import { log } from "~/lib/log.server";
import { beginOptIn } from "~/services/opt-in/begin.server";
import { expirePending, loadOptInView } from "~/services/opt-in/pending.server";
import { queueWelcome } from "~/services/opt-in/welcome.server";
import { notifyInbox } from "~/services/realtime/notify.server";
import { applyConsentEvent, consentStatesOf, marketingBeforeLastOptOut } from "./consent.server";
import { findOrOpenConversation, lockContact, touchConversation } from "./conversations.server";
import { keywordOverrides, loadShopSettings, programOf } from "./shop-context.server";
import { sendMessage } from "./send-message.server";

// An inbound text, in one transaction: the shop (by the receiving number), the contact, keywords and consent,
// the conversation, the message itself, the keyword reply, and the inbox notification. A replayed event finds
// the message already stored (provider message ids are unique) and changes nothing.

type Tx = Prisma.TransactionClient;

export type InboundResult =
  | {
      outcome: "stored";
      shopId: string;
      message: Message;
      keyword: ReturnType<typeof classifyInbound>["kind"];
      automate: boolean;
    }
  | { outcome: "duplicate" }
  | { outcome: "unknown_number"; to: string };

export async function receiveInboundSms(
  tx: Tx,
  eventId: string,
  payload: InboundMessagePayload,
  now = new Date(),
): Promise<InboundResult> {
  const to = payload.to[0]?.phone_number ?? "";
  // The receiving number and whether this text is already stored (a replay), in one round trip.
  const [found] = await tx.$queryRaw<(SendingNumber & { replayed: boolean })[]>`
    SELECT n.*, EXISTS (SELECT 1 FROM "Message" WHERE "providerMessageId" = ${payload.id}) AS replayed
    FROM "SendingNumber" n WHERE n."phoneE164" = ${to}`;
  if (!found) return { outcome: "unknown_number", to };
  const { replayed, ...number } = found;
  const shopId = number.shopId;

  if (replayed) return { outcome: "duplicate" };

  const parsedFrom = normalizePhone(payload.from.phone_number);
  const from = parsedFrom.ok ? parsedFrom.e164 : payload.from.phone_number;
  // The contact's lock before any write to its row: every other writer (a send's last look, a provider's 40300,
  // the Shopify consent mark) takes the lock and then updates the row, so updating it first here would deadlock
  // with them. Creating a new contact locks nothing anyone else could hold.
  await tx.contact.createMany({
    data: [{ shopId, phoneE164: from, lineType: payload.from.line_type || null }],
    skipDuplicates: true,
  });
  let contact = await tx.contact.findUniqueOrThrow({ where: { shopId_phoneE164: { shopId, phoneE164: from } } });
  await lockContact(tx, contact.id);
  if (payload.from.line_type && contact.lineType !== payload.from.line_type) {
    contact = await tx.contact.update({ where: { id: contact.id }, data: { lineType: payload.from.line_type } });
  }
  // Under the lock (a new statement, so it sees what committed while we waited): replayed meanwhile? and consent.
  const [locked] = await tx.$queryRaw<
    { replayed: boolean; consent: { purpose: ConsentPurpose; status: string }[] | null }[]
  >`
    SELECT EXISTS (SELECT 1 FROM "Message" WHERE "providerMessageId" = ${payload.id}) AS replayed,
      (SELECT json_agg(json_build_object('purpose', s.purpose, 'status', s.status)) FROM "ConsentState" s WHERE s."contactId" = ${contact.id}) AS consent`;
  if (locked.replayed) return { outcome: "duplicate" };

  const settings = await loadShopSettings(tx, shopId);
  let consentBefore = consentStatesOf(locked.consent ?? []);
  // A confirmation request past the shop's window lapses before the text is read: a late "Y" is then an ordinary
  // message (app/domain/opt-in.ts), whether or not the expiry sweep got there first.
  if (consentBefore.marketing === "PENDING") {
    const view = await loadOptInView(tx, contact.id);
    if (pendingHasExpired(view.marketingSince, settings.optInExpiryHours, now)) {
      consentBefore = (await expirePending(tx, contact, { now, source: view.marketing.source, current: consentBefore }))
        .next;
    }
  }
  const text = payload.text ?? "";
  const classification = classifyInbound(text, {
    pendingConfirmation: consentBefore.marketing === "PENDING",
    joinKeywords: settings.joinKeywords,
  });

  const conversation = await findOrOpenConversation(tx, {
    shopId,
    contactId: contact.id,
    sendingNumberId: number.id,
    open: true,
    now,
  });
  const answered = await tx.message.findFirst({
    where: { conversationId: conversation.id, direction: "OUTBOUND", status: { in: ["SENT", "DELIVERED", "SENDING"] } },
    orderBy: { createdAt: "desc" },
    select: { id: true },
  });
  const message = await tx.message.create({
    data: {
      shopId,
      contactId: contact.id,
      conversationId: conversation.id,
      sendingNumberId: number.id,
      direction: "INBOUND",
      authorKind: "SHOPPER",
      purpose: "CONVERSATIONAL",
      body: text,
      media: (payload.media ?? []).map((m) => ({
        url: m.url,
        contentType: m.content_type ?? null,
        size: m.size ?? null,
      })),
      segments: payload.parts ?? 1,
      encoding: payload.encoding ?? "GSM-7",
      status: "RECEIVED",
      providerMessageId: payload.id,
      carrier: payload.from.carrier ?? null,
      replyToMessageId: answered?.id ?? null,
      createdAt: payload.received_at ? new Date(payload.received_at) : now,
    },
  });
  await touchConversation(tx, conversation.id, { at: message.createdAt, preview: text || "(media)", inbound: true });

  const consentEvent = await consentEventFor(tx, classification.kind, contact.id);
  let reply: KeywordReplyKind | null = classification.kind === "help" ? "help" : null;
  if (consentEvent) {
    const transition = await applyConsentEvent(
      tx,
      contact,
      consentEvent,
      {
        source: consentEvent.type === "inbound_message" ? "INBOUND_MESSAGE" : "KEYWORD",
        occurredAt: message.createdAt,
        keyword: classification.kind === "none" ? null : classification.keyword,
        confirmingMessageId: message.id,
      },
      // Read above under the contact's lock (nothing in between changes consent); the thread it happens in.
      { current: consentBefore, conversationId: conversation.id },
    );
    reply = transition.reply ?? reply;
    if (transition.changes.length > 0)
      log.info("consent changed by inbound text", { shopId, contactId: contact.id, changes: transition.changes });
    // The confirmed subscription's welcome (with a welcome code it waits for the Admin API, in a job).
    if (reply === "welcome" && transition.eventIds.marketing) {
      reply = null;
      await queueWelcome(tx, {
        contact,
        settings,
        consentEventId: transition.eventIds.marketing,
        now,
        context: { contact, settings, conversation, number },
      });
    }
  }
  if (classification.kind === "join") {
    // The join keyword starts the same double opt-in as the storefront form: texting JOIN shows interest, the
    // "Y" to the confirmation request confirms it is marketing they want.
    const result = await beginOptIn(tx, {
      contact,
      settings,
      source: "KEYWORD",
      evidence: { keyword: classification.keyword, note: `texted ${classification.keyword} to the store number` },
      now,
      context: { contact, settings, conversation, number },
    });
    log.info("keyword opt-in", { shopId, contactId: contact.id, outcome: result.outcome });
  }

  if (reply) {
    const { text: replyText } = keywordReply(reply, programOf(settings), keywordOverrides(settings)[reply]);
    await sendMessage(
      {
        shopId,
        contactId: contact.id,
        conversationId: conversation.id,
        sendingNumberId: number.id,
        purpose: "SYSTEM",
        authorKind: "SYSTEM",
        body: replyText,
        idempotencyKey: `keyword-reply:${eventId}`,
        replyToMessageId: message.id,
      },
      // The lock, contact, settings, conversation and number this transaction already holds.
      { tx, now, context: { contact, settings, conversation, number } },
    );
  }
  await notifyInbox(tx, { shopId, conversationId: conversation.id, messageId: message.id, kind: "message" });
  // Keywords are the engine's business; everything else is a conversation that automation and people answer.
  const automate = classification.kind === "none" && consentBefore.transactional !== "UNSUBSCRIBED";
  return { outcome: "stored", shopId, message, keyword: classification.kind, automate };
}

async function consentEventFor(
  tx: Tx,
  kind: ReturnType<typeof classifyInbound>["kind"],
  contactId: string,
): Promise<DomainConsentEvent | null> {
  switch (kind) {
    case "opt_out":
      return { type: "opt_out", source: "KEYWORD" };
    case "opt_in":
      return { type: "opt_in_keyword", marketingBeforeOptOut: await marketingBeforeLastOptOut(tx, contactId) };
    case "confirm":
      return { type: "confirm" };
    case "help":
      return null;
    case "join": // the shopper wrote first (conversational replies); the marketing opt-in follows in the caller
    case "none":
      return { type: "inbound_message" };
  }
}
