import { useEffect, useRef } from "react";
import { useFetcher } from "@remix-run/react";
import { Banner, BlockStack, Card, SkeletonBodyText, SkeletonDisplayText, Text } from "@shopify/polaris";
import type { ReplyVariables } from "~/domain/reply-variables";
import type { StoreContext, Unavailable } from "~/domain/store-context";
import { CustomerLinkCard } from "./StoreContextCustomerLink";
import {
  CheckoutsCard,
  CustomerCard,
  OrdersCard,
  PreviousConversationsCard,
  RecentlyViewedCard,
} from "./StoreContextSections";

type ContextAnswer = { context?: StoreContext; error?: string };

// The shopper's store context beside the thread, loaded after the page (Shopify can be slow; the thread must not
// wait for it). Shopify sections that could not be fetched say why and offer a retry; Parley's own sections render
// regardless.
export function StoreContextCard({
  conversationId,
  onVariables,
}: {
  conversationId: string;
  onVariables?: (variables: ReplyVariables) => void;
}) {
  const fetcher = useFetcher<ContextAnswer>({ key: `store-context-${conversationId}` });
  const url = `/app/inbox/${conversationId}/context`;
  const load = fetcher.load;
  useEffect(() => {
    load(url);
  }, [load, url]);

  const context = fetcher.data?.context?.conversationId === conversationId ? fetcher.data.context : null;
  const reportVariables = useRef(onVariables);
  reportVariables.current = onVariables;
  useEffect(() => {
    if (context) reportVariables.current?.(context.variables);
  }, [context]);

  const reload = () => load(url);
  const loading = fetcher.state === "loading";

  if (!context) {
    if (fetcher.state === "idle" && fetcher.data) {
      return (
        <Banner
          tone="critical"
          title="Couldn't load this shopper's store details"
          action={{ content: "Retry", onAction: reload }}
        >
          <p>{fetcher.data.error ?? "Something went wrong. Nothing was changed."}</p>
        </Banner>
      );
    }
    return <StoreContextSkeleton />;
  }

  // One Shopify request fills all Shopify sections: when it failed, they failed together, with one reason.
  const unavailable = [context.customer, context.orders, context.checkouts].find(
    (s): s is Unavailable => !!s && s.state === "unavailable",
  );
  return (
    <BlockStack gap="400">
      {unavailable ? (
        <Banner
          tone="warning"
          title="Shopify details unavailable"
          action={unavailable.retryable ? { content: "Retry", onAction: reload, loading } : undefined}
        >
          <p>{unavailable.reason}</p>
        </Banner>
      ) : null}
      {context.customer?.state === "ok" && context.customer.customer ? (
        <CustomerCard customer={context.customer.customer} contact={context.contact} />
      ) : null}
      {context.linkable ? (
        <CustomerLinkCard
          conversationId={conversationId}
          contact={context.contact}
          missingCustomer={context.customer?.state === "ok" && !context.customer.customer}
          onLinked={reload}
        />
      ) : null}
      {context.orders?.state === "ok" && context.customer?.state === "ok" && context.customer.customer ? (
        <OrdersCard orders={context.orders.orders} />
      ) : null}
      {context.checkouts?.state === "ok" && context.checkouts.checkouts.length > 0 ? (
        <CheckoutsCard checkouts={context.checkouts.checkouts} />
      ) : null}
      <RecentlyViewedCard products={context.recentlyViewed} />
      <PreviousConversationsCard conversations={context.previousConversations} />
    </BlockStack>
  );
}

export function StoreContextSkeleton() {
  return (
    <BlockStack gap="400">
      {["Customer", "Orders"].map((title) => (
        <Card key={title}>
          <BlockStack gap="300">
            <Text as="h2" variant="headingSm">
              {title}
            </Text>
            <SkeletonDisplayText size="small" />
            <SkeletonBodyText lines={3} />
          </BlockStack>
        </Card>
      ))}
    </BlockStack>
  );
}
