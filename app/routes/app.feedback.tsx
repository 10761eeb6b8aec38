import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, useNavigation } from "@remix-run/react";
import { BlockStack, Card, Page, Tabs } from "@shopify/polaris";
import { FeedbackSummary } from "~/components/flows/feedback/FeedbackSummary";
import { FeedbackTable, type FeedbackListRow } from "~/components/flows/feedback/FeedbackTable";
import { RouteErrorPage } from "~/components/RouteErrorPage";
import { useKeysetList } from "~/components/useKeysetList";
import {
  encodeFeedbackCursor,
  excerptOf,
  parseFeedbackParams,
  SENTIMENT_BADGES,
  SENTIMENTS,
} from "~/domain/flows/feedback-list";
import { fullTimestamp } from "~/domain/inbox-query";
import { formatPhone } from "~/domain/phone";
import { listFeedback, summarizeFeedback } from "~/services/flows/feedback-page.server";
import { shopTimeZone } from "~/services/inbox/thread.server";
import { authenticate } from "~/shopify.server";

export const meta: MetaFunction = () => [{ title: "Feedback · Parley" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shopId = session.shop;
  const params = parseFeedbackParams(new URL(request.url).searchParams);
  const [page, summary, timeZone] = await Promise.all([
    listFeedback(shopId, params),
    summarizeFeedback(shopId),
    shopTimeZone(shopId),
  ]);
  const day = new Intl.DateTimeFormat("en-US", { timeZone, month: "short", day: "numeric", year: "numeric" });
  const rows: FeedbackListRow[] = page.rows.map((r) => {
    const name = [r.contact.firstName, r.contact.lastName].filter((p) => p?.trim()).join(" ");
    return {
      id: r.id,
      date: day.format(r.createdAt),
      dateFull: fullTimestamp(r.createdAt, timeZone),
      shopper: name || formatPhone(r.contact.phoneE164),
      product: r.productTitle,
      sentiment: r.sentiment,
      topics: r.topics,
      excerpt: excerptOf(r.body),
      body: r.body,
      handedOver: r.handedOver,
      conversationUrl: r.conversationId ? `/app/inbox/${r.conversationId}` : null,
    };
  });
  return {
    sentiment: params.sentiment,
    rows,
    nextCursor: page.next ? encodeFeedbackCursor(page.next) : null,
    summary,
  };
};

const TABS = [null, ...SENTIMENTS] as const;

export default function Feedback() {
  const { sentiment, rows, nextCursor, summary } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const loading = navigation.state === "loading" && navigation.location?.pathname === "/app/feedback";
  const { pagination, filter } = useKeysetList(nextCursor);

  return (
    <Page title="Feedback" subtitle="What shoppers said when asked how their order is" fullWidth>
      <BlockStack gap="400">
        <FeedbackSummary summary={summary} />
        <Card padding="0">
          <Tabs
            tabs={TABS.map((s) => ({
              id: s ?? "all",
              content: s ? SENTIMENT_BADGES[s].label : "All",
              badge: s ? String(summary.bySentiment[s]) : undefined,
            }))}
            selected={Math.max(0, TABS.indexOf(sentiment))}
            onSelect={(index) => filter({ sentiment: TABS[index]?.toLowerCase() ?? null })}
          />
          <FeedbackTable rows={rows} filtered={sentiment !== null} loading={loading} pagination={pagination} />
        </Card>
      </BlockStack>
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteErrorPage title="Feedback" what="your shoppers' feedback" />;
}
