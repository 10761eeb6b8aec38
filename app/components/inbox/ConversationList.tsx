import { Badge, type BadgeProps, Box, EmptyState, IndexTable, InlineStack, Link, Text } from "@shopify/polaris";
import type { ConsentBadge, InboxView } from "~/domain/inbox-query";

// The inbox's table: one row per conversation, the whole row opens the thread (the shopper's name is the row's
// primary link, so keyboard and screen-reader users get a real link too).

export type ConversationListRow = {
  id: string;
  shopper: string;
  preview: string;
  lastActivity: string; // relative, in the shop's zone ("5m ago", "Yesterday")
  lastActivityFull: string; // the full date and time, for the tooltip
  assignee: string | null;
  status: "OPEN" | "PENDING" | "SNOOZED" | "CLOSED";
  snoozedUntil: string | null;
  unreadCount: number;
  consent: ConsentBadge;
};

const STATUS: Record<ConversationListRow["status"], { label: string; tone?: BadgeProps["tone"] }> = {
  OPEN: { label: "Open", tone: "attention" },
  PENDING: { label: "Pending", tone: "info" },
  SNOOZED: { label: "Snoozed" },
  CLOSED: { label: "Closed" },
};

const CONSENT: Record<ConsentBadge, { label: string; tone: BadgeProps["tone"] }> = {
  subscribed: { label: "Subscribed", tone: "success" },
  transactional: { label: "Transactional only", tone: "info" },
  opted_out: { label: "Opted out", tone: "critical" },
};

const EMPTY: Record<InboxView, { heading: string; text: string }> = {
  open: {
    heading: "No open conversations",
    text: "When a shopper texts your store number it shows up here.",
  },
  unassigned: {
    heading: "Every open conversation has someone on it",
    text: "New conversations land here until a staff member takes them.",
  },
  mine: {
    heading: "Nothing assigned to you",
    text: "Conversations you are assigned to, or take from Unassigned, show up here.",
  },
  pending: {
    heading: "No pending or snoozed conversations",
    text: "Snooze a conversation or mark it pending while you wait on something; it comes back here.",
  },
  closed: {
    heading: "No closed conversations yet",
    text: "Close a conversation once it's answered. It reopens by itself if the shopper texts again.",
  },
  all: {
    heading: "No conversations yet",
    text: "When a shopper texts your store number, the conversation starts here.",
  },
};

// No illustration: the admin runs offline in the sandbox, and a CDN image would be a broken picture there.
export function ConversationListEmpty({ view, query }: { view: InboxView; query: string }) {
  if (query) {
    return (
      <EmptyState heading="No conversations found" image="">
        <p>
          Nothing matches &ldquo;{query}&rdquo; in this view. Try a name, a phone number in any format, or words from a
          message.
        </p>
      </EmptyState>
    );
  }
  const { heading, text } = EMPTY[view];
  return (
    <EmptyState heading={heading} image="">
      <p>{text}</p>
    </EmptyState>
  );
}

export function ConversationList({
  rows,
  view,
  query,
  loading,
  pagination,
  hrefFor,
}: {
  rows: ConversationListRow[];
  view: InboxView;
  query: string;
  loading: boolean;
  pagination: { hasPrevious: boolean; hasNext: boolean; onPrevious: () => void; onNext: () => void };
  hrefFor: (id: string) => string;
}) {
  return (
    <IndexTable
      resourceName={{ singular: "conversation", plural: "conversations" }}
      itemCount={rows.length}
      selectable={false}
      loading={loading}
      emptyState={<ConversationListEmpty view={view} query={query} />}
      headings={[
        { title: "Shopper" },
        { title: "Last message" },
        { title: "Last activity" },
        { title: "Assignee" },
        { title: "Status" },
        { title: "Consent" },
      ]}
      pagination={pagination.hasPrevious || pagination.hasNext ? pagination : undefined}
    >
      {rows.map((row, index) => (
        <ConversationListItem key={row.id} row={row} position={index} href={hrefFor(row.id)} />
      ))}
    </IndexTable>
  );
}

function ConversationListItem({ row, position, href }: { row: ConversationListRow; position: number; href: string }) {
  const unread = row.unreadCount > 0;
  const status = STATUS[row.status];
  const consent = CONSENT[row.consent];
  return (
    <IndexTable.Row id={row.id} position={position}>
      <IndexTable.Cell>
        <InlineStack gap="200" blockAlign="center" wrap={false}>
          <Link url={href} dataPrimaryLink monochrome removeUnderline>
            <Text as="span" variant="bodyMd" fontWeight={unread ? "bold" : "regular"}>
              {row.shopper}
            </Text>
          </Link>
          {unread ? (
            <Badge tone="info" size="small">
              {`${row.unreadCount} new`}
            </Badge>
          ) : null}
        </InlineStack>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <Box maxWidth="420px">
          <Text as="p" truncate tone={unread ? undefined : "subdued"} fontWeight={unread ? "medium" : "regular"}>
            {row.preview || "—"}
          </Text>
        </Box>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <span title={row.lastActivityFull}>
          <Text as="span" tone="subdued">
            {row.lastActivity}
          </Text>
        </span>
      </IndexTable.Cell>
      <IndexTable.Cell>
        {row.assignee ? (
          <Text as="span">{row.assignee}</Text>
        ) : (
          <Text as="span" tone="subdued">
            Unassigned
          </Text>
        )}
      </IndexTable.Cell>
      <IndexTable.Cell>
        <span title={row.snoozedUntil ? `Snoozed until ${row.snoozedUntil}` : undefined}>
          <Badge tone={status.tone}>{status.label}</Badge>
        </span>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <Badge tone={consent.tone}>{consent.label}</Badge>
      </IndexTable.Cell>
    </IndexTable.Row>
  );
}
