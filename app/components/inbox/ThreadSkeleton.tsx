import {
  BlockStack,
  Box,
  Card,
  InlineStack,
  Layout,
  SkeletonBodyText,
  SkeletonDisplayText,
  SkeletonPage,
} from "@shopify/polaris";

// The conversation page while it loads: chat bubbles, composer and sidebar, in grey.
export function ThreadSkeleton() {
  return (
    <SkeletonPage title="Conversation" backAction>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="500">
                {[0, 1, 2, 3].map((i) => (
                  <InlineStack key={i} align={i % 2 ? "end" : "start"}>
                    <Box width="60%" padding="300" background="bg-surface-secondary" borderRadius="300">
                      <SkeletonBodyText lines={2} />
                    </Box>
                  </InlineStack>
                ))}
              </BlockStack>
            </Card>
            <Card>
              <SkeletonBodyText lines={4} />
            </Card>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="300">
              <SkeletonDisplayText size="small" />
              <SkeletonBodyText lines={5} />
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </SkeletonPage>
  );
}
