import { z } from "zod";
import type { ConversationEventInput } from "~/domain/conversation-events";
import { renderReplyVariables, replyProblems, ReplyVariablesSchema } from "~/domain/reply-variables";
import { prisma, queryRaw, transaction } from "~/db.server";
import { type ConversationStatus, Prisma } from "~/generated/prisma/client.ts";
import { notifyInbox } from "~/services/realtime/notify.server";
import { sendMessage, type SendOutcome } from "~/services/sms/send-message.server";
import { recordConversationEvent } from "./conversation-events.server";
import { staffName, type StaffRef } from "./staff.server";
import { InboxNotFoundError } from "./thread.server";

// What staff do to a conversation. Every action first finds the conversation by id *and* shop, so a foreign id is
// the same 404 as an unknown one and writes nothing; then it changes the row, records what happened on the
// timeline (ConversationEvent) and tells open inbox pages (NOTIFY, delivered on commit), all in one transaction.

export { recordConversationEvent };

type Tx = Prisma.TransactionClient;

/** The acting staff member; null when the request carried no online session (an offline token). */
export type Actor = Pick<StaffRef, "id"> | null;

/** Input the action cannot accept (a past snooze time, an empty note…): a 400 with the field's message. */
export class InboxInputError extends Error {
  readonly code = "invalid_input";
  constructor(readonly fieldErrors: Record<string, string>) {
    super(Object.values(fieldErrors).join(" "));
    this.name = "InboxInputError";
  }
}

type LockedConversation = {
  id: string;
  contactId: string;
  status: ConversationStatus;
  assigneeId: string | null;
  tags: string[];
  unreadCount: number;
};

/**
 * Runs `fn` with the shop's conversation locked (FOR UPDATE: two staff tagging at once both land). Throws
 * InboxNotFoundError before anything is written when the id is unknown or another shop's.
 */
async function withConversation<T>(
  shopId: string,
  conversationId: string,
  fn: (tx: Tx, conversation: LockedConversation) => Promise<T>,
): Promise<T> {
  return transaction(async (tx) => {
    const [conversation] = await queryRaw<LockedConversation>(
      tx,
      Prisma.sql`
      SELECT id, "contactId", status, "assigneeId", tags, "unreadCount" FROM "Conversation"
      WHERE id = ${conversationId} AND "shopId" = ${shopId} FOR UPDATE`,
    );
    if (!conversation) throw new InboxNotFoundError("conversation");
    return fn(tx, conversation);
  });
}

const staffEvent = (shopId: string, conversationId: string, actor: Actor, event: ConversationEventInput) => ({
  shopId,
  conversationId,
  event,
  actorKind: "STAFF" as const,
  actorStaffId: actor?.id ?? null,
});

export type ActionResult = { changed: boolean };

export async function assign(
  shopId: string,
  actor: Actor,
  conversationId: string,
  input: { staffId: string | null },
): Promise<ActionResult> {
  return withConversation(shopId, conversationId, async (tx, conversation) => {
    const assignee = input.staffId
      ? await tx.staffMember.findFirst({
          where: { id: input.staffId, shopId },
          select: { id: true, firstName: true, lastName: true, email: true },
        })
      : null;
    if (input.staffId && !assignee) throw new InboxNotFoundError("staff");
    if ((assignee?.id ?? null) === conversation.assigneeId) return { changed: false };
    await tx.conversation.update({ where: { id: conversation.id }, data: { assigneeId: assignee?.id ?? null } });
    await recordConversationEvent(
      tx,
      staffEvent(
        shopId,
        conversation.id,
        actor,
        assignee
          ? { kind: "assigned", data: { toStaffId: assignee.id, toName: staffName(assignee) } }
          : { kind: "unassigned", data: { fromStaffId: conversation.assigneeId } },
      ),
    );
    return { changed: true };
  });
}

export async function close(shopId: string, actor: Actor, conversationId: string, now = new Date()) {
  return withConversation(shopId, conversationId, async (tx, conversation): Promise<ActionResult> => {
    if (conversation.status === "CLOSED") return { changed: false };
    await tx.conversation.update({
      where: { id: conversation.id },
      data: { status: "CLOSED", closedAt: now, snoozedUntil: null },
    });
    await recordConversationEvent(tx, staffEvent(shopId, conversation.id, actor, { kind: "closed", data: {} }));
    return { changed: true };
  });
}

export async function reopen(shopId: string, actor: Actor, conversationId: string) {
  return withConversation(shopId, conversationId, async (tx, conversation): Promise<ActionResult> => {
    if (conversation.status === "OPEN") return { changed: false };
    await tx.conversation.update({
      where: { id: conversation.id },
      data: { status: "OPEN", closedAt: null, snoozedUntil: null },
    });
    await recordConversationEvent(tx, staffEvent(shopId, conversation.id, actor, { kind: "reopened", data: {} }));
    return { changed: true };
  });
}

export async function snooze(
  shopId: string,
  actor: Actor,
  conversationId: string,
  input: { until: Date },
  now = new Date(),
): Promise<ActionResult> {
  return withConversation(shopId, conversationId, async (tx, conversation) => {
    if (!(input.until.getTime() > now.getTime())) throw new InboxInputError({ until: "Choose a time in the future." });
    await tx.conversation.update({
      where: { id: conversation.id },
      data: { status: "SNOOZED", snoozedUntil: input.until, closedAt: null },
    });
    await recordConversationEvent(
      tx,
      staffEvent(shopId, conversation.id, actor, { kind: "snoozed", data: { until: input.until.toISOString() } }),
    );
    return { changed: true };
  });
}

/** "  VIP   Customer " → "vip customer": tags compare case-insensitively and read the same everywhere. */
export function normalizeTag(raw: string): string {
  return raw.normalize("NFKC").trim().replace(/\s+/g, " ").toLowerCase().slice(0, 40);
}

const MAX_TAGS = 20;

export async function addTag(shopId: string, actor: Actor, conversationId: string, input: { tag: string }) {
  const tag = normalizeTag(input.tag);
  if (!tag) throw new InboxInputError({ tag: "Enter a tag." });
  return withConversation(shopId, conversationId, async (tx, conversation): Promise<ActionResult> => {
    if (conversation.tags.includes(tag)) return { changed: false };
    if (conversation.tags.length >= MAX_TAGS)
      throw new InboxInputError({ tag: `A conversation can have at most ${MAX_TAGS} tags.` });
    await tx.conversation.update({ where: { id: conversation.id }, data: { tags: [...conversation.tags, tag] } });
    await recordConversationEvent(tx, staffEvent(shopId, conversation.id, actor, { kind: "tagged", data: { tag } }));
    return { changed: true };
  });
}

export async function removeTag(shopId: string, actor: Actor, conversationId: string, input: { tag: string }) {
  const tag = normalizeTag(input.tag);
  return withConversation(shopId, conversationId, async (tx, conversation): Promise<ActionResult> => {
    if (!conversation.tags.includes(tag)) return { changed: false };
    await tx.conversation.update({
      where: { id: conversation.id },
      data: { tags: conversation.tags.filter((t) => t !== tag) },
    });
    await recordConversationEvent(tx, staffEvent(shopId, conversation.id, actor, { kind: "untagged", data: { tag } }));
    return { changed: true };
  });
}

export async function markUnread(shopId: string, actor: Actor, conversationId: string): Promise<ActionResult> {
  return withConversation(shopId, conversationId, async (tx, conversation) => {
    if (conversation.unreadCount > 0) return { changed: false };
    await tx.conversation.update({ where: { id: conversation.id }, data: { unreadCount: 1 } });
    await recordConversationEvent(tx, staffEvent(shopId, conversation.id, actor, { kind: "marked_unread", data: {} }));
    return { changed: true };
  });
}

/**
 * Opening a thread reads it. No timeline event (it would fill every thread), and no write at all when there is
 * nothing unread — opening a page must not notify the inbox, which would revalidate that same page.
 */
export async function markRead(shopId: string, _actor: Actor, conversationId: string, now = new Date()) {
  const updated = await transaction(async (tx) => {
    const result = await tx.conversation.updateMany({
      where: { id: conversationId, shopId, unreadCount: { gt: 0 } },
      data: { unreadCount: 0, lastReadAt: now },
    });
    if (result.count > 0) await notifyInbox(tx, { shopId, conversationId, kind: "conversation" });
    return result.count;
  });
  if (updated === 0) {
    const exists = await prisma.conversation.findFirst({ where: { id: conversationId, shopId }, select: { id: true } });
    if (!exists) throw new InboxNotFoundError("conversation");
  }
  return { changed: updated > 0 };
}

export const NOTE_MAX = 2000;

export async function addNote(shopId: string, actor: Actor, conversationId: string, input: { body: string }) {
  const body = input.body.trim();
  if (!body) throw new InboxInputError({ body: "Write the note first." });
  if (body.length > NOTE_MAX) throw new InboxInputError({ body: `Keep notes under ${NOTE_MAX} characters.` });
  return withConversation(shopId, conversationId, async (tx, conversation) => {
    const note = await tx.note.create({
      data: { shopId, conversationId: conversation.id, authorId: actor?.id ?? null, body },
      select: { id: true },
    });
    await notifyInbox(tx, { shopId, conversationId: conversation.id, kind: "conversation" });
    return { changed: true, noteId: note.id };
  });
}

// ─── Replies ──────────────────────────────────────────────────────────────────────────────────────

export const REPLY_MAX = 1600; // ten GSM-7 segments: past that it is a letter, not a text

export const SendReplyInputSchema = z.object({
  body: z.string().trim().min(1, "Write a reply first.").max(REPLY_MAX, `Keep replies under ${REPLY_MAX} characters.`),
  // A fresh id per draft, from the composer: the same draft submitted twice (double click, retry) sends once.
  draftId: z
    .string()
    .min(8)
    .max(100)
    .regex(/^[\w-]+$/, "Invalid draft id."),
  variables: ReplyVariablesSchema.default({}),
});
export type SendReplyInput = z.input<typeof SendReplyInputSchema>;

export type ReplyOutcome = {
  status: "queued" | "held" | "refused" | "duplicate";
  messageId: string;
  /** What happened, in plain words, for the banner and the toast. */
  text: string;
  tone: "success" | "warning" | "critical" | "info";
};

const whenFormat = (timeZone: string) =>
  new Intl.DateTimeFormat("en-US", {
    timeZone,
    weekday: "short",
    hour: "numeric",
    minute: "2-digit",
    timeZoneName: "short",
  });

/** The engine's answer as staff should read it. */
export function describeSendOutcome(outcome: SendOutcome, timeZone: string): ReplyOutcome {
  const messageId = outcome.message.id;
  switch (outcome.status) {
    case "queued":
      return { status: "queued", messageId, text: "Reply queued: it goes out in a moment.", tone: "success" };
    case "held":
      return {
        status: "held",
        messageId,
        text: `Held for quiet hours: it goes out ${whenFormat(timeZone).format(outcome.releaseAt)}.`,
        tone: "warning",
      };
    case "refused":
      return {
        status: "refused",
        messageId,
        text: outcome.message.errorReason ?? "Not sent.",
        tone: "critical",
      };
    case "duplicate":
      return {
        status: "duplicate",
        messageId,
        text: "This reply was already sent once; it was not sent again.",
        tone: "info",
      };
  }
}

/**
 * A staff reply through the engine's one send path (consent, quiet hours, rendering, segments). Reply variables
 * are filled first; a reply that would show a shopper `{tracking_url}` is refused here with what is missing.
 * The reply also pauses automation on the thread: a person has taken over.
 */
export async function sendReply(
  shopId: string,
  actor: Actor,
  conversationId: string,
  rawInput: SendReplyInput,
  options: { now?: Date; timeZone?: string } = {},
): Promise<ReplyOutcome> {
  const parsed = SendReplyInputSchema.safeParse(rawInput);
  if (!parsed.success)
    throw new InboxInputError(
      Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0] ?? "body"), i.message])),
    );
  const input = parsed.data;
  const now = options.now ?? new Date();

  // Not locked: sendMessage takes the contact's lock and then touches the conversation, the same order as an
  // inbound text; locking the conversation first could deadlock with one.
  const conversation = await prisma.conversation.findFirst({
    where: { id: conversationId, shopId },
    select: { id: true, contactId: true, contact: { select: { firstName: true } } },
  });
  if (!conversation) throw new InboxNotFoundError("conversation");

  const rendered = renderReplyVariables(input.body, {
    first_name: conversation.contact.firstName ?? undefined,
    ...input.variables,
  });
  const problem = replyProblems(rendered);
  if (problem) throw new InboxInputError({ body: problem });

  const outcome = await transaction(
    async (tx) => {
      const result = await sendMessage(
        {
          shopId,
          contactId: conversation.contactId,
          conversationId: conversation.id,
          purpose: "CONVERSATIONAL",
          authorKind: "STAFF",
          authorStaffId: actor?.id ?? null,
          body: rendered.text,
          idempotencyKey: `staff-reply:${conversation.id}:${input.draftId}`,
        },
        { tx, now },
      );
      if (result.status !== "refused")
        await tx.conversation.updateMany({
          where: { id: conversation.id, shopId, automationPaused: false },
          data: { automationPaused: true },
        });
      return result;
    },
    { timeout: 20_000 },
  );
  return describeSendOutcome(outcome, options.timeZone ?? "UTC");
}
