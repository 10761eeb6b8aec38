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
import { FlowsSkeleton } from "./flows/FlowsSkeletons";
import { ConversationListSkeleton } from "./inbox/ConversationListSkeleton";
import { ThreadSkeleton } from "./inbox/ThreadSkeleton";

// What a page looks like while its data loads: the same layout, in grey.

export function HomeSkeleton() {
  return (
    <SkeletonPage title="Home">
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="400">
              <SkeletonDisplayText size="small" />
              <SkeletonBodyText lines={1} />
              {[0, 1, 2].map((i) => (
                <InlineStack key={i} gap="300" blockAlign="start" wrap={false}>
                  <Box minWidth="20px" minHeight="20px" background="bg-fill-tertiary" borderRadius="full" />
                  <Box width="100%">
                    <SkeletonBodyText lines={2} />
                  </Box>
                </InlineStack>
              ))}
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="300">
              <SkeletonDisplayText size="small" />
              <SkeletonBodyText lines={3} />
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </SkeletonPage>
  );
}

export function SettingsSkeleton({ title = "Settings", backAction = false }: { title?: string; backAction?: boolean }) {
  return (
    <SkeletonPage title={title} primaryAction backAction={backAction}>
      <Layout>
        {[4, 3, 4, 6].map((lines, i) => (
          <Layout.AnnotatedSection
            key={i}
            title={<SkeletonDisplayText size="small" />}
            description={<SkeletonBodyText lines={2} />}
          >
            <Card>
              <SkeletonBodyText lines={lines} />
            </Card>
          </Layout.AnnotatedSection>
        ))}
      </Layout>
    </SkeletonPage>
  );
}

export function PageSkeleton({ pathname }: { pathname: string }) {
  if (pathname.startsWith("/app/settings")) return <SettingsSkeleton />;
  if (pathname === "/app/inbox") return <ConversationListSkeleton />;
  if (pathname === "/app/subscribers") return <ConversationListSkeleton title="Subscribers" tabs={4} />;
  if (pathname === "/app/feedback") return <ConversationListSkeleton title="Feedback" tabs={4} />;
  if (/^\/app\/inbox\/[^/]+$/.test(pathname)) return <ThreadSkeleton />;
  if (pathname === "/app/flows") return <FlowsSkeleton />;
  if (pathname.startsWith("/app/flows/")) return <SettingsSkeleton title="Flow" backAction />;
  return <HomeSkeleton />;
}
