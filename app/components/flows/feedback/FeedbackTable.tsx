import { Badge, EmptyState, IndexTable, InlineStack, Link, Text } from "@shopify/polaris";
import { SENTIMENT_BADGES, topicLabel } from "~/domain/flows/feedback-list";
import type { FeedbackSentiment } from "~/domain/flows/feedback-sentiment";

// One row per answer to the feedback question: when, who, about what, how it felt, its topics, the words, and
// the conversation it came from (where a complaint was handed to the team).

export type FeedbackListRow = {
  id: string;
  date: string; // in the shop's zone
  dateFull: string;
  shopper: string;
  product: string | null;
  sentiment: FeedbackSentiment;
  topics: string[];
  excerpt: string;
  body: string;
  handedOver: boolean;
  conversationUrl: string | null;
};

function FeedbackEmpty({ filtered }: { filtered: boolean }) {
  return filtered ? (
    <EmptyState heading="No feedback with this sentiment" image="">
      <p>Try another filter, or all feedback.</p>
    </EmptyState>
  ) : (
    <EmptyState heading="No feedback yet" image="">
      <p>
        When the post-purchase feedback flow is on, shoppers are asked how their order is a few days after delivery.
        Their answers appear here, sorted by how they felt and what they mention.
      </p>
    </EmptyState>
  );
}

export function FeedbackTable({
  rows,
  filtered,
  loading,
  pagination,
}: {
  rows: FeedbackListRow[];
  filtered: boolean;
  loading: boolean;
  pagination: { hasPrevious: boolean; hasNext: boolean; onPrevious: () => void; onNext: () => void };
}) {
  return (
    <IndexTable
      resourceName={{ singular: "answer", plural: "answers" }}
      itemCount={rows.length}
      selectable={false}
      loading={loading}
      emptyState={<FeedbackEmpty filtered={filtered} />}
      headings={[
        { title: "Date" },
        { title: "Shopper" },
        { title: "Product" },
        { title: "Sentiment" },
        { title: "Topics" },
        { title: "Feedback" },
        { title: "Conversation" },
      ]}
      pagination={pagination.hasPrevious || pagination.hasNext ? pagination : undefined}
    >
      {rows.map((row, index) => {
        const badge = SENTIMENT_BADGES[row.sentiment];
        return (
          <IndexTable.Row id={row.id} key={row.id} position={index}>
            <IndexTable.Cell>
              <span title={row.dateFull}>{row.date}</span>
            </IndexTable.Cell>
            <IndexTable.Cell>
              <Text as="span" fontWeight="semibold">
                {row.shopper}
              </Text>
            </IndexTable.Cell>
            <IndexTable.Cell>{row.product ?? "—"}</IndexTable.Cell>
            <IndexTable.Cell>
              <InlineStack gap="100" wrap={false}>
                <Badge tone={badge.tone}>{badge.label}</Badge>
                {row.handedOver ? <Badge tone="attention">Handed over</Badge> : null}
              </InlineStack>
            </IndexTable.Cell>
            <IndexTable.Cell>
              <InlineStack gap="100">
                {row.topics.length === 0 ? (
                  <Text as="span" tone="subdued">
                    —
                  </Text>
                ) : (
                  row.topics.map((topic) => <Badge key={topic}>{topicLabel(topic)}</Badge>)
                )}
              </InlineStack>
            </IndexTable.Cell>
            <IndexTable.Cell>
              <span title={row.body}>
                <Text as="span" tone="subdued">
                  “{row.excerpt}”
                </Text>
              </span>
            </IndexTable.Cell>
            <IndexTable.Cell>
              {row.conversationUrl ? <Link url={row.conversationUrl}>Open</Link> : <Text as="span">—</Text>}
            </IndexTable.Cell>
          </IndexTable.Row>
        );
      })}
    </IndexTable>
  );
}
