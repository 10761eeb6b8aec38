import { formatPhone } from "~/domain/phone";
import { consentStatesOf } from "~/services/sms/consent.server";
import type { ConsentStates } from "~/domain/consent";
import { describeEvent, type StoredConversationEvent } from "~/domain/conversation-events";
import { describeFlowStep } from "~/domain/flows/timeline";
import { prisma } from "~/db.server";
import type { AuthorKind, ConversationStatus, MessageStatus } from "~/generated/prisma/client.ts";
import { staffName } from "./staff.server";

// One conversation as staff read it: who the shopper is and where the thread stands, then everything that
// happened — messages, internal notes, timeline events, discounts issued — in one list ordered by time, newest
// page first ("Load older" asks for the page before a time). Every query is served by a (conversationId,
// createdAt) index or a primary key, and selects only what the page renders.

/** An id that is unknown, or belongs to another shop: the same answer for both (a 404), nothing revealed. */
export class InboxNotFoundError extends Error {
  readonly code = "not_found";
  constructor(readonly what: "conversation" | "staff" | "saved_reply") {
    super(`${what.replace("_", " ")} not found`);
    this.name = "InboxNotFoundError";
  }
}

export type ThreadHeader = {
  id: string;
  status: ConversationStatus;
  tags: string[];
  snoozedUntil: Date | null;
  unreadCount: number;
  lastReadAt: Date | null;
  automationPaused: boolean;
  assignee: { id: string; name: string } | null;
  contact: {
    id: string;
    firstName: string | null;
    name: string; // the shopper's name, or their formatted phone number
    phone: string; // formatted for reading
    phoneE164: string;
    email: string | null;
    shopifyCustomerId: string | null;
  };
  consent: ConsentStates;
};

export type MessageAuthor = { kind: AuthorKind; name: string };
export type ThreadMedia = { url: string; contentType: string | null };

export type TimelineItem =
  | {
      type: "message";
      id: string;
      at: Date;
      direction: "INBOUND" | "OUTBOUND";
      author: MessageAuthor;
      body: string;
      media: ThreadMedia[];
      status: MessageStatus;
      /** Why it failed, was refused or cancelled, in words; null when it did not. */
      failure: string | null;
      holdUntil: Date | null;
      sentAt: Date | null;
      deliveredAt: Date | null;
      segments: number;
      encoding: string;
    }
  | { type: "note"; id: string; at: Date; authorName: string; body: string }
  | { type: "event"; id: string; at: Date; kind: string; text: string }
  | { type: "discount"; id: string; at: Date; code: string; text: string };

export type Thread = {
  conversation: ThreadHeader;
  /** Oldest first. */
  items: TimelineItem[];
  /** Pass as `before` to load the page before this one; null when this page reaches the start. */
  olderCursor: Date | null;
};

export type LoadThreadInput = {
  shopId: string;
  conversationId: string;
  before?: Date | null;
  limit?: number;
  /** The shop's zone, for times written into event text ("Snoozed until Tue 9:00 AM"). */
  timeZone?: string;
};

const AUTHOR_NAMES: Record<Exclude<AuthorKind, "SHOPPER" | "STAFF">, string> = {
  AI: "AI",
  AUTOMATION: "Automation",
  SYSTEM: "Automatic reply",
};

// Same instant: the shopper's text before the reply it caused, before the note about it, before system lines.
const TYPE_ORDER: Record<TimelineItem["type"], number> = { message: 0, note: 1, discount: 2, event: 3 };

function mediaOf(value: unknown): ThreadMedia[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((m) =>
    m && typeof m === "object" && typeof (m as { url?: unknown }).url === "string"
      ? [
          {
            url: (m as { url: string }).url,
            contentType: String((m as { contentType?: unknown }).contentType ?? "") || null,
          },
        ]
      : [],
  );
}

function failureOf(m: { status: MessageStatus; errorReason: string | null; errorCode: string | null }): string | null {
  if (m.status !== "FAILED" && m.status !== "REFUSED" && m.status !== "CANCELLED") return null;
  if (m.errorReason) return m.errorReason;
  if (m.errorCode) return `Error ${m.errorCode}`;
  return m.status === "FAILED" ? "The carrier gave no reason." : null;
}

export async function loadThread(input: LoadThreadInput): Promise<Thread | null> {
  const { shopId, conversationId } = input;
  const limit = Math.min(Math.max(input.limit ?? 50, 1), 200);
  const before = input.before ?? null;
  const createdAt = before ? { lt: before } : undefined;

  const conversation = await prisma.conversation.findFirst({
    where: { id: conversationId, shopId },
    select: {
      id: true,
      status: true,
      tags: true,
      snoozedUntil: true,
      unreadCount: true,
      lastReadAt: true,
      automationPaused: true,
      assigneeId: true,
      contact: {
        select: {
          id: true,
          firstName: true,
          lastName: true,
          email: true,
          phoneE164: true,
          shopifyCustomerId: true,
          consentStates: { select: { purpose: true, status: true } },
        },
      },
    },
  });
  if (!conversation) return null;
  const contact = conversation.contact;

  // Each source's newest `limit + 1` before the cursor: enough to fill the page and to know whether more exist.
  const [messages, notes, events, discounts, flowSteps] = await Promise.all([
    prisma.message.findMany({
      where: { conversationId, shopId, createdAt },
      orderBy: { createdAt: "desc" },
      take: limit + 1,
      select: {
        id: true,
        createdAt: true,
        direction: true,
        authorKind: true,
        authorStaffId: true,
        body: true,
        media: true,
        status: true,
        errorCode: true,
        errorReason: true,
        holdUntil: true,
        sentAt: true,
        deliveredAt: true,
        segments: true,
        encoding: true,
      },
    }),
    prisma.note.findMany({
      where: { conversationId, shopId, createdAt },
      orderBy: { createdAt: "desc" },
      take: limit + 1,
      select: { id: true, createdAt: true, authorId: true, body: true },
    }),
    prisma.conversationEvent.findMany({
      where: { conversationId, shopId, createdAt },
      orderBy: { createdAt: "desc" },
      take: limit + 1,
      select: { id: true, createdAt: true, kind: true, data: true, actorKind: true, actorStaffId: true },
    }),
    // No conversation index on discounts: the contact's (few) discounts through (shopId, contactId).
    prisma.discountIssued.findMany({
      where: { shopId, contactId: contact.id, conversationId, createdAt },
      orderBy: { createdAt: "desc" },
      take: limit + 1,
      select: { id: true, createdAt: true, code: true },
    }),
    // Flow runs' steps in this conversation ("Abandoned-cart flow: waiting 1 h"); events a machine ignored are
    // not steps (they have no summary).
    prisma.flowTransition.findMany({
      where: { shopId, createdAt, run: { shopId, conversationId }, summary: { not: "" } },
      orderBy: { createdAt: "desc" },
      take: limit + 1,
      select: { id: true, createdAt: true, summary: true, run: { select: { kind: true } } },
    }),
  ]);

  const staffIds = new Set<string>();
  if (conversation.assigneeId) staffIds.add(conversation.assigneeId);
  for (const m of messages) if (m.authorStaffId) staffIds.add(m.authorStaffId);
  for (const n of notes) if (n.authorId) staffIds.add(n.authorId);
  for (const e of events) {
    if (e.actorStaffId) staffIds.add(e.actorStaffId);
    const to = (e.data as { toStaffId?: unknown } | null)?.toStaffId;
    if (typeof to === "string") staffIds.add(to);
  }
  const staff =
    staffIds.size === 0
      ? []
      : await prisma.staffMember.findMany({
          where: { shopId, id: { in: [...staffIds] } },
          select: { id: true, firstName: true, lastName: true, email: true },
        });
  const staffNames: Record<string, string> = Object.fromEntries(staff.map((s) => [s.id, staffName(s)]));

  const phone = formatPhone(contact.phoneE164);
  const shopperName = [contact.firstName, contact.lastName].filter(Boolean).join(" ").trim() || phone;

  const merged: TimelineItem[] = [
    ...messages.map((m): TimelineItem => ({
      type: "message",
      id: m.id,
      at: m.createdAt,
      direction: m.direction,
      author: {
        kind: m.authorKind,
        name:
          m.authorKind === "SHOPPER"
            ? shopperName
            : m.authorKind === "STAFF"
              ? ((m.authorStaffId && staffNames[m.authorStaffId]) ?? "Staff")
              : AUTHOR_NAMES[m.authorKind],
      },
      body: m.body,
      media: mediaOf(m.media),
      status: m.status,
      failure: failureOf(m),
      holdUntil: m.status === "HELD" ? m.holdUntil : null,
      sentAt: m.sentAt,
      deliveredAt: m.deliveredAt,
      segments: m.segments,
      encoding: m.encoding,
    })),
    ...notes.map((n): TimelineItem => ({
      type: "note",
      id: n.id,
      at: n.createdAt,
      authorName: (n.authorId && staffNames[n.authorId]) || "Staff",
      body: n.body,
    })),
    ...events.map((e): TimelineItem => ({
      type: "event",
      id: e.id,
      at: e.createdAt,
      kind: e.kind,
      text: describeEvent(e as StoredConversationEvent, staffNames, { timeZone: input.timeZone }),
    })),
    ...flowSteps.map((t): TimelineItem => ({
      type: "event",
      id: t.id,
      at: t.createdAt,
      kind: "flow_step",
      text: describeFlowStep(t.run.kind, t.summary),
    })),
    ...discounts.map((d): TimelineItem => ({
      type: "discount",
      id: d.id,
      at: d.createdAt,
      code: d.code,
      text: `Discount ${d.code} created`,
    })),
  ];
  // Newest first to cut the page…
  merged.sort((a, b) => b.at.getTime() - a.at.getTime() || TYPE_ORDER[b.type] - TYPE_ORDER[a.type]);
  let end = Math.min(limit, merged.length);
  // …keeping everything at the cut's instant together: the next page starts strictly before it.
  while (end > 0 && end < merged.length && merged[end].at.getTime() === merged[end - 1].at.getTime()) end++;
  const page = merged.slice(0, end);
  const olderCursor = end < merged.length ? page[page.length - 1].at : null;

  return {
    conversation: {
      id: conversation.id,
      status: conversation.status,
      tags: conversation.tags,
      snoozedUntil: conversation.snoozedUntil,
      unreadCount: conversation.unreadCount,
      lastReadAt: conversation.lastReadAt,
      automationPaused: conversation.automationPaused,
      assignee: conversation.assigneeId
        ? { id: conversation.assigneeId, name: staffNames[conversation.assigneeId] ?? "Staff member" }
        : null,
      contact: {
        id: contact.id,
        firstName: contact.firstName,
        name: shopperName,
        phone,
        phoneE164: contact.phoneE164,
        email: contact.email,
        shopifyCustomerId: contact.shopifyCustomerId,
      },
      consent: consentStatesOf(contact.consentStates),
    },
    items: page.reverse(),
    olderCursor,
  };
}

/** The shop's time zone (Settings), in which staff read every time on the page. */
export async function shopTimeZone(shopId: string): Promise<string> {
  const settings = await prisma.shopSettings.findUnique({ where: { shopId }, select: { timeZone: true } });
  return settings?.timeZone ?? "America/New_York";
}
