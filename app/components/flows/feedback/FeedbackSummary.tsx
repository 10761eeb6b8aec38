import { BlockStack, Card, InlineGrid, InlineStack, ProgressBar, Text } from "@shopify/polaris";
import { SENTIMENT_BADGES, SENTIMENTS, topicLabel } from "~/domain/flows/feedback-list";
import type { FeedbackSentiment } from "~/domain/flows/feedback-sentiment";

// The Feedback page's head: how many answers of each sentiment, and what they talk about (most frequent first).

const TOPIC_ROWS = 8;

export type FeedbackSummaryData = {
  total: number;
  bySentiment: Record<FeedbackSentiment, number>;
  topics: { topic: string; count: number }[];
};

export function FeedbackSummary({ summary }: { summary: FeedbackSummaryData }) {
  const most = Math.max(1, ...summary.topics.map((t) => t.count));
  return (
    <InlineGrid columns={{ xs: 1, md: ["oneThird", "twoThirds"] }} gap="400">
      <Card>
        <BlockStack gap="300">
          <Text as="h2" variant="headingSm">
            Sentiment
          </Text>
          <InlineGrid columns={3} gap="200">
            {SENTIMENTS.map((sentiment) => (
              <BlockStack gap="050" key={sentiment}>
                <Text as="span" variant="bodySm" tone="subdued">
                  {SENTIMENT_BADGES[sentiment].label}
                </Text>
                <Text as="span" variant="headingLg" numeric tone={SENTIMENT_BADGES[sentiment].tone}>
                  <span data-testid={`feedback-count-${sentiment.toLowerCase()}`}>
                    {summary.bySentiment[sentiment].toLocaleString("en-US")}
                  </span>
                </Text>
              </BlockStack>
            ))}
          </InlineGrid>
          <Text as="p" variant="bodySm" tone="subdued">
            {summary.total.toLocaleString("en-US")} {summary.total === 1 ? "answer" : "answers"} in all
          </Text>
        </BlockStack>
      </Card>
      <Card>
        <BlockStack gap="300">
          <Text as="h2" variant="headingSm">
            What shoppers talk about
          </Text>
          {summary.topics.length === 0 ? (
            <Text as="p" tone="subdued">
              Topics appear here once answers mention sizing, quality, shipping and the like.
            </Text>
          ) : (
            summary.topics.slice(0, TOPIC_ROWS).map(({ topic, count }) => (
              <BlockStack gap="100" key={topic}>
                <InlineStack align="space-between">
                  <Text as="span" variant="bodySm">
                    {topicLabel(topic)}
                  </Text>
                  <Text as="span" variant="bodySm" tone="subdued" numeric>
                    {count.toLocaleString("en-US")}
                  </Text>
                </InlineStack>
                <ProgressBar progress={(count / most) * 100} size="small" tone="primary" animated={false} />
              </BlockStack>
            ))
          )}
        </BlockStack>
      </Card>
    </InlineGrid>
  );
}
