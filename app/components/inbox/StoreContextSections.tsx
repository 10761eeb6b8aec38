import { useState } from "react";
import { Link as RemixLink } from "@remix-run/react";
import {
  Badge,
  BlockStack,
  Box,
  Button,
  Card,
  Divider,
  InlineStack,
  Link,
  Text,
  type BadgeProps,
} from "@shopify/polaris";
import { ClipboardIcon } from "@shopify/polaris-icons";
import type { AbandonedCheckout, StoreContext, StoreCustomer, StoreOrder } from "~/domain/store-context";
import { formatDate, formatDay, formatMoney, humanize } from "./StoreContextFormat";

// The cards of the store-context panel. Everything shown comes from Shopify or the shopper; React escapes it.

type Tone = BadgeProps["tone"];

const SMS_BADGE: Record<NonNullable<StoreCustomer["smsConsent"]>, { tone: Tone; label: string }> = {
  SUBSCRIBED: { tone: "success", label: "SMS subscribed" },
  PENDING: { tone: "attention", label: "SMS pending" },
  NOT_SUBSCRIBED: { tone: undefined, label: "SMS not subscribed" },
  UNSUBSCRIBED: { tone: "critical", label: "SMS unsubscribed" },
  REDACTED: { tone: undefined, label: "SMS redacted" },
};

const FINANCIAL_TONE: Record<string, Tone> = {
  PAID: "success",
  PENDING: "attention",
  AUTHORIZED: "attention",
  PARTIALLY_PAID: "attention",
  REFUNDED: undefined,
  PARTIALLY_REFUNDED: undefined,
  VOIDED: "critical",
  EXPIRED: "critical",
};

const FULFILLMENT_TONE: Record<string, Tone> = {
  FULFILLED: "success",
  PARTIALLY_FULFILLED: "attention",
  UNFULFILLED: "attention",
  IN_PROGRESS: "info",
  ON_HOLD: "warning",
};

const STATUS_TONE: Record<StoreContext["previousConversations"][number]["status"], Tone> = {
  OPEN: "info",
  PENDING: "attention",
  SNOOZED: undefined,
  CLOSED: undefined,
};

function SectionTitle({ children }: { children: string }) {
  return (
    <Text as="h2" variant="headingSm">
      {children}
    </Text>
  );
}

export function CustomerCard({ customer, contact }: { customer: StoreCustomer; contact: StoreContext["contact"] }) {
  const sms = customer.smsConsent ? SMS_BADGE[customer.smsConsent] : null;
  const orders = `${customer.numberOfOrders} ${customer.numberOfOrders === 1 ? "order" : "orders"}`;
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center" gap="200">
          <SectionTitle>Customer</SectionTitle>
          <Link url={`shopify:admin/customers/${customer.legacyId}`} target="_top" removeUnderline>
            View in Shopify
          </Link>
        </InlineStack>
        <BlockStack gap="100">
          <Text as="p" variant="bodyMd" fontWeight="semibold">
            {customer.displayName}
          </Text>
          {(customer.email ?? contact.email) ? (
            <Text as="p" tone="subdued" breakWord>
              {customer.email ?? contact.email}
            </Text>
          ) : null}
          <Text as="p" tone="subdued">
            {orders} · {formatMoney(customer.amountSpent)} spent
          </Text>
        </BlockStack>
        {sms || customer.tags.length > 0 ? (
          <InlineStack gap="100" wrap>
            {sms ? <Badge tone={sms.tone}>{sms.label}</Badge> : null}
            {customer.tags.map((tag) => (
              <Badge key={tag}>{tag}</Badge>
            ))}
          </InlineStack>
        ) : null}
      </BlockStack>
    </Card>
  );
}

function deliveryLine(order: StoreOrder): string | null {
  const shipped = order.fulfillments.find((f) => f.deliveredAt) ?? order.fulfillments[0];
  if (!shipped) return null;
  if (shipped.deliveredAt) return `Delivered ${formatDay(shipped.deliveredAt)}`;
  if (shipped.estimatedDeliveryAt) return `Arrives by ${formatDay(shipped.estimatedDeliveryAt)}`;
  return shipped.status ? humanize(shipped.status) : null;
}

function OrderRow({ order }: { order: StoreOrder }) {
  const tracking = order.fulfillments.flatMap((f) => f.tracking).find((t) => t.url || t.number);
  const delivery = deliveryLine(order);
  const orderId = order.id.split("/").pop();
  return (
    <BlockStack gap="150">
      <InlineStack align="space-between" blockAlign="center" gap="200" wrap={false}>
        <InlineStack gap="200" blockAlign="center">
          <Link url={`shopify:admin/orders/${orderId}`} target="_top" removeUnderline>
            <Text as="span" fontWeight="semibold">
              {order.name}
            </Text>
          </Link>
          <Text as="span" tone="subdued" variant="bodySm">
            {formatDate(order.processedAt)}
          </Text>
        </InlineStack>
        <Text as="span" numeric>
          {formatMoney(order.total)}
        </Text>
      </InlineStack>
      <InlineStack gap="100" wrap>
        {order.financialStatus ? (
          <Badge tone={FINANCIAL_TONE[order.financialStatus]}>{humanize(order.financialStatus)}</Badge>
        ) : null}
        <Badge tone={FULFILLMENT_TONE[order.fulfillmentStatus]}>{humanize(order.fulfillmentStatus)}</Badge>
      </InlineStack>
      {order.itemsSummary ? (
        <Text as="p" tone="subdued" variant="bodySm" truncate>
          {order.itemsSummary}
        </Text>
      ) : null}
      {tracking || delivery ? (
        <InlineStack gap="200" blockAlign="center" wrap>
          {tracking?.url ? (
            <Link url={tracking.url} target="_blank">
              {`Track${tracking.company ? ` ${tracking.company}` : ""}${tracking.number ? ` ${tracking.number}` : ""}`}
            </Link>
          ) : tracking?.number ? (
            <Text as="span" variant="bodySm">
              {`${tracking.company ?? "Tracking"} ${tracking.number}`}
            </Text>
          ) : null}
          {delivery ? (
            <Text as="span" variant="bodySm" tone="subdued">
              {delivery}
            </Text>
          ) : null}
        </InlineStack>
      ) : null}
    </BlockStack>
  );
}

export function OrdersCard({ orders }: { orders: StoreOrder[] }) {
  return (
    <Card>
      <BlockStack gap="300">
        <SectionTitle>Orders</SectionTitle>
        {orders.length === 0 ? (
          <Text as="p" tone="subdued">
            No orders yet.
          </Text>
        ) : (
          orders.map((order, i) => (
            <BlockStack key={order.id} gap="300">
              {i > 0 ? <Divider /> : null}
              <OrderRow order={order} />
            </BlockStack>
          ))
        )}
      </BlockStack>
    </Card>
  );
}

function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <Button
      icon={ClipboardIcon}
      size="slim"
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(text);
          setCopied(true);
          setTimeout(() => setCopied(false), 2000);
        } catch {
          window.prompt(label, text); // clipboard blocked (iframe permissions): let staff copy it by hand
        }
      }}
    >
      {copied ? "Copied" : label}
    </Button>
  );
}

export function CheckoutsCard({ checkouts }: { checkouts: AbandonedCheckout[] }) {
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <SectionTitle>Abandoned checkout</SectionTitle>
          <Badge tone="warning">Not recovered</Badge>
        </InlineStack>
        {checkouts.map((checkout, i) => (
          <BlockStack key={checkout.id} gap="200">
            {i > 0 ? <Divider /> : null}
            <Text as="p" tone="subdued" variant="bodySm">
              Started {formatDate(checkout.createdAt, { hour: "numeric", minute: "2-digit" })}
            </Text>
            <BlockStack gap="100">
              {checkout.items.map((item, j) => (
                <InlineStack key={j} gap="200" wrap={false} blockAlign="start">
                  <Box minWidth="28px">
                    <Text as="span" tone="subdued" numeric>
                      {item.quantity}×
                    </Text>
                  </Box>
                  <Text as="span" breakWord>
                    {item.title}
                  </Text>
                </InlineStack>
              ))}
            </BlockStack>
            <InlineStack align="space-between" blockAlign="center">
              <Text as="span" fontWeight="semibold">
                Total {formatMoney(checkout.total)}
              </Text>
              <CopyButton text={checkout.recoveryUrl} label="Copy recovery link" />
            </InlineStack>
          </BlockStack>
        ))}
      </BlockStack>
    </Card>
  );
}

export function RecentlyViewedCard({ products }: { products: StoreContext["recentlyViewed"] }) {
  if (products.length === 0) return null;
  return (
    <Card>
      <BlockStack gap="200">
        <SectionTitle>Recently viewed</SectionTitle>
        {products.map((p) => (
          <InlineStack key={`${p.productId}-${p.viewedAt}`} align="space-between" gap="200" wrap={false}>
            {p.url ? (
              <Link url={p.url} target="_blank" removeUnderline>
                {p.title}
              </Link>
            ) : (
              <Text as="span">{p.title}</Text>
            )}
            <Text as="span" tone="subdued" variant="bodySm">
              {formatDate(p.viewedAt, { year: undefined })}
            </Text>
          </InlineStack>
        ))}
      </BlockStack>
    </Card>
  );
}

export function PreviousConversationsCard({ conversations }: { conversations: StoreContext["previousConversations"] }) {
  if (conversations.length === 0) return null;
  return (
    <Card>
      <BlockStack gap="200">
        <SectionTitle>Previous conversations</SectionTitle>
        {conversations.map((c) => (
          <RemixLink key={c.id} to={`/app/inbox/${c.id}`} style={{ textDecoration: "none", color: "inherit" }}>
            <Box paddingBlock="100">
              <BlockStack gap="050">
                <InlineStack align="space-between" gap="200">
                  <Text as="span" variant="bodySm" tone="subdued">
                    {formatDate(c.lastMessageAt)}
                  </Text>
                  <Badge tone={STATUS_TONE[c.status]} size="small">
                    {humanize(c.status)}
                  </Badge>
                </InlineStack>
                <Text as="p" truncate>
                  {c.preview ?? "No messages"}
                </Text>
              </BlockStack>
            </Box>
          </RemixLink>
        ))}
      </BlockStack>
    </Card>
  );
}
