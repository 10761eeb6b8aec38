import { useEffect, useRef } from "react";
import { useFetcher } from "@remix-run/react";
import { Badge, BlockStack, Box, Button, Card, Divider, InlineStack, Link, Text } from "@shopify/polaris";
import type { FlowKind } from "~/domain/flows/machine";
import type { FlowNumbers as Numbers } from "~/domain/flows/stats";
import { FlowNumbers } from "./FlowNumbers";
import { FlowSwitch } from "./FlowSwitch";

// One flow on the Flows page: what it does, its switch (one click, optimistic), its numbers, a way to its settings.

export type FlowCardData = {
  kind: FlowKind;
  slug: string;
  title: string;
  description: string;
  purpose: "MARKETING" | "TRANSACTIONAL";
  enabled: boolean;
  totals: Numbers;
};

type ToggleResult = { ok: true; kind: FlowKind; enabled: boolean } | { ok: false; error: string };

/** The switch's fetcher, shared by the list and a flow's settings page: both post to /app/flows. */
export function useFlowToggle(kind: FlowKind, title: string, enabled: boolean) {
  const fetcher = useFetcher<ToggleResult>({ key: `flow-toggle-${kind}` });
  const pending = fetcher.json as { enabled?: boolean } | undefined;
  const shown = fetcher.state !== "idle" && typeof pending?.enabled === "boolean" ? pending.enabled : enabled;
  const toasted = useRef<unknown>(fetcher.data);
  useEffect(() => {
    const result = fetcher.data;
    if (fetcher.state !== "idle" || !result || toasted.current === result) return;
    toasted.current = result;
    if (result.ok) window.shopify?.toast?.show(`${title} is ${result.enabled ? "on" : "off"}`);
    else window.shopify?.toast?.show(result.error, { isError: true });
  }, [fetcher.state, fetcher.data, title]);
  const toggle = (next: boolean) =>
    fetcher.submit(
      { intent: "toggle", kind, enabled: next },
      { method: "post", action: "/app/flows?index", encType: "application/json" },
    );
  return { enabled: shown, busy: fetcher.state !== "idle", toggle };
}

export function FlowCard({ flow, rangeLabel }: { flow: FlowCardData; rangeLabel: string }) {
  const { enabled, busy, toggle } = useFlowToggle(flow.kind, flow.title, flow.enabled);
  const href = `/app/flows/${flow.slug}`;
  return (
    <Card>
      <div data-testid="flow-card" data-kind={flow.kind}>
        <BlockStack gap="300">
          <InlineStack align="space-between" blockAlign="start" gap="400" wrap={false}>
            <BlockStack gap="100">
              <InlineStack gap="200" blockAlign="center" align="start">
                <Text as="h2" variant="headingMd">
                  <Link url={href} removeUnderline monochrome>
                    {flow.title}
                  </Link>
                </Text>
                {flow.purpose === "TRANSACTIONAL" ? <Badge>Transactional</Badge> : <Badge>Marketing</Badge>}
              </InlineStack>
              <Text as="p" tone="subdued">
                {flow.description}
              </Text>
            </BlockStack>
            <FlowSwitch label={flow.title} checked={enabled} busy={busy} onChange={toggle} />
          </InlineStack>
          <Divider />
          <Box>
            <BlockStack gap="200">
              <Text as="h3" variant="headingXs" tone="subdued">
                {rangeLabel}
              </Text>
              <FlowNumbers numbers={flow.totals} />
            </BlockStack>
          </Box>
          <InlineStack align="end">
            <Button url={href} accessibilityLabel={`Settings and runs of ${flow.title}`}>
              Settings and runs
            </Button>
          </InlineStack>
        </BlockStack>
      </div>
    </Card>
  );
}
