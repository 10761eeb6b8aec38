import { useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { BlockStack, Box, Card, InlineStack, Page, Select, Text } from "@shopify/polaris";
import { FlowCard, type FlowCardData } from "~/components/flows/FlowCard";
import { RunsChart } from "~/components/flows/RunsChart";
import { RouteErrorPage } from "~/components/RouteErrorPage";
import { FLOW_DESCRIPTIONS, FLOW_ORDER, FLOW_TITLES, flowSlug } from "~/domain/flows/descriptions";
import { FLOW_PURPOSE } from "~/domain/flows/registry";
import { FlowKindSchema } from "~/domain/flows/machine";
import { parseStatsRange, STATS_RANGES } from "~/domain/flows/stats";
import { loadFlowSwitches, setFlowEnabled } from "~/services/flows/settings.server";
import { loadFlowStats } from "~/services/flows/stats.server";
import { shopTimeZone } from "~/services/inbox/thread.server";
import { authenticate } from "~/shopify.server";

export const meta: MetaFunction = () => [{ title: "Flows · Parley" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shopId = session.shop;
  const range = parseStatsRange(new URL(request.url).searchParams.get("days"));
  const timeZone = await shopTimeZone(shopId);
  const [switches, stats] = await Promise.all([loadFlowSwitches(shopId), loadFlowStats({ shopId, range, timeZone })]);
  const flows = FLOW_ORDER.map((kind) => ({
    kind,
    slug: flowSlug(kind),
    title: FLOW_TITLES[kind],
    description: FLOW_DESCRIPTIONS[kind],
    purpose: FLOW_PURPOSE[kind],
    enabled: switches[kind],
    totals: stats.byKind[kind].totals,
    daily: stats.byKind[kind].daily,
  }));
  return { range, flows, anyRuns: flows.some((f) => f.totals.started > 0) };
};

/** The switch: `{ intent: "toggle", kind, enabled }` as JSON. */
export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const body = (await request.json().catch(() => null)) as { intent?: unknown; kind?: unknown; enabled?: unknown };
  const kind = FlowKindSchema.safeParse(body?.kind);
  if (body?.intent !== "toggle" || !kind.success || typeof body.enabled !== "boolean")
    return data({ ok: false as const, error: 'Send { intent: "toggle", kind, enabled } as JSON' }, { status: 400 });
  await setFlowEnabled(session.shop, kind.data, body.enabled);
  return { ok: true as const, kind: kind.data, enabled: body.enabled };
};

const RANGE_OPTIONS = STATS_RANGES.map((days) => ({ label: `Last ${days} days`, value: String(days) }));

export default function Flows() {
  const { range, flows, anyRuns } = useLoaderData<typeof loader>();
  const [searchParams, setSearchParams] = useSearchParams();
  const navigation = useNavigation();
  const reloading = navigation.state === "loading" && navigation.location?.pathname === "/app/flows";
  const withRuns = flows.filter((f) => f.totals.started > 0);
  const [chartKind, setChartKind] = useState<string>(withRuns[0]?.kind ?? flows[0].kind);
  const charted = flows.find((f) => f.kind === chartKind) ?? flows[0];
  const rangeLabel = `Last ${range} days`;

  const setRange = (value: string) => {
    const next = new URLSearchParams(searchParams);
    next.set("days", value);
    setSearchParams(next, { preventScrollReset: true });
  };

  return (
    <Page
      title="Flows"
      subtitle="Conversations that start themselves when a shopper does something. The defaults are sensible and compliant: turning a flow on is all it takes."
    >
      <BlockStack gap="400">
        <InlineStack align="end">
          <Select label="Numbers for" labelInline options={RANGE_OPTIONS} value={String(range)} onChange={setRange} />
        </InlineStack>
        <div style={{ opacity: reloading ? 0.6 : 1, transition: "opacity 120ms" }} aria-busy={reloading}>
          <BlockStack gap="400">
            <Card>
              {anyRuns ? (
                <BlockStack gap="300">
                  <InlineStack align="space-between" blockAlign="center" gap="300">
                    <Text as="h2" variant="headingMd">
                      Runs per day
                    </Text>
                    <Select
                      label="Flow"
                      labelInline
                      options={flows.map((f) => ({ label: f.title, value: f.kind }))}
                      value={charted.kind}
                      onChange={setChartKind}
                    />
                  </InlineStack>
                  <RunsChart daily={charted.daily} flowTitle={charted.title} />
                </BlockStack>
              ) : (
                <Box paddingBlock="800" paddingInline="400">
                  <BlockStack gap="200" inlineAlign="center">
                    <Text as="h2" variant="headingMd" alignment="center">
                      No flow has run in the last {range} days
                    </Text>
                    <Box maxWidth="560px">
                      <Text as="p" tone="subdued" alignment="center">
                        A flow that is on starts by itself: when a subscriber leaves a checkout, an order ships, a
                        delivery is a week old, a shopper asks for something that is sold out, or someone confirms their
                        opt-in. Its numbers and a chart of its runs appear here.
                      </Text>
                    </Box>
                  </BlockStack>
                </Box>
              )}
            </Card>
            {flows.map((flow: FlowCardData) => (
              <FlowCard key={flow.kind} flow={flow} rangeLabel={rangeLabel} />
            ))}
          </BlockStack>
        </div>
      </BlockStack>
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteErrorPage title="Flows" what="your flows" />;
}
