import { BlockStack, Box, Card, InlineStack, SkeletonBodyText, SkeletonPage, SkeletonTabs } from "@shopify/polaris";

// The inbox while its first page loads: tabs, a search field and rows, in grey.
export function ConversationListSkeleton() {
  return (
    <SkeletonPage title="Inbox" fullWidth>
      <Card padding="0">
        <SkeletonTabs count={6} />
        <Box padding="300" borderBlockStartWidth="025" borderColor="border">
          <Box minHeight="32px" background="bg-fill-tertiary" borderRadius="200" />
        </Box>
        <BlockStack>
          {Array.from({ length: 8 }, (_, i) => (
            <Box key={i} padding="300" borderBlockStartWidth="025" borderColor="border">
              <InlineStack gap="400" wrap={false}>
                <Box width="20%">
                  <SkeletonBodyText lines={1} />
                </Box>
                <Box width="50%">
                  <SkeletonBodyText lines={1} />
                </Box>
                <Box width="30%">
                  <SkeletonBodyText lines={1} />
                </Box>
              </InlineStack>
            </Box>
          ))}
        </BlockStack>
      </Card>
    </SkeletonPage>
  );
}
