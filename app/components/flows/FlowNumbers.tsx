import { BlockStack, InlineGrid, Text } from "@shopify/polaris";
import { formatMoney } from "~/domain/discount-guardrails";
import { rate, type FlowNumbers as Numbers } from "~/domain/flows/stats";

// A flow's numbers for the chosen range, each with what it is a share of.

export function formatRevenue(revenue: Numbers["revenue"]): string {
  if (revenue.length === 0) return "—";
  return revenue.map((m) => formatMoney(m.cents, m.currencyCode)).join(" + ");
}

function Metric({
  label,
  value,
  note,
  testId,
}: {
  label: string;
  value: string;
  note?: string | null;
  testId: string;
}) {
  return (
    <BlockStack gap="050">
      <Text as="span" variant="bodySm" tone="subdued">
        {label}
      </Text>
      <Text as="span" variant="headingMd" numeric>
        <span data-testid={testId}>{value}</span>
      </Text>
      <Text as="span" variant="bodySm" tone="subdued">
        {note ?? "\u00a0"}
      </Text>
    </BlockStack>
  );
}

export function FlowNumbers({ numbers }: { numbers: Numbers }) {
  const n = (value: number) => value.toLocaleString("en-US");
  const of = (part: number, whole: number) => {
    const share = rate(part, whole);
    return share ? `${share} of started` : null;
  };
  return (
    <InlineGrid columns={{ xs: 3, md: 6 }} gap="300">
      <Metric label="Started" value={n(numbers.started)} testId="flow-started" />
      <Metric
        label="Replied"
        value={n(numbers.replied)}
        note={of(numbers.replied, numbers.started)}
        testId="flow-replied"
      />
      <Metric
        label="Handed over"
        value={n(numbers.handedOver)}
        note={of(numbers.handedOver, numbers.started)}
        testId="flow-handed-over"
      />
      <Metric
        label="Converted"
        value={n(numbers.converted)}
        note={of(numbers.converted, numbers.started)}
        testId="flow-converted"
      />
      <Metric label="Revenue" value={formatRevenue(numbers.revenue)} testId="flow-revenue" />
      <Metric
        label="Codes used"
        value={n(numbers.codesUsed)}
        note={numbers.codesOffered > 0 ? `of ${n(numbers.codesOffered)} offered` : null}
        testId="flow-codes-used"
      />
    </InlineGrid>
  );
}
