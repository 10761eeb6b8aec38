import { BlockStack, Box, Card, InlineStack, SkeletonBodyText, SkeletonPage, SkeletonTabs } from "@shopify/polaris";

// A list page while its first page loads (the inbox, subscribers): tabs, a search field and rows, in grey.
export function ConversationListSkeleton({ title = "Inbox", tabs = 6 }: { title?: string; tabs?: number }) {
  return (
    <SkeletonPage title={title} fullWidth>
      <Card padding="0">
        <SkeletonTabs count={tabs} />
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
