import { useEffect, useMemo, useRef, useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { isRouteErrorResponse, useFetcher, useLoaderData, useRouteError } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import { Badge, Banner, BlockStack, Card, EmptyState, InlineStack, Layout, Page } from "@shopify/polaris";
import { z } from "zod";
import { RouteErrorPage } from "~/components/RouteErrorPage";
import { Composer, type ComposerHandle } from "~/components/inbox/Composer";
import { StoreContextCard } from "~/components/inbox/StoreContextCard";
import { ThreadActions } from "~/components/inbox/ThreadActions";
import { ThreadDetailsCard } from "~/components/inbox/ThreadDetailsCard";
import { formatDateTime, ThreadTimeline } from "~/components/inbox/ThreadTimeline";
import { useLiveRevalidation } from "~/components/inbox/useLiveRevalidation";
import type { ConsentStates } from "~/domain/consent";
import { ReplyVariablesSchema, type ReplyVariables } from "~/domain/reply-variables";
import {
  addNote,
  addTag,
  assign,
  close,
  InboxInputError,
  markRead,
  markUnread,
  removeTag,
  reopen,
  sendReply,
  snooze,
  type ReplyOutcome,
} from "~/services/inbox/actions.server";
import { listSavedReplies } from "~/services/inbox/saved-replies.server";
import { currentStaffMember, listStaff } from "~/services/inbox/staff.server";
import { InboxNotFoundError, loadThread, shopTimeZone, type TimelineItem } from "~/services/inbox/thread.server";
import { authenticate } from "~/shopify.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.thread.conversation.contact.name ?? "Conversation"} · Inbox · Parley` },
];

const notFound = () => new Response("Conversation not found", { status: 404, statusText: "Not Found" });

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shopId = session.shop;
  const conversationId = params.id ?? "";
  const beforeParam = new URL(request.url).searchParams.get("before");
  const before = beforeParam && !Number.isNaN(Date.parse(beforeParam)) ? new Date(beforeParam) : null;

  const [me, timeZone, staff, savedReplies] = await Promise.all([
    currentStaffMember(session, shopId),
    shopTimeZone(shopId),
    listStaff(shopId),
    listSavedReplies(shopId),
  ]);
  const thread = await loadThread({ shopId, conversationId, before, timeZone });
  if (!thread) throw notFound();
  // Opening the thread reads it ("Load older" pages do not count as opening it again).
  if (!before && thread.conversation.unreadCount > 0) await markRead(shopId, me, conversationId);
  return {
    thread,
    me: me ? { id: me.id } : null,
    staff: staff.map((s) => ({ id: s.id, name: s.name })),
    savedReplies: savedReplies.map((r) => ({ id: r.id, title: r.title, body: r.body })),
    timeZone,
  };
};

const IntentSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("send"),
    body: z.string(),
    draftId: z.string(),
    variables: ReplyVariablesSchema.default({}),
  }),
  z.object({ intent: z.literal("note"), body: z.string() }),
  z.object({ intent: z.literal("assign"), staffId: z.string().min(1).nullable() }),
  z.object({ intent: z.literal("close") }),
  z.object({ intent: z.literal("reopen") }),
  z.object({ intent: z.literal("snooze"), until: z.iso.datetime({ offset: true }) }),
  z.object({ intent: z.literal("tag"), tag: z.string().max(200) }),
  z.object({ intent: z.literal("untag"), tag: z.string().max(200) }),
  z.object({ intent: z.literal("unread") }),
]);
type Intent = z.infer<typeof IntentSchema>["intent"];

export type ThreadActionResult =
  | { ok: true; intent: Intent; outcome?: ReplyOutcome }
  | { ok: false; intent: Intent | null; fieldErrors: Record<string, string> };

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shopId = session.shop;
  const conversationId = params.id ?? "";
  const parsed = IntentSchema.safeParse(await request.json().catch(() => null));
  if (!parsed.success) {
    const fieldErrors = Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0] ?? "form"), i.message]));
    return data<ThreadActionResult>({ ok: false, intent: null, fieldErrors }, { status: 400 });
  }
  const input = parsed.data;
  const me = await currentStaffMember(session, shopId);
  try {
    switch (input.intent) {
      case "send": {
        const outcome = await sendReply(shopId, me, conversationId, input, { timeZone: await shopTimeZone(shopId) });
        return { ok: true, intent: input.intent, outcome } satisfies ThreadActionResult;
      }
      case "note":
        await addNote(shopId, me, conversationId, input);
        break;
      case "assign":
        await assign(shopId, me, conversationId, input);
        break;
      case "close":
        await close(shopId, me, conversationId);
        break;
      case "reopen":
        await reopen(shopId, me, conversationId);
        break;
      case "snooze":
        await snooze(shopId, me, conversationId, { until: new Date(input.until) });
        break;
      case "tag":
        await addTag(shopId, me, conversationId, input);
        break;
      case "untag":
        await removeTag(shopId, me, conversationId, input);
        break;
      case "unread":
        await markUnread(shopId, me, conversationId);
        break;
    }
    return { ok: true, intent: input.intent } satisfies ThreadActionResult;
  } catch (error) {
    if (error instanceof InboxNotFoundError) throw notFound();
    if (error instanceof InboxInputError)
      return data<ThreadActionResult>(
        { ok: false, intent: input.intent, fieldErrors: error.fieldErrors },
        { status: 400 },
      );
    throw error;
  }
};

// ─── Page ─────────────────────────────────────────────────────────────────────────────────────────

function ConsentBadge({ consent }: { consent: ConsentStates }) {
  if (consent.transactional === "UNSUBSCRIBED") return <Badge tone="critical">Opted out</Badge>;
  if (consent.marketing === "SUBSCRIBED") return <Badge tone="success">Subscribed</Badge>;
  if (consent.marketing === "PENDING") return <Badge tone="attention">Confirmation pending</Badge>;
  if (consent.marketing === "UNSUBSCRIBED") return <Badge tone="warning">Transactional only</Badge>;
  if (consent.transactional === "SUBSCRIBED") return <Badge tone="info">Transactional only</Badge>;
  return <Badge>Not subscribed</Badge>;
}

const STATUS_BADGE = {
  OPEN: { tone: "info", label: "Open" },
  PENDING: { tone: "attention", label: "Pending" },
  SNOOZED: { tone: "warning", label: "Snoozed" },
  CLOSED: { tone: undefined, label: "Closed" },
} as const;

export default function ConversationPage() {
  const { thread, me, staff, savedReplies, timeZone } = useLoaderData<typeof loader>();
  const conversation = thread.conversation;
  const id = conversation.id;
  const shopify = useAppBridge();
  const actions = useFetcher<typeof action>({ key: `thread-actions-${id}` });
  const composerFetcher = useFetcher<typeof action>({ key: `thread-composer-${id}` });
  const older = useFetcher<typeof loader>();
  const composer = useRef<ComposerHandle | null>(null);

  const [variables, setVariables] = useState<ReplyVariables>({});
  const [outcome, setOutcome] = useState<ReplyOutcome | null>(null);
  const [olderItems, setOlderItems] = useState<TimelineItem[]>([]);
  const [olderCursor, setOlderCursor] = useState<Date | null>(thread.olderCursor);

  // Live: a new message, a delivery receipt or another staff member's change to this conversation.
  useLiveRevalidation((notice) => notice.conversationId === id);

  // Older pages accumulate above the newest page (which the loader keeps fresh).
  useEffect(() => {
    if (older.state !== "idle" || !older.data) return;
    const page = older.data.thread;
    setOlderItems((items) => {
      const seen = new Set(items.map((i) => i.id));
      return [...page.items.filter((i) => !seen.has(i.id)), ...items];
    });
    setOlderCursor(page.olderCursor);
  }, [older.state, older.data]);
  useEffect(() => {
    if (olderItems.length === 0) setOlderCursor(thread.olderCursor);
  }, [thread.olderCursor, olderItems.length]);

  const items = useMemo(() => {
    const latest = new Set(thread.items.map((i) => i.id));
    return [...olderItems.filter((i) => !latest.has(i.id)), ...thread.items];
  }, [olderItems, thread.items]);

  // Each answer once: the composer's outcome banner and toast, and errors of header/sidebar actions.
  const seenComposer = useRef<unknown>(composerFetcher.data);
  useEffect(() => {
    const result = composerFetcher.data;
    if (composerFetcher.state !== "idle" || !result || seenComposer.current === result) return;
    seenComposer.current = result;
    if (!result.ok) return;
    if (result.intent === "note") {
      composer.current?.clear();
      shopify.toast.show("Note added");
      return;
    }
    if (result.outcome) {
      setOutcome(result.outcome);
      shopify.toast.show(result.outcome.text, { isError: result.outcome.status === "refused" });
      if (result.outcome.status === "refused") composer.current?.renewDraftId();
      else composer.current?.clear();
    }
  }, [composerFetcher.state, composerFetcher.data, shopify]);

  const seenAction = useRef<unknown>(actions.data);
  useEffect(() => {
    const result = actions.data;
    if (actions.state !== "idle" || !result || seenAction.current === result) return;
    seenAction.current = result;
    if (!result.ok) shopify.toast.show(Object.values(result.fieldErrors)[0] ?? "That didn't work", { isError: true });
    else if (result.intent === "close") shopify.toast.show("Conversation closed");
    else if (result.intent === "snooze") shopify.toast.show("Conversation snoozed");
    else if (result.intent === "unread") shopify.toast.show("Marked unread");
  }, [actions.state, actions.data, shopify]);

  const submit = (payload: Record<string, unknown>) =>
    actions.submit(payload as never, { method: "post", encType: "application/json" });
  const busy = actions.state !== "idle";
  const composerError =
    composerFetcher.data && !composerFetcher.data.ok ? Object.values(composerFetcher.data.fieldErrors)[0] : undefined;
  const tagError =
    actions.data && !actions.data.ok && actions.data.intent === "tag" ? actions.data.fieldErrors.tag : undefined;
  const status = STATUS_BADGE[conversation.status];
  const handlers = {
    onAssign: (staffId: string | null) => submit({ intent: "assign", staffId }),
    onClose: () => submit({ intent: "close" }),
    onReopen: () => submit({ intent: "reopen" }),
    onSnooze: (until: Date) => submit({ intent: "snooze", until: until.toISOString() }),
    onMarkUnread: () => submit({ intent: "unread" }),
  };

  return (
    <Page
      backAction={{ content: "Inbox", url: "/app/inbox" }}
      title={conversation.contact.name}
      subtitle={
        conversation.contact.name === conversation.contact.phone
          ? undefined
          : [conversation.contact.phone, conversation.contact.email].filter(Boolean).join(" · ")
      }
      titleMetadata={
        <InlineStack gap="100">
          <Badge tone={status.tone}>
            {conversation.status === "SNOOZED" && conversation.snoozedUntil
              ? `Snoozed until ${formatDateTime(timeZone, conversation.snoozedUntil)}`
              : status.label}
          </Badge>
          <ConsentBadge consent={conversation.consent} />
        </InlineStack>
      }
      secondaryActions={
        <ThreadActions
          status={conversation.status}
          assigneeId={conversation.assignee?.id ?? null}
          staff={staff}
          meId={me?.id ?? null}
          timeZone={timeZone}
          busy={busy}
          handlers={handlers}
        />
      }
      fullWidth
    >
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Card>
              <ThreadTimeline
                items={items}
                timeZone={timeZone}
                hasOlder={Boolean(olderCursor)}
                loadingOlder={older.state !== "idle"}
                onLoadOlder={() =>
                  olderCursor &&
                  older.load(`/app/inbox/${id}?before=${encodeURIComponent(new Date(olderCursor).toISOString())}`)
                }
              />
            </Card>
            {/* A queued reply is what staff expect (the toast says so); held, refused or repeated ones stay in view. */}
            {outcome && outcome.status !== "queued" ? (
              <Banner
                tone={outcome.tone === "info" ? "info" : outcome.tone}
                title={
                  outcome.status === "held"
                    ? "Reply held for quiet hours"
                    : outcome.status === "refused"
                      ? "Reply not sent"
                      : "Already sent"
                }
                onDismiss={() => setOutcome(null)}
              >
                {outcome.text}
              </Banner>
            ) : null}
            <Composer
              conversationId={id}
              shopperFirstName={conversation.contact.firstName}
              variables={variables}
              savedReplies={savedReplies}
              sending={composerFetcher.state !== "idle"}
              error={composerError}
              optedOut={conversation.consent.transactional === "UNSUBSCRIBED"}
              handleRef={composer}
              onSend={(reply) => {
                setOutcome(null);
                composerFetcher.submit({ intent: "send", ...reply }, { method: "post", encType: "application/json" });
              }}
              onNote={(note) =>
                composerFetcher.submit({ intent: "note", ...note }, { method: "post", encType: "application/json" })
              }
            />
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <StoreContextCard conversationId={id} onVariables={setVariables} />
            <ThreadDetailsCard
              assigneeId={conversation.assignee?.id ?? null}
              staff={staff}
              tags={conversation.tags}
              automationPaused={conversation.automationPaused}
              busy={busy}
              tagError={tagError}
              onAssign={handlers.onAssign}
              onAddTag={(tag) => submit({ intent: "tag", tag })}
              onRemoveTag={(tag) => submit({ intent: "untag", tag })}
            />
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
      <Page backAction={{ content: "Inbox", url: "/app/inbox" }} title="Conversation">
        <Card>
          <EmptyState
            heading="This conversation isn't here"
            action={{ content: "Back to the inbox", url: "/app/inbox" }}
            image=""
          >
            <p>It may have been removed, or the link is for another store.</p>
          </EmptyState>
        </Card>
      </Page>
    );
  }
  return <RouteErrorPage title="Conversation" what="this conversation" />;
}
