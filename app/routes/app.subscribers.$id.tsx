import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { isRouteErrorResponse, useLoaderData, useRouteError } from "@remix-run/react";
import { Badge, BlockStack, Card, EmptyState, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { RouteErrorPage } from "~/components/RouteErrorPage";
import { ConsentHistory, type HistoryEntry } from "~/components/subscribers/ConsentHistory";
import { SOURCE_LABELS, statusBadge } from "~/domain/subscriber-query";
import { formatPhone } from "~/domain/phone";
import { shopTimeZone } from "~/services/inbox/thread.server";
import { loadSubscriber, type ConsentHistoryItem } from "~/services/subscribers/detail.server";
import { authenticate } from "~/shopify.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.title ?? "Subscriber"} · Parley` }];

const notFound = () => new Response("Subscriber not found", { status: 404, statusText: "Not Found" });

function evidenceOf(e: ConsentHistoryItem): HistoryEntry["evidence"] {
  const items: HistoryEntry["evidence"] = [];
  const add = (label: string, value: string | null | undefined, long = false) => {
    if (value) items.push({ label, value, ...(long ? { long } : {}) });
  };
  add("IP address", e.ipAddress);
  add("User agent", e.userAgent);
  add("Page URL", e.pageUrl);
  add("Disclosure shown", e.disclosureText, true);
  add("Disclosure version", e.disclosureVersion);
  add("Keyword", e.keyword);
  add("Confirming message", e.confirmingMessageId);
  add("Shopify customer", e.shopifyCustomerId);
  add("Staff member", e.actor?.name);
  add("Note", e.note, true);
  return items;
}

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shopId = session.shop;
  const [subscriber, timeZone] = await Promise.all([loadSubscriber(shopId, params.id ?? ""), shopTimeZone(shopId)]);
  if (!subscriber) throw notFound();
  const stamp = (at: Date) =>
    new Intl.DateTimeFormat("en-US", { timeZone, dateStyle: "medium", timeStyle: "long" }).format(at);
  const { contact } = subscriber;
  const name = [contact.firstName, contact.lastName].filter((p) => p && p.trim()).join(" ");
  const phone = formatPhone(contact.phoneE164);
  const purpose = (p: "marketing" | "transactional") => {
    const state = subscriber.consent[p];
    return {
      status: state.status,
      source: state.source ? SOURCE_LABELS[state.source] : null,
      since: state.since ? stamp(state.since) : null,
    };
  };
  return {
    title: name || phone,
    contact: {
      name: name || null,
      phone,
      phoneE164: contact.phoneE164,
      email: contact.email,
      shopifyCustomerId: contact.shopifyCustomerId,
      lineType: contact.lineType,
      invalid: contact.invalidAt ? stamp(contact.invalidAt) : null,
      since: stamp(contact.createdAt),
    },
    marketing: purpose("marketing"),
    transactional: purpose("transactional"),
    history: subscriber.history.map((e): HistoryEntry => ({
      id: e.id,
      purpose: e.purpose,
      status: e.status,
      source: e.source,
      occurredAt: stamp(e.occurredAt),
      // Imports carry the date the person consented; Parley stored it later.
      recordedAt: Math.abs(e.recordedAt.getTime() - e.occurredAt.getTime()) > 60_000 ? stamp(e.recordedAt) : null,
      evidence: evidenceOf(e),
    })),
    conversationUrl: subscriber.latestConversationId ? `/app/inbox/${subscriber.latestConversationId}` : null,
    timeZone,
  };
};

function PurposeRow({
  title,
  state,
}: {
  title: string;
  state: { status: Parameters<typeof statusBadge>[0]; source: string | null; since: string | null };
}) {
  const badge = statusBadge(state.status);
  return (
    <BlockStack gap="100">
      <InlineStack align="space-between" blockAlign="center">
        <Text as="h3" variant="headingSm">
          {title}
        </Text>
        <Badge tone={badge.tone}>{badge.label}</Badge>
      </InlineStack>
      {state.since ? (
        <Text as="p" tone="subdued" variant="bodySm">
          {state.source ? `${state.source} · ` : ""}
          {state.since}
        </Text>
      ) : null}
    </BlockStack>
  );
}

export default function Subscriber() {
  const { title, contact, marketing, transactional, history, conversationUrl, timeZone } =
    useLoaderData<typeof loader>();
  return (
    <Page
      title={title}
      subtitle={contact.name ? contact.phone : undefined}
      backAction={{ content: "Subscribers", url: "/app/subscribers" }}
      secondaryActions={conversationUrl ? [{ content: "Open conversation", url: conversationUrl }] : []}
    >
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="400">
              <BlockStack gap="100">
                <Text as="h2" variant="headingMd">
                  Consent history
                </Text>
                <Text as="p" tone="subdued" variant="bodySm">
                  Every change, newest first, with its evidence. Times are in {timeZone}. Records are never edited: a
                  change is a new record.
                </Text>
              </BlockStack>
              <ConsentHistory entries={history} />
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="400">
                <Text as="h2" variant="headingMd">
                  Consent now
                </Text>
                <PurposeRow title="Marketing texts" state={marketing} />
                <PurposeRow title="Order & reply texts" state={transactional} />
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Contact
                </Text>
                <Text as="p">{contact.phone}</Text>
                <Text as="p" tone="subdued" variant="bodySm">
                  {contact.phoneE164}
                  {contact.lineType ? ` · ${contact.lineType}` : ""}
                </Text>
                {contact.email ? <Text as="p">{contact.email}</Text> : null}
                {contact.invalid ? (
                  <Text as="p" tone="critical">
                    The carrier reported this number cannot receive texts ({contact.invalid}).
                  </Text>
                ) : null}
                <Text as="p" tone="subdued" variant="bodySm">
                  Known since {contact.since}
                </Text>
                {conversationUrl ? null : (
                  <Text as="p" tone="subdued" variant="bodySm">
                    No conversation yet.
                  </Text>
                )}
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) {
    return (
      <Page title="Subscriber" backAction={{ content: "Subscribers", url: "/app/subscribers" }}>
        <Card>
          <EmptyState
            heading="This subscriber doesn't exist"
            image=""
            action={{ content: "All subscribers", url: "/app/subscribers" }}
          >
            <p>They may have been removed at the shopper&rsquo;s request, or the link is wrong.</p>
          </EmptyState>
        </Card>
      </Page>
    );
  }
  return <RouteErrorPage title="Subscriber" what="this subscriber" />;
}
