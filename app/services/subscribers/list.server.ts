import { prisma, queryRaw } from "~/db.server";
import type { ConsentStatus } from "~/domain/consent";
import { searchTerms } from "~/domain/inbox-query";
import {
  type ConsentSourceKey,
  type SubscriberCursor,
  type SubscriberTab,
  TAB_STATUS,
} from "~/domain/subscriber-query";
import { Prisma } from "~/generated/prisma/client.ts";
import { contactMatchesSql } from "~/services/contact-search.server";

// The Subscribers list and its export read the same rows: a shop's contacts, newest first, with the current consent
// per purpose and the event that produced the marketing state (its evidence goes into the export). Keyset
// pagination on (createdAt, id), so page 500 costs what page 1 does, and the export walks the same keys in batches.
// Every statement names the shop; the trigram indexes a search uses span all shops.

export type SubscriberFilter = {
  shopId: string;
  tab: SubscriberTab;
  source?: ConsentSourceKey | null;
  q?: string;
  cursor?: SubscriberCursor | null;
};

export type SubscriberRow = {
  id: string;
  phoneE164: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  createdAt: Date;
  marketing: ConsentStatus;
  marketingSource: ConsentSourceKey | null;
  marketingAt: Date | null; // when the current marketing state was recorded
  transactional: ConsentStatus;
  transactionalSource: ConsentSourceKey | null;
  lastMessageAt: Date | null;
};

/** The marketing event behind the current state, with everything it proves. */
export type SubscriberEvidence = {
  ipAddress: string | null;
  userAgent: string | null;
  pageUrl: string | null;
  disclosureText: string | null;
  disclosureVersion: string | null;
  keyword: string | null;
  confirmingMessageId: string | null;
  actor: string | null; // the staff member's name (admin changes)
  note: string | null;
};

export type SubscriberPage = { rows: SubscriberRow[]; nextCursor: SubscriberCursor | null };

export const PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 1000;

// A staff member's id means nothing outside Parley: the export names them.
const EVIDENCE_COLUMNS = Prisma.sql`, me."ipAddress", me."userAgent", me."pageUrl", me."disclosureText",
  me."disclosureVersion", me.keyword, me."confirmingMessageId", me.note,
  COALESCE(NULLIF(trim(concat_ws(' ', sm."firstName", sm."lastName")), ''), sm.email, me.actor) AS actor`;

/** One page (limit + 1 rows) of the filter, with the evidence columns when `evidence` is set (the export). */
export function subscriberPageSql(filter: SubscriberFilter, limit: number, evidence = false): Prisma.Sql {
  const status = TAB_STATUS[filter.tab];
  const terms = searchTerms(filter.q ?? "");
  const conditions: Prisma.Sql[] = [Prisma.sql`ct."shopId" = ${filter.shopId}`];
  if (status) conditions.push(Prisma.sql`mk.status = CAST(${status} AS "ConsentStatus")`);
  if (filter.source) {
    conditions.push(Prisma.sql`COALESCE(mk.source, tr.source) = CAST(${filter.source} AS "ConsentSource")`);
  }
  if (terms.kind !== "none") conditions.push(contactMatchesSql(terms));
  if (filter.cursor) {
    conditions.push(Prisma.sql`(ct."createdAt", ct.id) < (${filter.cursor.createdAt}, ${filter.cursor.id})`);
  }
  return Prisma.sql`
    SELECT ct.id, ct."phoneE164", ct."firstName", ct."lastName", ct.email, ct."createdAt",
      COALESCE(mk.status::text, 'NOT_SUBSCRIBED') AS marketing, mk.source::text AS "marketingSource",
      me."occurredAt" AS "marketingAt",
      COALESCE(tr.status::text, 'NOT_SUBSCRIBED') AS transactional, tr.source::text AS "transactionalSource",
      (SELECT max(cv."lastMessageAt") FROM "Conversation" cv
        WHERE cv."shopId" = ${filter.shopId} AND cv."contactId" = ct.id) AS "lastMessageAt"
      ${evidence ? EVIDENCE_COLUMNS : Prisma.empty}
    FROM "Contact" ct
    LEFT JOIN "ConsentState" mk ON mk."contactId" = ct.id AND mk.purpose = 'MARKETING' AND mk."shopId" = ${filter.shopId}
    LEFT JOIN "ConsentEvent" me ON me.id = mk."lastEventId" AND me."shopId" = ${filter.shopId}
    LEFT JOIN "ConsentState" tr ON tr."contactId" = ct.id AND tr.purpose = 'TRANSACTIONAL' AND tr."shopId" = ${filter.shopId}
    ${evidence ? Prisma.sql`LEFT JOIN "StaffMember" sm ON sm.id = me.actor AND sm."shopId" = ${filter.shopId}` : Prisma.empty}
    WHERE ${Prisma.join(conditions, " AND ")}
    ORDER BY ct."createdAt" DESC, ct.id DESC
    LIMIT ${limit + 1}`;
}

function pageOf<T extends SubscriberRow>(raw: T[], limit: number): { rows: T[]; nextCursor: SubscriberCursor | null } {
  const rows = raw.slice(0, limit);
  const last = rows.at(-1);
  return {
    rows,
    nextCursor: raw.length > limit && last ? { createdAt: new Date(last.createdAt), id: last.id } : null,
  };
}

export async function listSubscribers(filter: SubscriberFilter, limit = PAGE_SIZE): Promise<SubscriberPage> {
  const size = Math.min(Math.max(1, Math.floor(limit)), MAX_PAGE_SIZE);
  return pageOf(await queryRaw<SubscriberRow>(prisma, subscriberPageSql(filter, size)), size);
}

/** A page with the evidence of each row's marketing state: what the export writes. */
export async function listSubscribersWithEvidence(
  filter: SubscriberFilter,
  limit: number,
): Promise<{ rows: (SubscriberRow & SubscriberEvidence)[]; nextCursor: SubscriberCursor | null }> {
  const size = Math.min(Math.max(1, Math.floor(limit)), MAX_PAGE_SIZE);
  return pageOf(
    await queryRaw<SubscriberRow & SubscriberEvidence>(prisma, subscriberPageSql(filter, size, true)),
    size,
  );
}

export type SubscriberCounts = { all: number; subscribed: number; pending: number; unsubscribed: number };

/** The summary at the top: index-only counts over ConsentState's (shopId, purpose, status) index. */
export async function countSubscribers(shopId: string): Promise<SubscriberCounts> {
  const [row] = await queryRaw<SubscriberCounts>(
    prisma,
    Prisma.sql`
    SELECT
      (SELECT count(*)::int FROM "Contact" WHERE "shopId" = ${shopId}) AS "all",
      (SELECT count(*)::int FROM "ConsentState"
        WHERE "shopId" = ${shopId} AND purpose = 'MARKETING' AND status = 'SUBSCRIBED') AS subscribed,
      (SELECT count(*)::int FROM "ConsentState"
        WHERE "shopId" = ${shopId} AND purpose = 'MARKETING' AND status = 'PENDING') AS pending,
      (SELECT count(*)::int FROM "ConsentState"
        WHERE "shopId" = ${shopId} AND purpose = 'MARKETING' AND status = 'UNSUBSCRIBED') AS unsubscribed`,
  );
  return row;
}
