import {
  BlockStack,
  Card,
  InlineGrid,
  InlineStack,
  SkeletonBodyText,
  SkeletonDisplayText,
  SkeletonPage,
} from "@shopify/polaris";

// The Flows page while its data loads: the same layout, in grey (a flow's settings use the Settings skeleton).

export function FlowsSkeleton() {
  return (
    <SkeletonPage title="Flows">
      <BlockStack gap="400">
        <Card>
          <BlockStack gap="300">
            <SkeletonDisplayText size="small" />
            <div style={{ height: 180, borderRadius: 8, background: "var(--p-color-bg-fill-secondary)" }} />
          </BlockStack>
        </Card>
        {[0, 1, 2].map((i) => (
          <Card key={i}>
            <BlockStack gap="300">
              <InlineStack align="space-between">
                <SkeletonDisplayText size="small" />
                <div
                  style={{ width: 40, height: 22, borderRadius: 11, background: "var(--p-color-bg-fill-tertiary)" }}
                />
              </InlineStack>
              <SkeletonBodyText lines={1} />
              <InlineGrid columns={{ xs: 3, md: 6 }} gap="300">
                {[0, 1, 2, 3, 4, 5].map((j) => (
                  <SkeletonBodyText key={j} lines={2} />
                ))}
              </InlineGrid>
            </BlockStack>
          </Card>
        ))}
      </BlockStack>
    </SkeletonPage>
  );
}
