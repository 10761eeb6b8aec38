import { useEffect, useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import { Banner, BlockStack, Button, Card, InlineStack, Layout, Page, Text, TextField } from "@shopify/polaris";
import { RouteErrorPage } from "~/components/RouteErrorPage";
import { SegmentMeter } from "~/components/SegmentMeter";
import { loadKeywordReplies, saveKeywordReplies } from "~/services/keyword-replies.server";
import { authenticate } from "~/shopify.server";

export const meta: MetaFunction = () => [{ title: "Keyword replies · Parley" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return { replies: await loadKeywordReplies(session.shop) };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const result = await saveKeywordReplies(session.shop, await request.json().catch(() => null));
  return result.ok ? { ok: true as const } : data(result, { status: 400 });
};

export default function KeywordReplies() {
  const { replies } = useLoaderData<typeof loader>();
  const fetcher = useFetcher<typeof action>();
  const shopify = useAppBridge();
  const [values, setValues] = useState(() => Object.fromEntries(replies.map((r) => [r.kind, r.override])));
  const errors = fetcher.data && !fetcher.data.ok ? (fetcher.data.fieldErrors as Record<string, string>) : {};
  const saving = fetcher.state !== "idle";

  useEffect(() => {
    if (fetcher.state === "idle" && fetcher.data?.ok) shopify.toast.show("Keyword replies saved");
  }, [fetcher.state, fetcher.data, shopify]);

  const save = () => fetcher.submit(values, { method: "post", encType: "application/json" });

  return (
    <Page
      title="Keyword replies"
      subtitle="What Parley answers when a shopper texts a keyword. Leave a reply empty to use the compliant default."
      backAction={{ content: "Settings", url: "/app/settings" }}
      primaryAction={{ content: "Save", onAction: save, loading: saving }}
    >
      <Layout>
        {Object.keys(errors).length > 0 ? (
          <Layout.Section>
            <Banner tone="critical" title="Some replies would not be compliant">
              <p>Fix the replies marked below; until then the defaults keep going out.</p>
            </Banner>
          </Layout.Section>
        ) : null}
        {replies.map((reply) => {
          const text = values[reply.kind] ?? "";
          return (
            <Layout.Section key={reply.kind}>
              <Card>
                <BlockStack gap="300">
                  <BlockStack gap="100">
                    <Text as="h2" variant="headingMd">
                      {reply.title}
                    </Text>
                    <Text as="p" tone="subdued">
                      {reply.when}
                    </Text>
                  </BlockStack>
                  <TextField
                    label={reply.title}
                    labelHidden
                    multiline={3}
                    autoComplete="off"
                    placeholder={reply.defaultText}
                    value={text}
                    onChange={(value) => setValues((v) => ({ ...v, [reply.kind]: value }))}
                    error={errors[reply.kind]}
                    helpText="Placeholders: {brand_name}, {support_contact}, {frequency}, {terms_url}, {privacy_url}"
                  />
                  <InlineStack align="space-between" blockAlign="center">
                    <SegmentMeter
                      text={text || reply.defaultText}
                      onFix={(fixed) => setValues((v) => ({ ...v, [reply.kind]: fixed }))}
                    />
                    {text ? (
                      <Button variant="plain" onClick={() => setValues((v) => ({ ...v, [reply.kind]: "" }))}>
                        Use the default
                      </Button>
                    ) : null}
                  </InlineStack>
                </BlockStack>
              </Card>
            </Layout.Section>
          );
        })}
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteErrorPage title="Keyword replies" what="your keyword replies" />;
}
