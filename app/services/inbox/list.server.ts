import { formatPhone } from "~/domain/phone";
import { prisma, queryRaw } from "~/db.server";
import type { ConsentStates } from "~/domain/consent";
import {
  type ConsentBadge,
  consentBadge,
  containsPattern,
  type InboxCursor,
  type InboxView,
  searchTerms,
  type SearchTerms,
} from "~/domain/inbox-query";
import { Prisma } from "~/generated/prisma/client.ts";
import { contactMatchesSql } from "~/services/contact-search.server";
import { staffName } from "./staff.server";

// The inbox list: one page of a shop's conversations for a view and a search, newest activity first, with keyset
// pagination on (lastMessageAt, id). Raw SQL because the plan matters more than the convenience:
// - each view is a set of "arms" with equality conditions only, so every arm walks one of Conversation's
//   (shopId, [assigneeId,] status, lastMessageAt DESC) indexes in order and stops after `limit + 1` rows; views
//   spanning several statuses (pending = PENDING | SNOOZED, mine = not closed) are a UNION ALL of arms merged by a
//   small sort, never a sort of the whole view;
// - a search first finds the matching conversations through the trigram GIN indexes (contact name, e-mail and phone;
//   message text) and only then orders them, so no query reads Message row by row.
// Every statement names the shop: the trigram indexes span all shops, the shop filter is applied to what they find.

export type InboxRow = {
  id: string;
  contact: { id: string; displayName: string; phone: string; hasName: boolean };
  preview: string;
  lastMessageAt: Date;
  lastInboundAt: Date | null;
  assignee: { id: string; name: string } | null;
  status: "OPEN" | "PENDING" | "SNOOZED" | "CLOSED";
  unreadCount: number;
  snoozedUntil: Date | null;
  tags: string[];
  consent: ConsentBadge;
};

export type InboxPage = { rows: InboxRow[]; hasNext: boolean; nextCursor: InboxCursor | null };

export type ListConversationsInput = {
  shopId: string;
  /** The signed-in staff member (the "mine" view); null when unknown, and then "mine" is empty. */
  staffMemberId: string | null;
  view: InboxView;
  q?: string;
  cursor?: InboxCursor | null;
  limit?: number;
};

export const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 100;

type Arm = Prisma.Sql;

/** The conditions, each served by one index in lastMessageAt order, whose union is the view. */
function viewArms(view: InboxView, staffMemberId: string | null): Arm[] | null {
  switch (view) {
    case "open":
      return [Prisma.sql`c.status = 'OPEN'`];
    case "unassigned":
      return [Prisma.sql`c.status = 'OPEN' AND c."assigneeId" IS NULL`];
    case "mine":
      if (!staffMemberId) return null;
      return (["OPEN", "PENDING", "SNOOZED"] as const).map(
        (status) =>
          Prisma.sql`c."assigneeId" = ${staffMemberId} AND c.status = CAST(${status} AS "ConversationStatus")`,
      );
    case "pending":
      return [Prisma.sql`c.status = 'PENDING'`, Prisma.sql`c.status = 'SNOOZED'`];
    case "closed":
      return [Prisma.sql`c.status = 'CLOSED'`];
    case "all":
      return [Prisma.sql`TRUE`];
  }
}

function afterCursor(cursor: InboxCursor | null | undefined): Prisma.Sql {
  if (!cursor) return Prisma.empty;
  // The first half is an index condition; the second breaks ties between equal timestamps on id.
  return Prisma.sql`AND c."lastMessageAt" <= ${cursor.lastMessageAt}
    AND (c."lastMessageAt" < ${cursor.lastMessageAt} OR c.id < ${cursor.id})`;
}

type Terms = Exclude<SearchTerms, { kind: "none" }>;

/**
 * Ids of the shop's conversations that match a search, found through the trigram indexes: the cost follows the
 * number of matching contacts and messages, whatever their age. A conversation matches when its contact does or
 * when any of its messages contains the phrase (phone searches look at the contact only).
 */
function matchingConversations(shopId: string, terms: Terms): Prisma.Sql {
  // LATERAL … OFFSET 0: one (shopId, contactId) index probe per matching contact. Left to itself the planner
  // prefers hashing every conversation of the shop once a few thousand contacts match.
  const byContact = Prisma.sql`
    SELECT cv.id FROM (
      SELECT ct.id FROM "Contact" ct WHERE ct."shopId" = ${shopId} AND ${contactMatchesSql(terms)}
    ) matched
    CROSS JOIN LATERAL (
      SELECT cv.id FROM "Conversation" cv WHERE cv."shopId" = ${shopId} AND cv."contactId" = matched.id OFFSET 0
    ) cv`;
  if (terms.kind === "phone") return byContact;
  return Prisma.sql`${byContact}
    UNION
    SELECT m."conversationId" FROM "Message" m
    WHERE m."shopId" = ${shopId} AND m."conversationId" IS NOT NULL AND m.body ILIKE ${containsPattern(terms.phrase)}`;
}

/**
 * The same test, row by row, for conversations walked in order (a primary-key probe and the conversation's own
 * messages through (conversationId, createdAt)). OFFSET 0 keeps each EXISTS a per-row probe: without it PostgreSQL
 * turns EXISTS into a hashed IN and reads every match in the shop before testing the first row.
 */
function rowMatches(shopId: string, terms: Terms): Prisma.Sql {
  const contact = Prisma.sql`EXISTS (
    SELECT 1 FROM "Contact" ct WHERE ct.id = w."contactId" AND ${contactMatchesSql(terms)} OFFSET 0)`;
  if (terms.kind === "phone") return contact;
  return Prisma.sql`(${contact} OR EXISTS (
    SELECT 1 FROM "Message" m
    WHERE m."conversationId" = w.id AND m."shopId" = ${shopId} AND m.body ILIKE ${containsPattern(terms.phrase)}
    OFFSET 0))`;
}

type RawRow = {
  id: string;
  status: InboxRow["status"];
  lastMessageAt: Date;
  lastInboundAt: Date | null;
  lastMessageText: string | null;
  unreadCount: number;
  snoozedUntil: Date | null;
  tags: string[];
  contactId: string;
  firstName: string | null;
  lastName: string | null;
  phoneE164: string;
  assigneeId: string | null;
  assigneeFirstName: string | null;
  assigneeLastName: string | null;
  assigneeEmail: string | null;
  marketing: ConsentStates["marketing"] | null;
  transactional: ConsentStates["transactional"] | null;
};

/**
 * How a search finds its page. "hits": every match from the trigram indexes, then ordered — cheap when matches
 * are rare, slow for a word in every tenth message. "walk": the view's next WALK_WINDOW conversations in order,
 * each tested — cheap when matches are common (it stops at the page's last row). The service asks PostgreSQL's
 * estimate first (EXPLAIN, no execution), and a walk that comes back short falls back to hits.
 */
export type SearchStrategy = "walk" | "hits";
export const WALK_WINDOW = 1000;
// Below this many estimated matches, reading them all (hits) costs less than a walk (~10 message probes a row).
const HITS_BELOW = 5000;

/** The view's conversations after the cursor, newest first, as a subquery: one ordered index walk per arm. */
function viewPage(input: ListConversationsInput, arms: Arm[], rows: number, extra: Prisma.Sql): Prisma.Sql {
  const armQuery = (arm: Arm) => Prisma.sql`
    SELECT c.* FROM "Conversation" c
    WHERE c."shopId" = ${input.shopId} AND ${arm} ${afterCursor(input.cursor)} ${extra}
    ORDER BY c."lastMessageAt" DESC, c.id DESC
    LIMIT ${rows}`;
  if (arms.length === 1) return armQuery(arms[0]);
  return Prisma.sql`SELECT * FROM (${Prisma.join(
    arms.map((arm) => Prisma.sql`(${armQuery(arm)})`),
    " UNION ALL ",
  )}) u ORDER BY "lastMessageAt" DESC, id DESC LIMIT ${rows}`;
}

/** The page's SQL (limit + 1 rows), or null when the view is empty by definition. Exported for EXPLAIN. */
export function conversationListSql(
  input: ListConversationsInput,
  strategy: SearchStrategy = "walk",
): Prisma.Sql | null {
  const limit = pageSize(input.limit);
  const arms = viewArms(input.view, input.staffMemberId);
  if (!arms) return null;
  const terms = searchTerms(input.q ?? "");
  let page: Prisma.Sql;
  if (terms.kind === "none") page = viewPage(input, arms, limit + 1, Prisma.empty);
  else if (strategy === "hits") {
    // The matches once, each checked against the view by primary key (LATERAL … OFFSET 0: a probe per match, never
    // a scan of the shop's conversations), then one sort of what is left. The fences also keep the planner from
    // walking the whole view in order in search of a few rare matches.
    page = Prisma.sql`
      WITH hit AS MATERIALIZED (${matchingConversations(input.shopId, terms)})
      SELECT matched.* FROM hit
      CROSS JOIN LATERAL (
        SELECT c.* FROM "Conversation" c
        WHERE c.id = hit.id AND c."shopId" = ${input.shopId} AND (${Prisma.join(
          arms.map((arm) => Prisma.sql`(${arm})`),
          " OR ",
        )}) ${afterCursor(input.cursor)}
        OFFSET 0
      ) matched
      ORDER BY matched."lastMessageAt" DESC, matched.id DESC
      LIMIT ${limit + 1}`;
  } else {
    page = Prisma.sql`
      SELECT w.* FROM (${viewPage(input, arms, WALK_WINDOW, Prisma.empty)}) w
      WHERE ${rowMatches(input.shopId, terms)}
      ORDER BY w."lastMessageAt" DESC, w.id DESC
      LIMIT ${limit + 1}`;
  }

  return Prisma.sql`
    SELECT p.id, p.status::text AS status, p."lastMessageAt", p."lastInboundAt", p."lastMessageText",
           p."unreadCount", p."snoozedUntil", p.tags, p."contactId",
           ct."firstName", ct."lastName", ct."phoneE164",
           s.id AS "assigneeId", s."firstName" AS "assigneeFirstName", s."lastName" AS "assigneeLastName",
           s.email AS "assigneeEmail",
           mk.status::text AS marketing, tr.status::text AS transactional
    FROM (${page}) p
    JOIN "Contact" ct ON ct.id = p."contactId" AND ct."shopId" = ${input.shopId}
    LEFT JOIN "StaffMember" s ON s.id = p."assigneeId" AND s."shopId" = ${input.shopId}
    LEFT JOIN "ConsentState" mk ON mk."contactId" = p."contactId" AND mk.purpose = 'MARKETING'
    LEFT JOIN "ConsentState" tr ON tr."contactId" = p."contactId" AND tr.purpose = 'TRANSACTIONAL'
    ORDER BY p."lastMessageAt" DESC, p.id DESC`;
}

function pageSize(limit: number | undefined): number {
  return Math.min(Math.max(1, Math.floor(limit ?? DEFAULT_PAGE_SIZE)), MAX_PAGE_SIZE);
}

/** Whether the view holds a full walk window after the cursor (an index-only count that stops at the window). */
async function windowIsFull(input: ListConversationsInput, arms: Arm[]): Promise<boolean> {
  const [row] = await queryRaw<{ n: number }>(
    prisma,
    Prisma.sql`
    SELECT count(*)::int AS n FROM (${viewPage(input, arms, WALK_WINDOW, Prisma.empty)}) w`,
  );
  return row.n >= WALK_WINDOW;
}

/** PostgreSQL's own estimate of how many conversations a search matches (EXPLAIN: a plan, no execution). */
async function estimatedMatches(shopId: string, terms: Terms): Promise<number> {
  const [row] = await queryRaw<{ "QUERY PLAN": [{ Plan: { "Plan Rows": number } }] }>(
    prisma,
    Prisma.sql`
    EXPLAIN (FORMAT JSON) ${matchingConversations(shopId, terms)}`,
  );
  return row?.["QUERY PLAN"]?.[0]?.Plan?.["Plan Rows"] ?? Number.POSITIVE_INFINITY;
}

export async function listConversations(input: ListConversationsInput): Promise<InboxPage> {
  const limit = pageSize(input.limit);
  const arms = viewArms(input.view, input.staffMemberId);
  if (!arms) return { rows: [], hasNext: false, nextCursor: null };
  const terms = searchTerms(input.q ?? "");
  let raw: RawRow[];
  if (terms.kind === "none") {
    raw = await queryRaw<RawRow>(prisma, conversationListSql(input)!);
  } else if ((await estimatedMatches(input.shopId, terms)) <= HITS_BELOW) {
    raw = await queryRaw<RawRow>(prisma, conversationListSql(input, "hits")!);
  } else {
    raw = await queryRaw<RawRow>(prisma, conversationListSql(input, "walk")!);
    // A short page from the walk is the answer only if the walk saw every remaining conversation of the view.
    if (raw.length <= limit && (await windowIsFull(input, arms))) {
      raw = await queryRaw<RawRow>(prisma, conversationListSql(input, "hits")!);
    }
  }

  const hasNext = raw.length > limit;
  const rows = raw.slice(0, limit).map(toRow);
  const last = rows.at(-1);
  return {
    rows,
    hasNext,
    nextCursor: hasNext && last ? { lastMessageAt: last.lastMessageAt, id: last.id } : null,
  };
}

function toRow(r: RawRow): InboxRow {
  const name = [r.firstName, r.lastName].filter((part) => part && part.trim()).join(" ");
  const phone = formatPhone(r.phoneE164);
  return {
    id: r.id,
    contact: { id: r.contactId, displayName: name || phone, phone, hasName: Boolean(name) },
    preview: r.lastMessageText ?? "",
    lastMessageAt: new Date(r.lastMessageAt),
    lastInboundAt: r.lastInboundAt ? new Date(r.lastInboundAt) : null,
    assignee: r.assigneeId
      ? {
          id: r.assigneeId,
          name: staffName({ firstName: r.assigneeFirstName, lastName: r.assigneeLastName, email: r.assigneeEmail }),
        }
      : null,
    status: r.status,
    unreadCount: r.unreadCount,
    snoozedUntil: r.snoozedUntil ? new Date(r.snoozedUntil) : null,
    tags: r.tags ?? [],
    consent: consentBadge({
      marketing: r.marketing ?? "NOT_SUBSCRIBED",
      transactional: r.transactional ?? "NOT_SUBSCRIBED",
    }),
  };
}

export type ViewCounts = { open: number; unassigned: number; mine: number; pending: number };

/**
 * Tab badges. Each count is an index-only count over one (shopId, [assigneeId,] status) range; "closed" and "all"
 * are left out on purpose: they grow without bound and a number on them tells staff nothing.
 */
export async function countByView(input: { shopId: string; staffMemberId: string | null }): Promise<ViewCounts> {
  const [row] = await queryRaw<{ open: number; unassigned: number; mine: number; pending: number }>(
    prisma,
    Prisma.sql`
    SELECT
      (SELECT count(*)::int FROM "Conversation" WHERE "shopId" = ${input.shopId} AND status = 'OPEN') AS open,
      (SELECT count(*)::int FROM "Conversation"
        WHERE "shopId" = ${input.shopId} AND "assigneeId" IS NULL AND status = 'OPEN') AS unassigned,
      (SELECT count(*)::int FROM "Conversation"
        WHERE "shopId" = ${input.shopId} AND "assigneeId" = ${input.staffMemberId}
          AND status IN ('OPEN', 'PENDING', 'SNOOZED')) AS mine,
      (SELECT count(*)::int FROM "Conversation"
        WHERE "shopId" = ${input.shopId} AND status IN ('PENDING', 'SNOOZED')) AS pending`,
  );
  return row;
}
