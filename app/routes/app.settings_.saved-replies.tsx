import { useEffect, useRef, useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import {
  BlockStack,
  Box,
  Button,
  Card,
  EmptyState,
  InlineStack,
  Layout,
  List,
  Page,
  ResourceItem,
  ResourceList,
  Text,
  TextField,
} from "@shopify/polaris";
import { z } from "zod";
import { RouteErrorPage } from "~/components/RouteErrorPage";
import { SegmentMeter } from "~/components/SegmentMeter";
import { REPLY_VARIABLE_HELP, REPLY_VARIABLE_NAMES } from "~/domain/reply-variables";
import {
  createSavedReply,
  deleteSavedReply,
  listSavedReplies,
  updateSavedReply,
} from "~/services/inbox/saved-replies.server";
import { InboxNotFoundError } from "~/services/inbox/thread.server";
import { authenticate } from "~/shopify.server";

export const meta: MetaFunction = () => [{ title: "Saved replies · Parley" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return { replies: await listSavedReplies(session.shop) };
};

const IntentSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("create"), values: z.unknown() }),
  z.object({ intent: z.literal("update"), id: z.string().min(1), values: z.unknown() }),
  z.object({ intent: z.literal("delete"), id: z.string().min(1) }),
]);

type Result = { ok: true; intent: "create" | "update" | "delete" } | { ok: false; fieldErrors: Record<string, string> };

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const parsed = IntentSchema.safeParse(await request.json().catch(() => null));
  if (!parsed.success) return data<Result>({ ok: false, fieldErrors: { form: "Unknown request" } }, { status: 400 });
  const input = parsed.data;
  try {
    if (input.intent === "delete") {
      await deleteSavedReply(session.shop, input.id);
      return { ok: true, intent: "delete" } satisfies Result;
    }
    const result =
      input.intent === "create"
        ? await createSavedReply(session.shop, input.values)
        : await updateSavedReply(session.shop, input.id, input.values);
    if (!result.ok) return data<Result>({ ok: false, fieldErrors: result.fieldErrors }, { status: 400 });
    return { ok: true, intent: input.intent } satisfies Result;
  } catch (error) {
    if (error instanceof InboxNotFoundError) throw new Response("Saved reply not found", { status: 404 });
    throw error;
  }
};

type Editing = { id: string | null; title: string; body: string };

export default function SavedReplies() {
  const { replies } = useLoaderData<typeof loader>();
  const fetcher = useFetcher<typeof action>();
  const shopify = useAppBridge();
  const [editing, setEditing] = useState<Editing | null>(null);
  const saving = fetcher.state !== "idle";
  const errors = fetcher.data && !fetcher.data.ok ? fetcher.data.fieldErrors : {};

  const seen = useRef<unknown>(fetcher.data);
  useEffect(() => {
    const result = fetcher.data;
    if (fetcher.state !== "idle" || !result || seen.current === result) return;
    seen.current = result;
    if (!result.ok) return;
    setEditing(null);
    shopify.toast.show(result.intent === "delete" ? "Saved reply deleted" : "Saved reply saved");
  }, [fetcher.state, fetcher.data, shopify]);

  const post = (payload: Record<string, unknown>) =>
    fetcher.submit(payload as never, { method: "post", encType: "application/json" });
  const save = () =>
    editing &&
    post(
      editing.id
        ? { intent: "update", id: editing.id, values: { title: editing.title, body: editing.body } }
        : { intent: "create", values: { title: editing.title, body: editing.body } },
    );

  const editor = editing ? (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {editing.id ? "Edit saved reply" : "New saved reply"}
        </Text>
        <TextField
          label="Title"
          value={editing.title}
          onChange={(title) => setEditing({ ...editing, title })}
          autoComplete="off"
          placeholder="Sizing help"
          error={errors.title}
        />
        <TextField
          label="Reply"
          value={editing.body}
          onChange={(body) => setEditing({ ...editing, body })}
          autoComplete="off"
          multiline={4}
          placeholder="Hi {first_name}! Our tees run true to size; if you're between sizes, size up."
          error={errors.body}
        />
        <SegmentMeter text={editing.body} onFix={(body) => setEditing({ ...editing, body })} />
        <InlineStack align="space-between">
          {editing.id ? (
            <Button
              tone="critical"
              variant="plain"
              onClick={() => post({ intent: "delete", id: editing.id })}
              disabled={saving}
            >
              Delete
            </Button>
          ) : (
            <span />
          )}
          <InlineStack gap="200">
            <Button onClick={() => setEditing(null)} disabled={saving}>
              Cancel
            </Button>
            <Button variant="primary" onClick={save} loading={saving}>
              Save
            </Button>
          </InlineStack>
        </InlineStack>
      </BlockStack>
    </Card>
  ) : null;

  return (
    <Page
      title="Saved replies"
      subtitle="Answers your team sends often, one click away in the inbox composer."
      backAction={{ content: "Settings", url: "/app/settings" }}
      primaryAction={{ content: "Add saved reply", onAction: () => setEditing({ id: null, title: "", body: "" }) }}
    >
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {editor}
            <Card padding="0">
              {replies.length === 0 ? (
                <EmptyState
                  heading="No saved replies yet"
                  action={{ content: "Add saved reply", onAction: () => setEditing({ id: null, title: "", body: "" }) }}
                  image=""
                >
                  <p>
                    Write the answers to the questions shoppers ask every day: sizing, shipping costs, delivery times.
                  </p>
                </EmptyState>
              ) : (
                <ResourceList
                  resourceName={{ singular: "saved reply", plural: "saved replies" }}
                  items={replies}
                  renderItem={(reply) => (
                    <ResourceItem
                      id={reply.id}
                      onClick={() => setEditing({ id: reply.id, title: reply.title, body: reply.body })}
                      accessibilityLabel={`Edit ${reply.title}`}
                    >
                      <BlockStack gap="100">
                        <Text as="h3" variant="bodyMd" fontWeight="semibold">
                          {reply.title}
                        </Text>
                        <Text as="p" tone="subdued" truncate>
                          {reply.body}
                        </Text>
                      </BlockStack>
                    </ResourceItem>
                  )}
                />
              )}
            </Card>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingSm">
                Variables
              </Text>
              <Text as="p" tone="subdued">
                Filled in for each shopper when you insert the reply. The composer shows the result before you send, and
                warns when a shopper has no value for one.
              </Text>
              <Box>
                <List>
                  {REPLY_VARIABLE_NAMES.map((name) => (
                    <List.Item key={name}>
                      <Text as="span" fontWeight="semibold">{`{${name}}`}</Text> — {REPLY_VARIABLE_HELP[name]}
                    </List.Item>
                  ))}
                </List>
              </Box>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteErrorPage title="Saved replies" what="your saved replies" />;
}
