import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useFetcher, useLoaderData, useSearchParams } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import { Banner, BlockStack, Button, Card, InlineStack, Layout, Page, Tabs, Text } from "@shopify/polaris";
import { useFlowToggle } from "~/components/flows/FlowCard";
import { FlowSettingsFields, FlowVariablesSection } from "~/components/flows/FlowSettingsForm";
import { FlowSwitch } from "~/components/flows/FlowSwitch";
import { RecentRunsTable, type RecentRunRow } from "~/components/flows/RecentRunsTable";
import { RouteErrorPage } from "~/components/RouteErrorPage";
import { AppSaveBar, FieldErrorsBanner, SaveButtonRow } from "~/components/SaveControls";
import { formatMoney } from "~/domain/discount-guardrails";
import { FLOW_DESCRIPTIONS, FLOW_TITLES, flowKindFromSlug, runOutcome, stateLabel } from "~/domain/flows/descriptions";
import type { FieldErrors, FlowFormValues } from "~/domain/flows/settings-form";
import { fullTimestamp, lastActivityLabel } from "~/domain/inbox-query";
import { formatPhone } from "~/domain/phone";
import { loadFlowSettingsPage, resetFlowSettings, saveFlowSettings } from "~/services/flows/settings.server";
import { listRecentRuns } from "~/services/flows/stats.server";
import { shopTimeZone } from "~/services/inbox/thread.server";
import { authenticate } from "~/shopify.server";

export const meta: MetaFunction<typeof loader> = ({ data: page }) => [
  { title: `${page ? page.title : "Flow"} · Parley` },
];

function kindOf(slug: string | undefined) {
  const kind = flowKindFromSlug(slug);
  if (!kind) throw new Response("No such flow", { status: 404, statusText: "Not Found" });
  return kind;
}

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shopId = session.shop;
  const kind = kindOf(params.kind);
  const [page, runs, timeZone] = await Promise.all([
    loadFlowSettingsPage(shopId, kind),
    listRecentRuns({ shopId, kind }),
    shopTimeZone(shopId),
  ]);
  const now = new Date();
  const rows: RecentRunRow[] = runs.map((run) => {
    const name = [run.contact.firstName, run.contact.lastName].filter((p) => p?.trim()).join(" ");
    return {
      id: run.id,
      shopper: name || formatPhone(run.contact.phoneE164),
      conversationId: run.conversationId,
      state: stateLabel(run.state),
      status: run.status,
      started: lastActivityLabel(run.startedAt, now, timeZone),
      startedFull: fullTimestamp(run.startedAt, timeZone),
      outcome: runOutcome(run, formatMoney),
    };
  });
  return { ...page, title: FLOW_TITLES[kind], description: FLOW_DESCRIPTIONS[kind], runs: rows };
};

type ActionResult = { ok: true; intent: "save" | "reset" } | { ok: false; fieldErrors: FieldErrors };

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const kind = kindOf(params.kind);
  const body = (await request.json().catch(() => null)) as { intent?: unknown; values?: unknown } | null;
  if (body?.intent === "save" && body.values && typeof body.values === "object") {
    const saved = await saveFlowSettings(session.shop, kind, body.values as FlowFormValues);
    if (!saved.ok) return data({ ok: false, fieldErrors: saved.fieldErrors } satisfies ActionResult, { status: 400 });
    return { ok: true, intent: "save" } satisfies ActionResult;
  }
  if (body?.intent === "reset") {
    await resetFlowSettings(session.shop, kind);
    return { ok: true, intent: "reset" } satisfies ActionResult;
  }
  return data(
    {
      ok: false,
      fieldErrors: { form: 'Send { intent: "save", values } or { intent: "reset" } as JSON' },
    } satisfies ActionResult,
    { status: 400 },
  );
};

type PageData = ReturnType<typeof useLoaderData<typeof loader>>;

export default function FlowSettingsPage() {
  const page = useLoaderData<typeof loader>();
  // A new saved version resets the form to what is stored.
  const version = useMemo(() => JSON.stringify(page.values), [page.values]);
  return <FlowSettingsView key={version} page={page} />;
}

function FlowSettingsView({ page }: { page: PageData }) {
  const shopify = useAppBridge();
  const fetcher = useFetcher<typeof action>({ key: `flow-settings-${page.kind}` });
  const [values, setValues] = useState<FlowFormValues>(page.values);
  const [searchParams, setSearchParams] = useSearchParams();
  const tab = searchParams.get("tab") === "runs" ? 1 : 0;
  const toggle = useFlowToggle(page.kind, page.title, page.enabled);
  const dirty = JSON.stringify(values) !== JSON.stringify(page.values);
  const saving = fetcher.state !== "idle";
  const errors: FieldErrors = fetcher.data && !fetcher.data.ok ? fetcher.data.fieldErrors : {};

  const toasted = useRef<unknown>(fetcher.data);
  useEffect(() => {
    const result = fetcher.data;
    if (fetcher.state !== "idle" || !result || toasted.current === result) return;
    toasted.current = result;
    if (result.ok) shopify.toast.show(result.intent === "reset" ? "Back to the defaults" : "Flow settings saved");
    else {
      shopify.toast.show(result.fieldErrors.form ?? "Check the highlighted fields", { isError: true });
      focusFirstError(Object.keys(result.fieldErrors));
    }
  }, [fetcher.state, fetcher.data, shopify]);

  const set = useCallback((name: string, value: FlowFormValues[string]) => {
    setValues((v) => ({ ...v, [name]: value }));
  }, []);
  const save = () =>
    fetcher.submit({ intent: "save", values } as never, { method: "post", encType: "application/json" });
  const discard = () => setValues(page.values);
  const reset = () => {
    if (page.customized) fetcher.submit({ intent: "reset" }, { method: "post", encType: "application/json" });
    else setValues(page.defaults);
  };
  const atDefaults = !page.customized && JSON.stringify(values) === JSON.stringify(page.defaults);
  const selectTab = (index: number) => {
    const next = new URLSearchParams(searchParams);
    if (index === 1) next.set("tab", "runs");
    else next.delete("tab");
    setSearchParams(next, { replace: true, preventScrollReset: true });
  };
  const hasFields = Object.keys(page.defaults).length > 0;

  return (
    <Page
      title={page.title}
      subtitle={page.description}
      backAction={{ content: "Flows", url: "/app/flows" }}
      primaryAction={
        <FlowSwitch label={page.title} checked={toggle.enabled} busy={toggle.busy} onChange={toggle.toggle} />
      }
      secondaryActions={
        hasFields
          ? [
              { content: "Reset to defaults", onAction: reset, disabled: atDefaults || saving },
              ...(dirty ? [{ content: "Discard", onAction: discard, disabled: saving }] : []),
            ]
          : []
      }
    >
      <AppSaveBar id={`flow-save-bar-${page.kind}`} open={dirty} saving={saving} onSave={save} onDiscard={discard} />
      <BlockStack gap="400">
        <Tabs
          tabs={[
            { id: "settings", content: "Settings" },
            { id: "runs", content: "Recent runs" },
          ]}
          selected={tab}
          onSelect={selectTab}
        />
        {tab === 1 ? (
          <Card padding="0">
            <RecentRunsTable rows={page.runs} />
          </Card>
        ) : (
          <BlockStack gap="500">
            <FieldErrorsBanner count={Object.keys(errors).length} />
            {page.stepsAboveGuardrail.length > 0 ? (
              <Banner tone="warning" title="Some discount steps are above your guardrail">
                <p>
                  Your guardrail is now {page.maxPercent}% off, so{" "}
                  {page.stepsAboveGuardrail.map((s) => `${s}%`).join(" and ")} will not be offered. Lower the steps
                  below, or raise the guardrail in Settings.
                </p>
              </Banner>
            ) : null}
            <Layout>
              {hasFields ? (
                <>
                  <FlowVariablesSection kind={page.kind} />
                  <FlowSettingsFields
                    kind={page.kind}
                    values={values}
                    errors={errors}
                    shop={page.preview}
                    maxPercent={page.maxPercent}
                    onChange={set}
                  />
                </>
              ) : (
                <WelcomeTexts />
              )}
            </Layout>
            {hasFields ? <SaveButtonRow dirty={dirty} saving={saving} onSave={save} /> : null}
          </BlockStack>
        )}
      </BlockStack>
    </Page>
  );
}

/** The first refused field (in the page's order), brought into view with the cursor in it: long forms hide it. */
function focusFirstError(keys: string[]) {
  const fields = keys.flatMap((key) => [...document.querySelectorAll<HTMLElement>(`[name="${CSS.escape(key)}"]`)]);
  const first = fields.sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1))[0];
  first?.scrollIntoView({ block: "center" });
  first?.focus({ preventScroll: true });
}

/** The welcome text and code belong to the opt-in settings; this flow only adds its switch and numbers. */
function WelcomeTexts() {
  return (
    <Layout.AnnotatedSection
      id="welcome"
      title="Welcome text and code"
      description="Sent once a subscriber confirms their opt-in."
    >
      <Card>
        <BlockStack gap="300">
          <Text as="p">
            The welcome message and the optional welcome discount are part of your opt-in settings, next to double
            opt-in and join keywords.
          </Text>
          <Text as="p" tone="subdued">
            Turning this flow off does not stop the welcome text: it is part of confirming an opt-in. The flow only adds
            the numbers.
          </Text>
          <InlineStack>
            <Button url="/app/settings#opt-in">Edit the welcome text in Settings</Button>
          </InlineStack>
        </BlockStack>
      </Card>
    </Layout.AnnotatedSection>
  );
}

export function ErrorBoundary() {
  return <RouteErrorPage title="Flow" what="this flow" />;
}
