import { prisma } from "~/db.server";
import type { ConsentStatus } from "~/domain/consent";
import type { ConsentSourceKey } from "~/domain/subscriber-query";
import { staffName } from "~/services/inbox/staff.server";

// One subscriber as a merchant (or a court) reads them: who, the consent per purpose now, and every consent event
// with all its evidence, newest first. A contact of another shop is not found, the same as an unknown id.

export type ConsentHistoryItem = {
  id: string;
  purpose: "MARKETING" | "TRANSACTIONAL";
  status: ConsentStatus;
  source: ConsentSourceKey;
  occurredAt: Date;
  recordedAt: Date;
  ipAddress: string | null;
  userAgent: string | null;
  pageUrl: string | null;
  disclosureText: string | null;
  disclosureVersion: string | null;
  shopifyCustomerId: string | null;
  keyword: string | null;
  confirmingMessageId: string | null;
  actor: { id: string; name: string } | null;
  note: string | null;
};

export type SubscriberDetail = {
  contact: {
    id: string;
    phoneE164: string;
    firstName: string | null;
    lastName: string | null;
    email: string | null;
    shopifyCustomerId: string | null;
    lineType: string | null;
    invalidAt: Date | null;
    createdAt: Date;
  };
  consent: Record<
    "marketing" | "transactional",
    { status: ConsentStatus; source: ConsentSourceKey | null; since: Date | null }
  >;
  history: ConsentHistoryItem[];
  latestConversationId: string | null;
};

const HISTORY_LIMIT = 500;

export async function loadSubscriber(shopId: string, contactId: string): Promise<SubscriberDetail | null> {
  const contact = await prisma.contact.findFirst({
    where: { id: contactId, shopId },
    select: {
      id: true,
      phoneE164: true,
      firstName: true,
      lastName: true,
      email: true,
      shopifyCustomerId: true,
      lineType: true,
      invalidAt: true,
      createdAt: true,
    },
  });
  if (!contact) return null;
  const [states, events, conversation] = await Promise.all([
    prisma.consentState.findMany({ where: { shopId, contactId } }),
    prisma.consentEvent.findMany({
      where: { shopId, contactId },
      orderBy: [{ occurredAt: "desc" }, { createdAt: "desc" }],
      take: HISTORY_LIMIT,
    }),
    prisma.conversation.findFirst({
      where: { shopId, contactId },
      orderBy: { lastMessageAt: "desc" },
      select: { id: true },
    }),
  ]);
  const actorIds = [...new Set(events.map((e) => e.actor).filter((id): id is string => Boolean(id)))];
  const staff = actorIds.length
    ? await prisma.staffMember.findMany({
        where: { shopId, id: { in: actorIds } },
        select: { id: true, firstName: true, lastName: true, email: true },
      })
    : [];
  const nameOf = new Map(staff.map((s) => [s.id, staffName(s)]));

  const stateOf = (purpose: "MARKETING" | "TRANSACTIONAL") => {
    const state = states.find((s) => s.purpose === purpose);
    if (!state) return { status: "NOT_SUBSCRIBED" as const, source: null, since: null };
    const event = events.find((e) => e.id === state.lastEventId);
    return { status: state.status, source: state.source, since: event?.occurredAt ?? state.updatedAt };
  };

  return {
    contact,
    consent: { marketing: stateOf("MARKETING"), transactional: stateOf("TRANSACTIONAL") },
    history: events.map((e) => ({
      id: e.id,
      purpose: e.purpose,
      status: e.status,
      source: e.source,
      occurredAt: e.occurredAt,
      recordedAt: e.createdAt,
      ipAddress: e.ipAddress,
      userAgent: e.userAgent,
      pageUrl: e.pageUrl,
      disclosureText: e.disclosureText,
      disclosureVersion: e.disclosureVersion,
      shopifyCustomerId: e.shopifyCustomerId,
      keyword: e.keyword,
      confirmingMessageId: e.confirmingMessageId,
      // A staff member who has since left keeps their id on the record; the page says so.
      actor: e.actor ? { id: e.actor, name: nameOf.get(e.actor) ?? "Former staff member" } : null,
      note: e.note,
    })),
    latestConversationId: conversation?.id ?? null,
  };
}
