import { isRouteErrorResponse, useRevalidator, useRouteError } from "@remix-run/react";
import { Banner, BlockStack, Layout, Page, Text } from "@shopify/polaris";

// A page's error state: the page frame stays, the failure is named, and the merchant can retry in place.
export function RouteErrorPage({ title, what }: { title: string; what: string }) {
  const error = useRouteError();
  const revalidator = useRevalidator();
  const detail = isRouteErrorResponse(error)
    ? `${error.status} ${error.statusText || ""}`.trim()
    : error instanceof Error
      ? error.message
      : "Unknown error";
  return (
    <Page title={title}>
      <Layout>
        <Layout.Section>
          <Banner
            tone="critical"
            title={`We couldn't load ${what}`}
            action={{
              content: "Try again",
              loading: revalidator.state === "loading",
              onAction: () => revalidator.revalidate(),
            }}
          >
            <BlockStack gap="200">
              <p>Nothing was changed. If this keeps happening, reload the app or contact Parley support.</p>
              <Text as="p" tone="subdued" variant="bodySm">
                {detail}
              </Text>
            </BlockStack>
          </Banner>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
