import { Badge, BlockStack, Box, Divider, InlineStack, Text } from "@shopify/polaris";
import { Fragment, type ReactNode } from "react";
import type { ConsentStatus } from "~/domain/consent";
import { type ConsentSourceKey, SOURCE_LABELS, statusBadge } from "~/domain/subscriber-query";

// Every consent event of a subscriber, newest first, with all the evidence it carries. Nothing is summarised away:
// this is what the merchant shows when a consent is challenged.

export type HistoryEntry = {
  id: string;
  purpose: "MARKETING" | "TRANSACTIONAL";
  status: ConsentStatus;
  source: ConsentSourceKey;
  occurredAt: string; // formatted in the shop's zone, with the zone
  recordedAt: string | null; // when Parley stored it, if different (imports)
  evidence: { label: string; value: string; long?: boolean }[];
};

function Evidence({ label, children }: { label: string; children: ReactNode }) {
  return (
    <InlineStack gap="200" wrap={false} blockAlign="start">
      <Box minWidth="150px">
        <Text as="span" tone="subdued" variant="bodySm">
          {label}
        </Text>
      </Box>
      <Box>{children}</Box>
    </InlineStack>
  );
}

export function ConsentHistory({ entries }: { entries: HistoryEntry[] }) {
  if (entries.length === 0) {
    return (
      <Text as="p" tone="subdued">
        No consent recorded yet. This shopper has not subscribed, opted out, or texted the store.
      </Text>
    );
  }
  return (
    <BlockStack gap="300">
      {entries.map((entry, index) => {
        const badge = statusBadge(entry.status);
        return (
          <Fragment key={entry.id}>
            {index > 0 ? <Divider /> : null}
            <BlockStack gap="200">
              <InlineStack gap="200" blockAlign="center" wrap>
                <Badge tone={badge.tone}>{badge.label}</Badge>
                <Text as="span" fontWeight="semibold">
                  {entry.purpose === "MARKETING" ? "Marketing" : "Order & reply texts"}
                </Text>
                <Text as="span" tone="subdued">
                  · {SOURCE_LABELS[entry.source]} · {entry.occurredAt}
                </Text>
              </InlineStack>
              <BlockStack gap="100">
                {entry.recordedAt ? (
                  <Evidence label="Recorded by Parley">
                    <Text as="span" variant="bodySm">
                      {entry.recordedAt}
                    </Text>
                  </Evidence>
                ) : null}
                {entry.evidence.map((item) => (
                  <Evidence key={item.label} label={item.label}>
                    {item.long ? (
                      <Box background="bg-surface-secondary" padding="200" borderRadius="200" maxWidth="640px">
                        <Text as="p" variant="bodySm">
                          {item.value}
                        </Text>
                      </Box>
                    ) : (
                      <Text as="span" variant="bodySm" breakWord>
                        {item.value}
                      </Text>
                    )}
                  </Evidence>
                ))}
                {entry.evidence.length === 0 ? (
                  <Text as="p" variant="bodySm" tone="subdued">
                    No further evidence on this record.
                  </Text>
                ) : null}
              </BlockStack>
            </BlockStack>
          </Fragment>
        );
      })}
    </BlockStack>
  );
}
