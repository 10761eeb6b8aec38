import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useFetcher, useLoaderData, useNavigate } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  DataTable,
  DropZone,
  InlineStack,
  Layout,
  Page,
  ResourceItem,
  ResourceList,
  Text,
} from "@shopify/polaris";
import { useEffect, useState } from "react";
import { RouteErrorPage } from "~/components/RouteErrorPage";
import { ImportColumnsHelp } from "~/components/subscribers/ImportColumnsHelp";
import { FIELD_LABELS } from "~/domain/subscriber-csv";
import { fullTimestamp } from "~/domain/inbox-query";
import { currentStaffMember } from "~/services/inbox/staff.server";
import { shopTimeZone } from "~/services/inbox/thread.server";
import {
  ImportFileError,
  listImports,
  MAX_IMPORT_BYTES,
  previewImport,
  startImport,
  type ImportPreview,
} from "~/services/subscribers/import.server";
import { authenticate } from "~/shopify.server";

export const meta: MetaFunction = () => [{ title: "Import subscribers · Parley" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const [imports, timeZone] = await Promise.all([listImports(session.shop), shopTimeZone(session.shop)]);
  return { imports: imports.map((i) => ({ ...i, createdAt: fullTimestamp(i.createdAt, timeZone) })) };
};

type ActionResult =
  | { intent: "preview"; ok: true; preview: ImportPreview }
  | { intent: "start"; ok: true; importId: string }
  | { intent: "preview" | "start"; ok: false; problems: string[] };

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  const intent = form.get("intent") === "start" ? "start" : "preview";
  const file = form.get("file");
  const fail = (problems: string[], status = 400) => data<ActionResult>({ intent, ok: false, problems }, { status });
  if (!(file instanceof Blob) || file.size === 0) return fail(["Choose a CSV file."]);
  if (file.size > MAX_IMPORT_BYTES) return fail(["The file is larger than 30 MB: split it."], 413);
  const csv = await file.text();
  const fileName = file instanceof File ? file.name : "import.csv";
  try {
    if (intent === "preview") {
      return data<ActionResult>({ intent, ok: true, preview: await previewImport(session.shop, csv) });
    }
    const staff = await currentStaffMember(session, session.shop);
    const started = await startImport({ shopId: session.shop, fileName, csv, createdBy: staff?.id ?? null });
    return data<ActionResult>({ intent, ok: true, importId: started.id });
  } catch (error) {
    if (error instanceof ImportFileError) return fail(error.problems);
    throw error;
  }
};

const STATUS_BADGE = {
  queued: { label: "Queued", tone: "info" },
  running: { label: "Importing", tone: "attention" },
  completed: { label: "Completed", tone: "success" },
  failed: { label: "Failed", tone: "critical" },
} as const;

export default function ImportSubscribers() {
  const { imports } = useLoaderData<typeof loader>();
  const fetcher = useFetcher<ActionResult>();
  const navigate = useNavigate();
  const [file, setFile] = useState<File | null>(null);
  const result = fetcher.data;
  const busy = fetcher.state !== "idle";
  const busyIntent = busy ? String(fetcher.formData?.get("intent") ?? "") : null;

  const submit = (intent: "preview" | "start", chosen: File) => {
    const form = new FormData();
    form.set("intent", intent);
    form.set("file", chosen, chosen.name);
    fetcher.submit(form, { method: "post", encType: "multipart/form-data" });
  };

  useEffect(() => {
    if (result?.intent === "start" && result.ok) navigate(`/app/subscribers/import/${result.importId}`);
  }, [result, navigate]);

  const preview = result?.intent === "preview" && result.ok ? result.preview : null;
  const problems = result && !result.ok ? result.problems : null;

  return (
    <Page
      title="Import subscribers"
      backAction={{ content: "Subscribers", url: "/app/subscribers" }}
      subtitle="Bring your list from another SMS tool, with the consent records that prove each subscription."
    >
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="300">
                <DropZone
                  accept=".csv,text/csv"
                  type="file"
                  allowMultiple={false}
                  label="CSV file"
                  onDrop={(_all, accepted) => {
                    const chosen = accepted[0];
                    if (!chosen) return;
                    setFile(chosen);
                    submit("preview", chosen);
                  }}
                >
                  {file ? (
                    <Box padding="400">
                      <BlockStack gap="100" inlineAlign="center">
                        <Text as="p" fontWeight="semibold">
                          {file.name}
                        </Text>
                        <Text as="p" tone="subdued" variant="bodySm">
                          {(file.size / 1024).toLocaleString("en-US", { maximumFractionDigits: 0 })} KB · drop another
                          file to replace it
                        </Text>
                      </BlockStack>
                    </Box>
                  ) : (
                    <DropZone.FileUpload actionTitle="Add CSV file" actionHint="or drop a .csv file, up to 30 MB" />
                  )}
                </DropZone>
                {busyIntent === "preview" ? (
                  <Text as="p" tone="subdued">
                    Reading the file…
                  </Text>
                ) : null}
                {problems ? (
                  <Banner tone="critical" title="This file can't be imported">
                    <BlockStack gap="100">
                      {problems.map((p) => (
                        <p key={p}>{p}</p>
                      ))}
                    </BlockStack>
                  </Banner>
                ) : null}
              </BlockStack>
            </Card>
            {preview && file ? (
              <Card>
                <BlockStack gap="400">
                  <InlineStack align="space-between" blockAlign="center">
                    <BlockStack gap="100">
                      <Text as="h2" variant="headingMd">
                        Preview
                      </Text>
                      <Text as="p" tone="subdued">
                        {preview.totalRows.toLocaleString("en-US")} rows. The first {preview.sample.length}, as the
                        import will read them:
                      </Text>
                    </BlockStack>
                    <Button variant="primary" loading={busyIntent === "start"} onClick={() => submit("start", file)}>
                      {`Import ${preview.totalRows.toLocaleString("en-US")} rows`}
                    </Button>
                  </InlineStack>
                  <InlineStack gap="200" wrap>
                    {preview.mapping.map((column, i) => (
                      <Badge key={i} tone={column.field ? "success" : undefined}>
                        {column.field
                          ? `${column.header} → ${FIELD_LABELS[column.field]}`
                          : `${column.header} (ignored)`}
                      </Badge>
                    ))}
                  </InlineStack>
                  <DataTable
                    columnContentTypes={["numeric", "text", "text", ...preview.mapping.map(() => "text" as const)]}
                    headings={["Row", "Result", "Number", ...preview.mapping.map((m) => m.header)]}
                    rows={preview.sample.map((s) => [
                      s.row,
                      s.result.ok ? (
                        <Badge tone="success">Will import</Badge>
                      ) : (
                        <Text as="span" tone="critical" variant="bodySm">
                          {s.result.reason}
                        </Text>
                      ),
                      s.result.ok ? s.result.phone : "—",
                      ...preview.mapping.map((_, i) => (s.cells[i] ?? "").slice(0, 60)),
                    ])}
                  />
                </BlockStack>
              </Card>
            ) : null}
            {imports.length > 0 ? (
              <Card padding="0">
                <Box padding="400" paddingBlockEnd="0">
                  <Text as="h2" variant="headingMd">
                    Recent imports
                  </Text>
                </Box>
                <ResourceList
                  items={imports}
                  renderItem={(item) => (
                    <ResourceItem
                      id={item.id}
                      url={`/app/subscribers/import/${item.id}`}
                      accessibilityLabel={item.fileName}
                    >
                      <InlineStack align="space-between" blockAlign="center">
                        <BlockStack gap="050">
                          <Text as="span" fontWeight="semibold">
                            {item.fileName}
                          </Text>
                          <Text as="span" tone="subdued" variant="bodySm">
                            {item.createdAt} · {item.importedRows.toLocaleString("en-US")} imported ·{" "}
                            {item.refusedRows.toLocaleString("en-US")} refused of{" "}
                            {item.totalRows.toLocaleString("en-US")}
                          </Text>
                        </BlockStack>
                        <Badge tone={STATUS_BADGE[item.status].tone}>{STATUS_BADGE[item.status].label}</Badge>
                      </InlineStack>
                    </ResourceItem>
                  )}
                />
              </Card>
            ) : null}
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                Columns
              </Text>
              <ImportColumnsHelp />
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteErrorPage title="Import subscribers" what="the import page" />;
}
