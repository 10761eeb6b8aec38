import type { ConsentEvent as DomainConsentEvent } from "~/domain/consent";
import { classifyInbound } from "~/domain/keywords";
import { keywordReply, type KeywordReplyKind } from "~/domain/keyword-replies";
import { normalizePhone } from "~/domain/phone";
import type { InboundMessagePayload } from "~/adapters/telnyx/events";
import type { ConsentPurpose, Contact, Message, Prisma, SendingNumber } from "~/generated/prisma/client.ts";
import { pendingHasExpired } from "~/domain/opt-in";
import { log } from "~/lib/log.server";
import { beginOptIn } from "~/services/opt-in/begin.server";
import { expirePending, loadOptInView } from "~/services/opt-in/pending.server";
import { queueWelcome } from "~/services/opt-in/welcome.server";
import { notifyInbox } from "~/services/realtime/notify.server";
import { applyConsentEvent, consentStatesOf, marketingBeforeLastOptOut } from "./consent.server";
import { conversationForInbound, lockContactByPhone } from "./conversations.server";
import { keywordOverrides, programOf, shopSettingsAsOf } from "./shop-context.server";
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
  // The receiving number, whether this text is already stored (a replay) and the version of the shop's settings,
  // in one round trip.
  const [found] = await tx.$queryRaw<(SendingNumber & { replayed: boolean; settingsUpdatedAt: Date | null })[]>`
    SELECT n.*, EXISTS (SELECT 1 FROM "Message" WHERE "providerMessageId" = ${payload.id}) AS replayed,
      (SELECT s."updatedAt" FROM "ShopSettings" s WHERE s."shopId" = n."shopId") AS "settingsUpdatedAt"
    FROM "SendingNumber" n WHERE n."phoneE164" = ${to}`;
  if (!found) return { outcome: "unknown_number", to };
  const { replayed, settingsUpdatedAt, ...number } = found;
  const shopId = number.shopId;

  if (replayed) return { outcome: "duplicate" };

  const parsedFrom = normalizePhone(payload.from.phone_number);
  const from = parsedFrom.ok ? parsedFrom.e164 : payload.from.phone_number;
  // The contact's lock before any write to its row: every other writer (a send's last look, a provider's 40300,
  // the Shopify consent mark) takes the lock and then updates the row, so updating it first here would deadlock
  // with them. Creating a new contact locks nothing anyone else could hold.
  let contactId = await lockContactByPhone(tx, shopId, from);
  if (!contactId) {
    await tx.contact.createMany({
      data: [{ shopId, phoneE164: from, lineType: payload.from.line_type || null }],
      skipDuplicates: true,
    });
    contactId = await lockContactByPhone(tx, shopId, from);
    if (!contactId) throw new Error("the contact just created could not be found");
  }
  // Under the lock (a new statement, so it sees what committed while we waited): the contact, replayed meanwhile?
  // and consent.
  const [locked] = await tx.$queryRaw<
    (Contact & { replayed: boolean; consentRows: { purpose: ConsentPurpose; status: string }[] | null })[]
  >`
    SELECT c.*, EXISTS (SELECT 1 FROM "Message" WHERE "providerMessageId" = ${payload.id}) AS replayed,
      (SELECT json_agg(json_build_object('purpose', s.purpose, 'status', s.status)) FROM "ConsentState" s WHERE s."contactId" = c.id) AS "consentRows"
    FROM "Contact" c WHERE c.id = ${contactId}`;
  if (locked.replayed) return { outcome: "duplicate" };
  const { replayed: _replayed, consentRows, ...lockedContact } = locked;
  let contact: Contact = lockedContact;
  if (payload.from.line_type && contact.lineType !== payload.from.line_type) {
    contact = await tx.contact.update({ where: { id: contact.id }, data: { lineType: payload.from.line_type } });
  }

  const settings = await shopSettingsAsOf(tx, shopId, settingsUpdatedAt);
  let consentBefore = consentStatesOf(consentRows ?? []);
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

  const at = payload.received_at ? new Date(payload.received_at) : now;
  const { conversation, answeredId } = await conversationForInbound(tx, {
    shopId,
    contactId: contact.id,
    sendingNumberId: number.id,
    at,
    preview: text || "(media)",
    now,
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
      replyToMessageId: answeredId,
      createdAt: at,
    },
  });

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
