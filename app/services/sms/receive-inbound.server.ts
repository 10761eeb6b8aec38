import { queryRaw } from "~/db.server";
import type { ConsentEvent as DomainConsentEvent } from "~/domain/consent";
import { classifyInbound } from "~/domain/keywords";
import { keywordReply, type KeywordReplyKind } from "~/domain/keyword-replies";
import { normalizePhone } from "~/domain/phone";
import type { InboundMessagePayload } from "~/adapters/telnyx/events";
import { newId } from "~/db/ids.server";
import {
  type ConsentPurpose,
  type Contact,
  type Conversation,
  type Message,
  Prisma,
  type SendingNumber,
} from "~/generated/prisma/client.ts";
import { pendingHasExpired } from "~/domain/opt-in";
import { log } from "~/lib/log.server";
import { beginOptIn } from "~/services/opt-in/begin.server";
import { expirePending, loadOptInView } from "~/services/opt-in/pending.server";
import { queueWelcome } from "~/services/opt-in/welcome.server";
import { inboxNotice, writeWithNotices } from "~/services/realtime/notify.server";
import { consentStatesOf, type ContactKey, marketingBeforeLastOptOut, planConsentEvent } from "./consent.server";
import {
  contactLockedByPhone,
  conversationForInbound,
  type LatestConversation,
  latestForInbound,
  lockContactByPhone,
} from "./conversations.server";
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
      message: Pick<Message, "id" | "conversationId" | "createdAt">;
      keyword: ReturnType<typeof classifyInbound>["kind"];
      automate: boolean;
      /** Replies queued without a NOTIFY: the caller hands them over after commit (handOver, deliver.server.ts). */
      handOver: string[];
    }
  | { outcome: "duplicate" }
  | { outcome: "unknown_number"; to: string };

export async function receiveInboundSms(
  tx: Tx,
  eventId: string,
  payload: InboundMessagePayload,
  now = new Date(),
  // The caller hands the keyword reply to this process's delivery loop after commit (see InboundResult.handOver).
  options: { handOver?: boolean } = {},
): Promise<InboundResult> {
  const to = payload.to[0]?.phone_number ?? "";
  const parsedFrom = normalizePhone(payload.from.phone_number);
  const from = parsedFrom.ok ? parsedFrom.e164 : payload.from.phone_number;
  // The receiving number, whether this text is already stored (a replay), the version of the shop's settings and
  // the contact's lock, in one round trip. The lock comes before any write to the contact's row: every other writer
  // (a send's last look, a provider's 40300, the Shopify consent mark) takes the lock and then updates the row, so
  // updating it first here would deadlock with them.
  const [found] = await queryRaw<
    SendingNumber & { replayed: boolean; settingsUpdatedAt: Date | null; lockedContactId: string | null }
  >(
    tx,
    Prisma.sql`
    SELECT n.*, EXISTS (SELECT 1 FROM "Message" WHERE "providerMessageId" = ${payload.id}) AS replayed,
      (SELECT s."updatedAt" FROM "ShopSettings" s WHERE s."shopId" = n."shopId") AS "settingsUpdatedAt",
      contact.id AS "lockedContactId"
    FROM "SendingNumber" n LEFT JOIN LATERAL (${contactLockedByPhone(Prisma.raw(`n."shopId"`), from)}) contact ON true
    WHERE n."phoneE164" = ${to}`,
  );
  if (!found) return { outcome: "unknown_number", to };
  const { replayed, settingsUpdatedAt, lockedContactId, ...number } = found;
  const shopId = number.shopId;

  if (replayed) return { outcome: "duplicate" };

  // Creating a new contact locks nothing anyone else could hold.
  let contactId = lockedContactId;
  if (!contactId) {
    await tx.contact.createMany({
      data: [{ shopId, phoneE164: from, lineType: payload.from.line_type || null }],
      skipDuplicates: true,
    });
    contactId = await lockContactByPhone(tx, shopId, from);
    if (!contactId) throw new Error("the contact just created could not be found");
  }
  // Under the lock (a new statement, so it sees what committed while we waited): the contact, replayed meanwhile?,
  // consent, and the latest conversation.
  const [locked] = await queryRaw<
    Contact & {
      replayed: boolean;
      consentRows: { purpose: ConsentPurpose; status: string }[] | null;
      latestId: string | null;
      latestStatus: LatestConversation["status"] | null;
      latestAt: Date | null;
      answeredId: string | null;
    }
  >(
    tx,
    Prisma.sql`
    SELECT c.*, EXISTS (SELECT 1 FROM "Message" WHERE "providerMessageId" = ${payload.id}) AS replayed,
      (SELECT json_agg(json_build_object('purpose', s.purpose, 'status', s.status)) FROM "ConsentState" s WHERE s."contactId" = c.id) AS "consentRows",
      latest.id AS "latestId", latest.status AS "latestStatus", latest."lastMessageAt" AS "latestAt", latest."answeredId"
    FROM "Contact" c LEFT JOIN LATERAL (${latestForInbound(Prisma.raw(`c."shopId"`), Prisma.raw("c.id"))}) latest ON true
    WHERE c.id = ${contactId}`,
  );
  if (locked.replayed) return { outcome: "duplicate" };
  const { replayed: _replayed, consentRows, latestId, latestStatus, latestAt, answeredId, ...lockedContact } = locked;
  const latest: LatestConversation | null =
    latestId && latestStatus && latestAt
      ? { id: latestId, status: latestStatus, lastMessageAt: latestAt, answeredId }
      : null;
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
  const opened = conversationForInbound(latest, {
    shopId,
    contactId: contact.id,
    sendingNumberId: number.id,
    at,
    preview: text || "(media)",
    now,
  });
  const message = { id: newId(), createdAt: at, conversationId: opened.id };
  const media = (payload.media ?? []).map((m) => ({
    url: m.url,
    contentType: m.content_type ?? null,
    size: m.size ?? null,
  }));
  const consentEvent = await consentEventFor(tx, classification.kind, {
    shopId: contact.shopId,
    contactId: contact.id,
  });
  const consent = consentEvent
    ? await planConsentEvent(
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
        { current: consentBefore, conversationId: opened.id },
      )
    : null;
  // The conversation (found and touched, or opened), the text itself and what it does to consent, in one statement.
  const [conversation] = await writeWithNotices<Conversation>(
    tx,
    [
      opened.write,
      Prisma.sql`
        INSERT INTO "Message" (id, "shopId", "contactId", "conversationId", "sendingNumberId", direction, "authorKind", purpose,
          body, media, segments, encoding, status, "providerMessageId", carrier, "replyToMessageId", "createdAt", "updatedAt")
        VALUES (${message.id}, ${shopId}, ${contact.id}, ${opened.id}, ${number.id}, 'INBOUND', 'SHOPPER', 'CONVERSATIONAL',
          ${text}, ${JSON.stringify(media)}::jsonb, ${payload.parts ?? 1}, ${payload.encoding ?? "GSM-7"}, 'RECEIVED',
          ${payload.id}, ${payload.from.carrier ?? null}, ${opened.answeredId}, ${at}, ${new Date()})`,
      ...(consent?.writes ?? []),
    ],
    [
      ...(consent?.notices ?? []),
      inboxNotice({ shopId, conversationId: opened.id, messageId: message.id, kind: "message" }),
    ],
    Prisma.sql`SELECT w0.* FROM w0`,
  );

  let reply: KeywordReplyKind | null = classification.kind === "help" ? "help" : null;
  if (consent) {
    reply = consent.reply ?? reply;
    if (consent.changes.length > 0)
      log.info("consent changed by inbound text", { shopId, contactId: contact.id, changes: consent.changes });
    // The confirmed subscription's welcome (with a welcome code it waits for the Admin API, in a job).
    if (reply === "welcome" && consent.eventIds.marketing) {
      reply = null;
      await queueWelcome(tx, {
        contact,
        settings,
        consentEventId: consent.eventIds.marketing,
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

  const handOver: string[] = [];
  if (reply) {
    const { text: replyText } = keywordReply(reply, programOf(settings), keywordOverrides(settings)[reply]);
    const direct = options.handOver ?? false;
    const sent = await sendMessage(
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
      { tx, now, context: { contact, settings, conversation, number }, handOver: direct },
    );
    if (direct && sent.status === "queued") handOver.push(sent.message.id);
  }
  // Keywords are the engine's business; everything else is a conversation that automation and people answer.
  const automate = classification.kind === "none" && consentBefore.transactional !== "UNSUBSCRIBED";
  return {
    outcome: "stored",
    shopId,
    message,
    keyword: classification.kind,
    automate,
    handOver,
  };
}

async function consentEventFor(
  tx: Tx,
  kind: ReturnType<typeof classifyInbound>["kind"],
  contact: ContactKey,
): Promise<DomainConsentEvent | null> {
  switch (kind) {
    case "opt_out":
      return { type: "opt_out", source: "KEYWORD" };
    case "opt_in":
      return { type: "opt_in_keyword", marketingBeforeOptOut: await marketingBeforeLastOptOut(tx, contact) };
    case "confirm":
      return { type: "confirm" };
    case "help":
      return null;
    case "join": // the shopper wrote first (conversational replies); the marketing opt-in follows in the caller
    case "none":
      return { type: "inbound_message" };
  }
}
