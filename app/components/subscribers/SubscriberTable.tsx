import { Badge, EmptyState, IndexTable, Link, List, Text } from "@shopify/polaris";
import { type ConsentStatus } from "~/domain/consent";
import { statusBadge, type SubscriberTab } from "~/domain/subscriber-query";

// The Subscribers table: one row per contact, the name (or number) is the row's link to the consent history.

export type SubscriberListRow = {
  id: string;
  name: string | null;
  phone: string; // formatted for reading
  email: string | null;
  marketing: ConsentStatus;
  transactional: ConsentStatus;
  source: string | null; // a label ("Storefront form")
  optedIn: string | null; // date in the shop's zone
  optedInFull: string | null;
  lastMessage: string | null;
  lastMessageFull: string | null;
};

const TRANSACTIONAL: Record<ConsentStatus, string> = {
  SUBSCRIBED: "Allowed",
  PENDING: "Allowed",
  UNSUBSCRIBED: "Opted out",
  NOT_SUBSCRIBED: "—",
};

export function SubscribersEmpty({ tab, filtered }: { tab: SubscriberTab; filtered: boolean }) {
  if (filtered) {
    return (
      <EmptyState heading="No subscribers found" image="">
        <p>Nothing matches this search or filter. Try a name, an e-mail or a phone number in any format.</p>
      </EmptyState>
    );
  }
  if (tab !== "all") {
    return (
      <EmptyState heading="No one here yet" image="">
        <p>Shoppers appear here once their consent reaches this state.</p>
      </EmptyState>
    );
  }
  // No illustration: the admin runs offline in the sandbox, and a CDN image would be a broken picture there.
  return (
    <EmptyState heading="No subscribers yet" image="">
      <p>Shoppers subscribe to your texts when they:</p>
      <List>
        <List.Item>sign up with the Parley form or popup on your storefront,</List.Item>
        <List.Item>text JOIN (or your own keyword) to your store number,</List.Item>
        <List.Item>tick &ldquo;Text me with news and offers&rdquo; at checkout.</List.Item>
      </List>
      <p>Moving from another SMS tool? Import your list with its consent records.</p>
    </EmptyState>
  );
}

export function SubscriberTable({
  rows,
  tab,
  filtered,
  loading,
  pagination,
  hrefFor,
}: {
  rows: SubscriberListRow[];
  tab: SubscriberTab;
  filtered: boolean;
  loading: boolean;
  pagination: { hasPrevious: boolean; hasNext: boolean; onPrevious: () => void; onNext: () => void };
  hrefFor: (id: string) => string;
}) {
  return (
    <IndexTable
      resourceName={{ singular: "subscriber", plural: "subscribers" }}
      itemCount={rows.length}
      selectable={false}
      loading={loading}
      emptyState={<SubscribersEmpty tab={tab} filtered={filtered} />}
      headings={[
        { title: "Subscriber" },
        { title: "Phone" },
        { title: "Marketing" },
        { title: "Order & reply texts" },
        { title: "Source" },
        { title: "Opted in" },
        { title: "Last message" },
      ]}
      pagination={pagination.hasPrevious || pagination.hasNext ? pagination : undefined}
    >
      {rows.map((row, index) => {
        const badge = statusBadge(row.marketing);
        return (
          <IndexTable.Row id={row.id} key={row.id} position={index}>
            <IndexTable.Cell>
              <Link url={hrefFor(row.id)} dataPrimaryLink monochrome removeUnderline>
                <Text as="span" fontWeight="semibold">
                  {row.name ?? row.phone}
                </Text>
              </Link>
              {row.email ? (
                <Text as="p" tone="subdued" variant="bodySm">
                  {row.email}
                </Text>
              ) : null}
            </IndexTable.Cell>
            <IndexTable.Cell>
              <Text as="span" numeric>
                {row.phone}
              </Text>
            </IndexTable.Cell>
            <IndexTable.Cell>
              <Badge tone={badge.tone}>{badge.label}</Badge>
            </IndexTable.Cell>
            <IndexTable.Cell>
              <Text as="span" tone={row.transactional === "UNSUBSCRIBED" ? "critical" : "subdued"}>
                {TRANSACTIONAL[row.transactional]}
              </Text>
            </IndexTable.Cell>
            <IndexTable.Cell>{row.source ?? "—"}</IndexTable.Cell>
            <IndexTable.Cell>
              <span title={row.optedInFull ?? undefined}>{row.optedIn ?? "—"}</span>
            </IndexTable.Cell>
            <IndexTable.Cell>
              <span title={row.lastMessageFull ?? undefined}>
                <Text as="span" tone="subdued">
                  {row.lastMessage ?? "—"}
                </Text>
              </span>
            </IndexTable.Cell>
          </IndexTable.Row>
        );
      })}
    </IndexTable>
  );
}
