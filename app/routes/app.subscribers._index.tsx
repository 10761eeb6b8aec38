import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import {
  BlockStack,
  Box,
  Card,
  Icon,
  InlineGrid,
  InlineStack,
  Page,
  Select,
  Tabs,
  Text,
  TextField,
} from "@shopify/polaris";
import { SearchIcon } from "@shopify/polaris-icons";
import { useCallback, useEffect, useState } from "react";
import { RouteErrorPage } from "~/components/RouteErrorPage";
import { downloadFile } from "~/components/subscribers/download";
import { SubscriberTable, type SubscriberListRow } from "~/components/subscribers/SubscriberTable";
import { fullTimestamp, lastActivityLabel, SEARCH_MIN_LENGTH, searchTerms } from "~/domain/inbox-query";
import {
  CONSENT_SOURCES,
  encodeSubscriberCursor,
  parseSubscriberParams,
  SOURCE_LABELS,
  SUBSCRIBER_TABS,
  type SubscriberTab,
} from "~/domain/subscriber-query";
import { formatPhone } from "~/domain/phone";
import { shopTimeZone } from "~/services/inbox/thread.server";
import { countSubscribers, listSubscribers } from "~/services/subscribers/list.server";
import { authenticate } from "~/shopify.server";

export const meta: MetaFunction = () => [{ title: "Subscribers · Parley" }];

const TRAIL_MAX = 20; // earlier pages' cursors, so "previous" works without a backwards query ("-" = first page)

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shopId = session.shop;
  const params = parseSubscriberParams(new URL(request.url).searchParams);
  const [page, counts, timeZone] = await Promise.all([
    listSubscribers({ shopId, ...params }),
    countSubscribers(shopId),
    shopTimeZone(shopId),
  ]);
  const now = new Date();
  const day = (at: Date) =>
    new Intl.DateTimeFormat("en-US", { timeZone, month: "short", day: "numeric", year: "numeric" }).format(at);
  const rows: SubscriberListRow[] = page.rows.map((r) => {
    const name = [r.firstName, r.lastName].filter((p) => p && p.trim()).join(" ");
    const source = r.marketingSource ?? r.transactionalSource;
    const optedIn = r.marketing === "SUBSCRIBED" && r.marketingAt ? new Date(r.marketingAt) : null;
    const lastMessage = r.lastMessageAt ? new Date(r.lastMessageAt) : null;
    return {
      id: r.id,
      name: name || null,
      phone: formatPhone(r.phoneE164),
      email: r.email,
      marketing: r.marketing,
      transactional: r.transactional,
      source: source ? SOURCE_LABELS[source] : null,
      optedIn: optedIn ? day(optedIn) : null,
      optedInFull: optedIn ? fullTimestamp(optedIn, timeZone) : null,
      lastMessage: lastMessage ? lastActivityLabel(lastMessage, now, timeZone) : null,
      lastMessageFull: lastMessage ? fullTimestamp(lastMessage, timeZone) : null,
    };
  });
  return {
    ...params,
    cursor: undefined,
    searchIgnored: params.q.length > 0 && searchTerms(params.q).kind === "none",
    rows,
    nextCursor: page.nextCursor ? encodeSubscriberCursor(page.nextCursor) : null,
    counts,
  };
};

const TAB_LABELS: Record<SubscriberTab, string> = {
  all: "All",
  subscribed: "Subscribed",
  pending: "Pending",
  unsubscribed: "Unsubscribed",
};

function SummaryCount({
  label,
  value,
  tone,
}: {
  label: string;
  value: number;
  tone?: "success" | "caution" | "critical";
}) {
  return (
    <Card>
      <BlockStack gap="100">
        <Text as="h3" variant="bodySm" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="headingXl" tone={tone}>
          {value.toLocaleString("en-US")}
        </Text>
      </BlockStack>
    </Card>
  );
}

export default function Subscribers() {
  const { tab, source, q, searchIgnored, rows, nextCursor, counts } = useLoaderData<typeof loader>();
  const [searchParams, setSearchParams] = useSearchParams();
  const navigation = useNavigation();
  const [query, setQuery] = useState(q);
  const [exporting, setExporting] = useState(false);
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

  useEffect(() => {
    if (query.trim() === q) return;
    const timer = setTimeout(() => update({ q: query.trim(), cursor: null, trail: null }, { replace: true }), 350);
    return () => clearTimeout(timer);
  }, [query, q, update]);

  const trail = (searchParams.get("trail") ?? "").split(",").filter(Boolean);
  const onFirstPage = !searchParams.get("cursor");
  const loading = navigation.state === "loading" && navigation.location?.pathname === "/app/subscribers";
  const exportParams = new URLSearchParams({ tab, ...(source ? { source } : {}), ...(q ? { q } : {}) });

  return (
    <Page
      title="Subscribers"
      fullWidth
      primaryAction={{ content: "Add subscriber", url: "/app/subscribers/new" }}
      secondaryActions={[
        { content: "Import", url: "/app/subscribers/import" },
        {
          content: "Export CSV",
          loading: exporting,
          onAction: () => {
            setExporting(true);
            downloadFile(`/app/subscribers/export?${exportParams}`, "subscribers.csv")
              .catch((error: Error) => window.shopify?.toast?.show(error.message, { isError: true }))
              .finally(() => setExporting(false));
          },
        },
      ]}
    >
      <BlockStack gap="400">
        <InlineGrid columns={{ xs: 2, md: 4 }} gap="400">
          <SummaryCount label="Subscribed to marketing" value={counts.subscribed} tone="success" />
          <SummaryCount label="Pending confirmation" value={counts.pending} tone="caution" />
          <SummaryCount label="Unsubscribed" value={counts.unsubscribed} tone="critical" />
          <SummaryCount label="All contacts" value={counts.all} />
        </InlineGrid>
        <Card padding="0">
          <Tabs
            tabs={SUBSCRIBER_TABS.map((id) => ({
              id,
              content: TAB_LABELS[id],
              badge: id === "all" ? undefined : String(counts[id]),
            }))}
            selected={Math.max(0, SUBSCRIBER_TABS.indexOf(tab))}
            onSelect={(index) => update({ tab: SUBSCRIBER_TABS[index], cursor: null, trail: null })}
          />
          <Box padding="300" borderBlockStartWidth="025" borderColor="border">
            <InlineStack gap="300" wrap={false} blockAlign="start">
              <Box width="100%">
                <TextField
                  label="Search subscribers"
                  labelHidden
                  autoComplete="off"
                  placeholder="Search by name, e-mail or phone number"
                  prefix={<Icon source={SearchIcon} tone="subdued" />}
                  value={query}
                  onChange={setQuery}
                  clearButton
                  onClearButtonClick={() => setQuery("")}
                  helpText={searchIgnored ? `Type at least ${SEARCH_MIN_LENGTH} characters to search.` : undefined}
                />
              </Box>
              <Select
                label="Source"
                labelInline
                options={[
                  { label: "Any", value: "" },
                  ...CONSENT_SOURCES.map((s) => ({ label: SOURCE_LABELS[s], value: s })),
                ]}
                value={source ?? ""}
                onChange={(value) => update({ source: value || null, cursor: null, trail: null })}
              />
            </InlineStack>
          </Box>
          <SubscriberTable
            rows={rows}
            tab={tab}
            filtered={Boolean(source) || (q.length > 0 && !searchIgnored)}
            loading={loading}
            hrefFor={(id) => `/app/subscribers/${id}`}
            pagination={{
              hasPrevious: !onFirstPage,
              hasNext: nextCursor !== null,
              onPrevious: () => {
                const previous = trail.at(-1);
                update({
                  cursor: previous && previous !== "-" ? previous : null,
                  trail: trail.slice(0, -1).join(",") || null,
                });
              },
              onNext: () => {
                if (!nextCursor) return;
                const here = searchParams.get("cursor") ?? "-";
                update({ cursor: nextCursor, trail: [...trail, here].slice(-TRAIL_MAX).join(",") });
              },
            }}
          />
        </Card>
      </BlockStack>
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteErrorPage title="Subscribers" what="your subscribers" />;
}
