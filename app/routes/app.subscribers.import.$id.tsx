import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { isRouteErrorResponse, useLoaderData, useRevalidator, useRouteError } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Box,
  Card,
  DataTable,
  EmptyState,
  InlineGrid,
  InlineStack,
  Layout,
  Page,
  ProgressBar,
  Text,
} from "@shopify/polaris";
import { useEffect, useState } from "react";
import { RouteErrorPage } from "~/components/RouteErrorPage";
import { downloadFile } from "~/components/subscribers/download";
import { fullTimestamp } from "~/domain/inbox-query";
import { shopTimeZone } from "~/services/inbox/thread.server";
import { loadImport } from "~/services/subscribers/import.server";
import { authenticate } from "~/shopify.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.fileName ?? "Import"} · Import subscribers · Parley` },
];

const SHOWN_REFUSALS = 100;
const POLL_MS = 1000;

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const [progress, timeZone] = await Promise.all([
    loadImport(session.shop, params.id ?? ""),
    shopTimeZone(session.shop),
  ]);
  if (!progress) throw new Response("Import not found", { status: 404, statusText: "Not Found" });
  const seconds =
    progress.startedAt && progress.finishedAt
      ? Math.max(1, Math.round((progress.finishedAt.getTime() - progress.startedAt.getTime()) / 1000))
      : null;
  return {
    id: progress.id,
    fileName: progress.fileName,
    status: progress.status,
    totalRows: progress.totalRows,
    processedRows: progress.processedRows,
    importedRows: progress.importedRows,
    refusedRows: progress.refusedRows,
    refusals: progress.refusals.slice(0, SHOWN_REFUSALS),
    storedRefusals: progress.refusals.length,
    error: progress.error,
    createdAt: fullTimestamp(progress.createdAt, timeZone),
    seconds,
  };
};

const n = (value: number) => value.toLocaleString("en-US");

function Stat({ label, value, tone }: { label: string; value: string; tone?: "success" | "critical" }) {
  return (
    <BlockStack gap="100">
      <Text as="span" tone="subdued" variant="bodySm">
        {label}
      </Text>
      <Text as="span" variant="headingLg" tone={tone}>
        {value}
      </Text>
    </BlockStack>
  );
}

export default function ImportProgressPage() {
  const progress = useLoaderData<typeof loader>();
  const revalidator = useRevalidator();
  const [downloading, setDownloading] = useState(false);
  const active = progress.status === "queued" || progress.status === "running";

  // Polls while the job runs: one small query a second, stopped as soon as the import is done.
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [active, revalidator]);

  const percent = progress.totalRows > 0 ? Math.round((progress.processedRows / progress.totalRows) * 100) : 0;
  const downloadRefusals = () => {
    setDownloading(true);
    downloadFile(`/app/subscribers/import/${progress.id}/refusals`, "refused-rows.csv")
      .catch((error: Error) => window.shopify?.toast?.show(error.message, { isError: true }))
      .finally(() => setDownloading(false));
  };

  return (
    <Page
      title={progress.fileName}
      subtitle={`Import started ${progress.createdAt}`}
      backAction={{ content: "Import subscribers", url: "/app/subscribers/import" }}
      secondaryActions={
        progress.refusedRows > 0 && !active
          ? [{ content: "Download refused rows", loading: downloading, onAction: downloadRefusals }]
          : []
      }
    >
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {progress.status === "completed" ? (
              <Banner
                tone={progress.refusedRows > 0 ? "warning" : "success"}
                title={`${n(progress.importedRows)} of ${n(progress.totalRows)} rows imported${progress.seconds ? ` in ${n(progress.seconds)} s` : ""}`}
                action={{ content: "View subscribers", url: "/app/subscribers?tab=subscribed&source=IMPORT" }}
              >
                {progress.refusedRows > 0 ? (
                  <p>
                    {n(progress.refusedRows)} rows were refused. Fix them in your file (the reasons are below) and
                    import it again: rows already imported are not duplicated.
                  </p>
                ) : (
                  <p>Every row had its consent evidence. Nobody was texted.</p>
                )}
              </Banner>
            ) : null}
            {progress.status === "failed" ? (
              <Banner tone="critical" title="The import stopped">
                <p>
                  {n(progress.processedRows)} rows were processed before it stopped; they stay imported. Start the
                  import again with the same file to finish: rows already imported are not duplicated.
                </p>
                {progress.error ? <p>{progress.error}</p> : null}
              </Banner>
            ) : null}
            {active && progress.error ? (
              <Banner tone="warning" title="Retrying after an error">
                <p>{progress.error}</p>
              </Banner>
            ) : null}
            <Card>
              <BlockStack gap="400">
                <InlineStack align="space-between" blockAlign="center">
                  <Text as="h2" variant="headingMd">
                    {active ? (progress.status === "queued" ? "Waiting to start…" : "Importing…") : "Summary"}
                  </Text>
                  <Text as="span" tone="subdued">
                    {`${n(progress.processedRows)} / ${n(progress.totalRows)} rows · ${percent}%`}
                  </Text>
                </InlineStack>
                <ProgressBar
                  progress={percent}
                  tone={progress.status === "failed" ? "critical" : active ? "highlight" : "success"}
                  animated={active}
                  ariaLabelledBy="import-progress"
                />
                <span id="import-progress" hidden>
                  Import progress
                </span>
                <InlineGrid columns={3} gap="400">
                  <Stat label="Imported" value={n(progress.importedRows)} tone="success" />
                  <Stat
                    label="Refused"
                    value={n(progress.refusedRows)}
                    tone={progress.refusedRows ? "critical" : undefined}
                  />
                  <Stat label="Rows in file" value={n(progress.totalRows)} />
                </InlineGrid>
              </BlockStack>
            </Card>
            {progress.refusals.length > 0 ? (
              <Card padding="0">
                <BlockStack gap="0">
                  <Box padding="400">
                    <BlockStack gap="100">
                      <Text as="h2" variant="headingMd">
                        Refused rows
                      </Text>
                      <Text as="p" tone="subdued" variant="bodySm">
                        {progress.refusedRows > progress.refusals.length
                          ? `The first ${n(progress.refusals.length)} of ${n(progress.refusedRows)}. The download has ${n(progress.storedRefusals)}.`
                          : "Row numbers are as your spreadsheet shows them (the header is row 1)."}
                      </Text>
                    </BlockStack>
                  </Box>
                  <DataTable
                    columnContentTypes={["numeric", "text", "text"]}
                    headings={["Row", "Phone", "Reason"]}
                    rows={progress.refusals.map((r) => [r.row, r.phone || "—", r.reason])}
                  />
                </BlockStack>
              </Card>
            ) : null}
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) {
    return (
      <Page title="Import" backAction={{ content: "Import subscribers", url: "/app/subscribers/import" }}>
        <Card>
          <EmptyState heading="This import doesn't exist" image="">
            <p>The link may be wrong, or the import belongs to another store.</p>
          </EmptyState>
        </Card>
      </Page>
    );
  }
  return <RouteErrorPage title="Import" what="this import" />;
}
