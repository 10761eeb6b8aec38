import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Box, Card, Icon, Page, Tabs, TextField } from "@shopify/polaris";
import { SearchIcon } from "@shopify/polaris-icons";
import { useCallback, useEffect, useState } from "react";
import { ConversationList, type ConversationListRow } from "~/components/inbox/ConversationList";
import { useLiveRevalidation } from "~/components/inbox/useLiveRevalidation";
import { RouteErrorPage } from "~/components/RouteErrorPage";
import {
  encodeCursor,
  fullTimestamp,
  INBOX_VIEWS,
  type InboxView,
  lastActivityLabel,
  parseInboxParams,
  SEARCH_MIN_LENGTH,
  searchTerms,
} from "~/domain/inbox-query";
import { countByView, listConversations, type ViewCounts } from "~/services/inbox/list.server";
import { currentStaffMember } from "~/services/inbox/staff.server";
import { shopTimeZone } from "~/services/inbox/thread.server";
import { authenticate } from "~/shopify.server";

export const meta: MetaFunction = () => [{ title: "Inbox · Parley" }];

// Earlier pages' cursors, so "previous" works without a backwards query ("-" stands for the first page).
const TRAIL_MAX = 20;

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shopId = session.shop;
  const { view, q, cursor } = parseInboxParams(new URL(request.url).searchParams);
  const staff = await currentStaffMember(session, shopId);
  const staffMemberId = staff?.id ?? null;
  const [page, counts, timeZone] = await Promise.all([
    listConversations({ shopId, staffMemberId, view, q, cursor }),
    countByView({ shopId, staffMemberId }),
    shopTimeZone(shopId),
  ]);
  const now = new Date();
  const rows: ConversationListRow[] = page.rows.map((row) => ({
    id: row.id,
    shopper: row.contact.displayName,
    preview: row.preview,
    lastActivity: lastActivityLabel(row.lastMessageAt, now, timeZone),
    lastActivityFull: fullTimestamp(row.lastMessageAt, timeZone),
    assignee: row.assignee?.name ?? null,
    status: row.status,
    snoozedUntil: row.snoozedUntil ? fullTimestamp(row.snoozedUntil, timeZone) : null,
    unreadCount: row.unreadCount,
    consent: row.consent,
  }));
  return {
    view,
    q,
    searchIgnored: q.length > 0 && searchTerms(q).kind === "none",
    rows,
    nextCursor: page.nextCursor ? encodeCursor(page.nextCursor) : null,
    counts,
    canHaveMine: staffMemberId !== null,
  };
};

const TAB_LABELS: Record<InboxView, string> = {
  open: "Open",
  unassigned: "Unassigned",
  mine: "Mine",
  pending: "Pending & snoozed",
  closed: "Closed",
  all: "All",
};

function badgeFor(view: InboxView, counts: ViewCounts): string | undefined {
  if (view === "closed" || view === "all") return undefined;
  const n = counts[view];
  return n > 0 ? (n > 999 ? "999+" : String(n)) : undefined;
}

export default function Inbox() {
  const { view, q, searchIgnored, rows, nextCursor, counts } = useLoaderData<typeof loader>();
  const [searchParams, setSearchParams] = useSearchParams();
  const navigation = useNavigation();
  const [query, setQuery] = useState(q);

  // Another navigation (back/forward, a tab) may change q under the field.
  useEffect(() => setQuery(q), [q]);

  /** Changes the list's own params and keeps everything else in the URL (the embedded app's host, shop…). */
  const update = useCallback(
    (changes: Record<string, string | null>, options: { replace?: boolean } = {}) => {
      const next = new URLSearchParams(searchParams);
      for (const [key, value] of Object.entries(changes)) {
        if (value === null || value === "") next.delete(key);
        else next.set(key, value);
      }
      setSearchParams(next, { replace: options.replace, preventScrollReset: true });
    },
    [searchParams, setSearchParams],
  );

  // Typing searches after a pause; each search starts at the first page.
  useEffect(() => {
    if (query.trim() === q) return;
    const timer = setTimeout(() => update({ q: query.trim(), cursor: null, trail: null }, { replace: true }), 350);
    return () => clearTimeout(timer);
  }, [query, q, update]);

  // Live: a change anywhere in the shop's inbox refreshes the page (debounced: a burst is one reload). Only the
  // first page moves; a later page stays put, so the row under the pointer does not jump away.
  const onFirstPage = !searchParams.get("cursor");
  useLiveRevalidation(() => onFirstPage);

  const trail = (searchParams.get("trail") ?? "").split(",").filter(Boolean);
  const selected = Math.max(0, INBOX_VIEWS.indexOf(view));
  const loading = navigation.state === "loading" && navigation.location?.pathname === "/app/inbox";

  return (
    <Page title="Inbox" fullWidth>
      <Card padding="0">
        <Tabs
          tabs={INBOX_VIEWS.map((id) => ({ id, content: TAB_LABELS[id], badge: badgeFor(id, counts) }))}
          selected={selected}
          onSelect={(index) => update({ view: INBOX_VIEWS[index], cursor: null, trail: null })}
        />
        <Box padding="300" borderBlockStartWidth="025" borderColor="border">
          <TextField
            label="Search conversations"
            labelHidden
            autoComplete="off"
            placeholder="Search by name, phone number or message"
            prefix={<Icon source={SearchIcon} tone="subdued" />}
            value={query}
            onChange={setQuery}
            clearButton
            onClearButtonClick={() => setQuery("")}
            helpText={searchIgnored ? `Type at least ${SEARCH_MIN_LENGTH} characters to search.` : undefined}
          />
        </Box>
        <ConversationList
          rows={rows}
          view={view}
          query={searchIgnored ? "" : q}
          loading={loading}
          hrefFor={(id) => `/app/inbox/${id}`}
          pagination={{
            hasPrevious: !onFirstPage,
            hasNext: nextCursor !== null,
            onPrevious: () => {
              const back = trail.slice(0, -1);
              const previous = trail.at(-1);
              update({ cursor: previous && previous !== "-" ? previous : null, trail: back.join(",") || null });
            },
            onNext: () => {
              if (!nextCursor) return;
              const here = searchParams.get("cursor") ?? "-";
              update({ cursor: nextCursor, trail: [...trail, here].slice(-TRAIL_MAX).join(",") });
            },
          }}
        />
      </Card>
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteErrorPage title="Inbox" what="your conversations" />;
}
