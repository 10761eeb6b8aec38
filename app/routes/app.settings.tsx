import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useFetcher, useLoaderData, useRevalidator } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  Checkbox,
  ChoiceList,
  Divider,
  FormLayout,
  InlineGrid,
  InlineStack,
  Layout,
  List,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { RouteErrorPage } from "~/components/RouteErrorPage";
import { SegmentMeter } from "~/components/SegmentMeter";
import { AppSaveBar, FieldErrorsBanner, SaveButtonRow } from "~/components/SaveControls";
import { env } from "~/env.server";
import {
  loadSettingsPage,
  requestTestMessage,
  saveSettings,
  validateSettings,
  type FieldErrors,
  type SettingsFormValues,
  type SettingsPageData,
  type Weekday,
} from "~/services/settings.server";
import { authenticate } from "~/shopify.server";

export const meta: MetaFunction = () => [{ title: "Settings · Parley" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return { ...(await loadSettingsPage(session.shop)), sandbox: env().PARLEY_SANDBOX };
};

type ActionResult =
  | { ok: true; intent: "save" }
  | { ok: true; intent: "sendTestMessage"; to: string }
  | { ok: false; intent: "save" | "sendTestMessage" | null; fieldErrors: FieldErrors };

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const body = (await request.json().catch(() => null)) as { intent?: unknown; values?: unknown; to?: unknown } | null;
  const invalid = (result: ActionResult) => data(result, { status: 400 });

  if (body?.intent === "save") {
    const parsed = validateSettings(body.values);
    if (!parsed.ok) return invalid({ ok: false, intent: "save", fieldErrors: parsed.fieldErrors });
    const saved = await saveSettings(session.shop, parsed.data);
    if (!saved.ok) return invalid({ ok: false, intent: "save", fieldErrors: saved.fieldErrors });
    return { ok: true, intent: "save" } satisfies ActionResult;
  }
  if (body?.intent === "sendTestMessage") {
    const user = session.onlineAccessInfo?.associated_user;
    const result = await requestTestMessage(
      session.shop,
      { to: body.to },
      { requestedBy: user ? String(user.id) : undefined },
    );
    if (!result.ok) return invalid({ ok: false, intent: "sendTestMessage", fieldErrors: result.fieldErrors });
    return { ok: true, intent: "sendTestMessage", to: result.to } satisfies ActionResult;
  }
  return invalid({
    ok: false,
    intent: null,
    fieldErrors: { form: 'Unknown request: send { intent: "save" | "sendTestMessage" } as JSON' },
  });
};

// ─── Page ─────────────────────────────────────────────────────────────────────────────────────────

export default function Settings() {
  const page = useLoaderData<typeof loader>();
  const shopify = useAppBridge();
  const saveFetcher = useFetcher<typeof action>({ key: "settings-save" });
  const testFetcher = useFetcher<typeof action>({ key: "settings-test" });
  const [testTo, setTestTo] = useState("");

  // Toast each answer once (a remounted page must not repeat an old toast).
  const toasted = useRef<unknown>(saveFetcher.data);
  useEffect(() => {
    const result = saveFetcher.data;
    if (saveFetcher.state !== "idle" || !result || toasted.current === result) return;
    toasted.current = result;
    if (result.ok) shopify.toast.show("Settings saved");
    else shopify.toast.show(result.fieldErrors.form ?? "Check the highlighted fields", { isError: true });
  }, [saveFetcher.state, saveFetcher.data, shopify]);

  const testToasted = useRef<unknown>(testFetcher.data);
  useEffect(() => {
    const result = testFetcher.data;
    if (testFetcher.state !== "idle" || !result || testToasted.current === result) return;
    testToasted.current = result;
    if (result.ok && result.intent === "sendTestMessage") shopify.toast.show(`Test message queued for ${result.to}`);
  }, [testFetcher.state, testFetcher.data, shopify]);

  // While the worker has the test message, look again every 1.5 s.
  const revalidator = useRevalidator();
  const revalidate = useRef(revalidator.revalidate);
  revalidate.current = revalidator.revalidate;
  const testPending = page.testMessage?.status === "queued" || page.testMessage?.status === "sending";
  useEffect(() => {
    if (!testPending) return;
    const timer = setInterval(() => revalidate.current(), 1500);
    return () => clearInterval(timer);
  }, [testPending]);

  const saveErrors = saveFetcher.data && !saveFetcher.data.ok ? saveFetcher.data.fieldErrors : {};
  const testErrors = testFetcher.data && !testFetcher.data.ok ? testFetcher.data.fieldErrors : {};
  const saving = saveFetcher.state !== "idle";
  const sendingTest = testFetcher.state !== "idle";

  const onSave = useCallback(
    (values: SettingsFormValues) =>
      saveFetcher.submit({ intent: "save", values } as never, { method: "post", encType: "application/json" }),
    [saveFetcher],
  );
  const onSendTest = () =>
    testFetcher.submit({ intent: "sendTestMessage", to: testTo }, { method: "post", encType: "application/json" });

  // A new saved version (not a test-message status change) resets the form to what is stored.
  const version = useMemo(() => JSON.stringify(page.values), [page.values]);

  return (
    <SettingsForm
      key={version}
      page={page}
      saving={saving}
      errors={saveErrors}
      onSave={onSave}
      testMessage={
        <TestMessageSection
          testMessage={page.testMessage}
          to={testTo}
          onToChange={setTestTo}
          onSend={onSendTest}
          sending={sendingTest}
          error={testErrors.to ?? testErrors.form}
          sandbox={page.sandbox}
        />
      }
    />
  );
}

// ─── The form ─────────────────────────────────────────────────────────────────────────────────────

// (Values from *.server modules cannot reach the browser, so the week is spelled out here.)
const DAY_LABELS: Record<Weekday, string> = {
  mon: "Monday",
  tue: "Tuesday",
  wed: "Wednesday",
  thu: "Thursday",
  fri: "Friday",
  sat: "Saturday",
  sun: "Sunday",
};
const WEEKDAYS = Object.keys(DAY_LABELS) as Weekday[];

function clockLabel(value: string) {
  const [h, m] = value.split(":").map(Number);
  const suffix = h < 12 ? "AM" : "PM";
  const hour = h % 12 === 0 ? 12 : h % 12;
  return `${hour}:${String(m).padStart(2, "0")} ${suffix}`;
}

const HALF_HOURS = Array.from(
  { length: 48 },
  (_, i) => `${String(Math.floor(i / 2)).padStart(2, "0")}:${i % 2 ? "30" : "00"}`,
);
const TIME_OPTIONS = HALF_HOURS.map((value) => ({ label: clockLabel(value), value }));
const WINDOW_OPTIONS = TIME_OPTIONS.filter((o) => o.value >= "08:00" && o.value <= "21:00");

function withCurrent(options: { label: string; value: string }[], value: string) {
  return options.some((o) => o.value === value)
    ? options
    : [...options, { label: clockLabel(value), value }].sort((a, b) => a.value.localeCompare(b.value));
}

interface SettingsFormProps {
  page: SettingsPageData & { sandbox: boolean };
  saving: boolean;
  errors: FieldErrors;
  onSave: (values: SettingsFormValues) => void;
  testMessage: ReactNode;
}

function SettingsForm({ page, saving, errors, onSave, testMessage }: SettingsFormProps) {
  const initial = page.values;
  const [values, setValues] = useState<SettingsFormValues>(initial);
  const dirty = JSON.stringify(values) !== JSON.stringify(initial);

  const set =
    <K extends keyof SettingsFormValues>(key: K) =>
    (value: SettingsFormValues[K]) =>
      setValues((v) => ({ ...v, [key]: value }));
  const setDay = (day: Weekday, patch: Partial<SettingsFormValues["businessHours"][Weekday]>) =>
    setValues((v) => ({ ...v, businessHours: { ...v.businessHours, [day]: { ...v.businessHours[day], ...patch } } }));
  const save = () => onSave(values);
  const discard = () => setValues(initial);

  const timeZoneOptions = useMemo(
    () => page.timeZones.map((zone) => ({ label: zone.replace(/_/g, " "), value: zone })),
    [page.timeZones],
  );
  const errorCount = Object.keys(errors).length;
  const strict = values.quietHoursPolicy === "STRICT_STATE_RULES";

  const telnyxBadge = page.telnyx.apiKeySaved ? (
    <Badge tone="success">Your Telnyx account</Badge>
  ) : page.telnyx.platformKeyAvailable ? (
    <Badge tone="info">{page.sandbox ? "Sandbox network" : "Parley's Telnyx account"}</Badge>
  ) : (
    <Badge tone="attention">Not connected</Badge>
  );

  return (
    <Page
      title="Settings"
      subtitle="How Parley introduces your store, when it may text, and how it connects to Telnyx."
      primaryAction={{ content: "Save", onAction: save, loading: saving, disabled: !dirty || saving }}
      secondaryActions={dirty ? [{ content: "Discard", onAction: discard, disabled: saving }] : []}
    >
      <AppSaveBar id="settings-save-bar" open={dirty} saving={saving} onSave={save} onDiscard={discard} />
      <BlockStack gap="500">
        <FieldErrorsBanner count={errorCount} />
        <Layout>
          <Layout.AnnotatedSection
            id="brand"
            title="Brand and sender"
            description="Carriers require your brand name in the first text of every conversation, and a way for shoppers to get help."
          >
            <Card>
              <FormLayout>
                <TextField
                  label="Brand name"
                  value={values.brandName}
                  onChange={set("brandName")}
                  autoComplete="organization"
                  maxLength={60}
                  error={errors.brandName}
                  helpText="As shoppers know your store, e.g. “Acme Outfitters”."
                />
                <TextField
                  label="Sender name"
                  value={values.senderName}
                  onChange={set("senderName")}
                  autoComplete="off"
                  maxLength={30}
                  error={errors.senderName}
                  helpText="Optional. Who signs the texts: “Hi, this is Sam from Acme Outfitters”."
                />
                <TextField
                  label="Support contact"
                  value={values.supportContact}
                  onChange={set("supportContact")}
                  autoComplete="email"
                  error={errors.supportContact}
                  helpText="Email, web address or phone number, sent in replies to HELP."
                />
                <TextField
                  label="Message frequency"
                  value={values.messageFrequency}
                  onChange={set("messageFrequency")}
                  autoComplete="off"
                  maxLength={60}
                  error={errors.messageFrequency}
                  helpText="Disclosed when shoppers subscribe, e.g. “Up to 4 msgs/month”."
                />
                <InlineStack align="space-between" blockAlign="center">
                  <Text as="span" tone="subdued">
                    Replies to STOP, HELP, START and Y are built from these fields.
                  </Text>
                  <Button url="/app/settings/keywords" variant="plain">
                    Edit keyword replies
                  </Button>
                </InlineStack>
                <InlineStack align="space-between" blockAlign="center">
                  <Text as="span" tone="subdued">
                    Answers staff insert from the inbox composer, with {"{first_name}"} and other variables.
                  </Text>
                  <Button url="/app/settings/saved-replies" variant="plain">
                    Manage saved replies
                  </Button>
                </InlineStack>
              </FormLayout>
            </Card>
          </Layout.AnnotatedSection>

          <Layout.AnnotatedSection
            id="sending-number"
            title="Sending number"
            description="The number shoppers text and receive your texts from. One number belongs to one store."
          >
            <Card>
              <BlockStack gap="400">
                <InlineStack align="space-between" blockAlign="center">
                  <Text as="h3" variant="headingSm">
                    Number
                  </Text>
                  {page.numberConnected ? (
                    <Badge tone="success">Connected</Badge>
                  ) : (
                    <Badge tone="attention">Not connected</Badge>
                  )}
                </InlineStack>
                <FormLayout>
                  <FormLayout.Group>
                    <TextField
                      label="Phone number"
                      type="tel"
                      value={values.sendingNumber}
                      onChange={set("sendingNumber")}
                      autoComplete="off"
                      error={errors.sendingNumber}
                      placeholder="+1 415 555 0134"
                      helpText="Your Telnyx number, in international format."
                    />
                    <TextField
                      label="Messages per second"
                      type="number"
                      min={1}
                      max={1000}
                      value={values.messagesPerSecond}
                      onChange={set("messagesPerSecond")}
                      autoComplete="off"
                      error={errors.messagesPerSecond}
                      helpText="The number's throughput; Parley paces sends under it."
                    />
                  </FormLayout.Group>
                </FormLayout>
              </BlockStack>
            </Card>
          </Layout.AnnotatedSection>

          <Layout.AnnotatedSection
            id="telnyx"
            title="Telnyx connection"
            description="Bring your own Telnyx account, or leave the key empty to send through Parley's. Keys are encrypted at rest and never shown again."
          >
            <Card>
              <BlockStack gap="400">
                <InlineStack align="space-between" blockAlign="center">
                  <Text as="h3" variant="headingSm">
                    Account
                  </Text>
                  {telnyxBadge}
                </InlineStack>
                <FormLayout>
                  <ApiKeyField
                    saved={page.telnyx.apiKeySaved}
                    action={values.telnyxApiKeyAction}
                    value={values.telnyxApiKey}
                    error={errors.telnyxApiKey}
                    onChange={(telnyxApiKey, telnyxApiKeyAction) =>
                      setValues((v) => ({ ...v, telnyxApiKey, telnyxApiKeyAction }))
                    }
                  />
                  <TextField
                    label="Public key"
                    value={values.telnyxPublicKey}
                    onChange={set("telnyxPublicKey")}
                    autoComplete="off"
                    monospaced
                    error={errors.telnyxPublicKey}
                    helpText="Verifies that webhooks really come from Telnyx (Portal → Keys & Credentials → Public Key)."
                  />
                  <TextField
                    label="Messaging profile ID"
                    value={values.telnyxMessagingProfileId}
                    onChange={set("telnyxMessagingProfileId")}
                    autoComplete="off"
                    monospaced
                    error={errors.telnyxMessagingProfileId}
                    helpText="Optional. The profile your number belongs to."
                  />
                </FormLayout>
                <Divider />
                {testMessage}
              </BlockStack>
            </Card>
          </Layout.AnnotatedSection>

          <Layout.AnnotatedSection
            id="hours"
            title="Time zone and business hours"
            description="When your team answers texts. Parley uses them to tell shoppers when to expect a reply."
          >
            <Card>
              <BlockStack gap="400">
                <Select
                  label="Time zone"
                  options={timeZoneOptions}
                  value={values.timeZone}
                  onChange={set("timeZone")}
                  error={errors.timeZone}
                />
                <BlockStack gap="200">
                  <Text as="h3" variant="headingSm">
                    Business hours
                  </Text>
                  {WEEKDAYS.map((day) => {
                    const hours = values.businessHours[day];
                    return (
                      <InlineGrid
                        key={day}
                        columns={{ xs: 1, sm: ["oneThird", "twoThirds"] }}
                        gap="200"
                        alignItems="center"
                      >
                        <Checkbox
                          label={DAY_LABELS[day]}
                          checked={hours.open}
                          onChange={(open) => setDay(day, { open })}
                        />
                        {hours.open ? (
                          <InlineStack gap="200" blockAlign="center" wrap={false}>
                            <Select
                              label={`${DAY_LABELS[day]} opens`}
                              labelHidden
                              options={withCurrent(TIME_OPTIONS, hours.start)}
                              value={hours.start}
                              onChange={(start) => setDay(day, { start })}
                            />
                            <Text as="span" tone="subdued">
                              to
                            </Text>
                            <Select
                              label={`${DAY_LABELS[day]} closes`}
                              labelHidden
                              options={withCurrent(TIME_OPTIONS, hours.end)}
                              value={hours.end}
                              onChange={(end) => setDay(day, { end })}
                              error={errors[`businessHours.${day}.end`]}
                            />
                          </InlineStack>
                        ) : (
                          <Text as="span" tone="subdued">
                            Closed
                          </Text>
                        )}
                      </InlineGrid>
                    );
                  })}
                </BlockStack>
              </BlockStack>
            </Card>
          </Layout.AnnotatedSection>

          <Layout.AnnotatedSection
            id="quiet-hours"
            title="Quiet hours"
            description="Marketing texts only go out inside the legal window, in the shopper's own time zone; anything due outside it waits until the window opens."
          >
            <Card>
              <BlockStack gap="400">
                <Banner tone="info">
                  <BlockStack gap="100">
                    <Text as="p">The legal window is always enforced:</Text>
                    <List>
                      <List.Item>8:00 AM – 9:00 PM under federal rules (TCPA).</List.Item>
                      <List.Item>
                        8:00 AM – 8:00 PM in Florida, Connecticut, Maryland, Oklahoma and Washington, and whenever the
                        shopper&apos;s state is unknown.
                      </List.Item>
                    </List>
                    <Text as="p">You can narrow it for your store. You can&apos;t widen it.</Text>
                  </BlockStack>
                </Banner>
                <ChoiceList
                  title="Sending window"
                  choices={[
                    {
                      label: "The legal window",
                      value: "STRICT_STATE_RULES",
                      helpText: "Recommended. Texts go out whenever the law allows.",
                    },
                    {
                      label: "A narrower window of my own",
                      value: "SHOP_WINDOW",
                      helpText: "For example 10:00 AM – 6:00 PM. The legal limits still apply on top.",
                    },
                  ]}
                  selected={[values.quietHoursPolicy]}
                  onChange={([policy]) => set("quietHoursPolicy")(policy as SettingsFormValues["quietHoursPolicy"])}
                />
                {strict ? null : (
                  <FormLayout.Group>
                    <Select
                      label="Texts may start at"
                      options={withCurrent(WINDOW_OPTIONS, values.sendWindowStart)}
                      value={values.sendWindowStart}
                      onChange={set("sendWindowStart")}
                      error={errors.sendWindowStart}
                    />
                    <Select
                      label="and must stop by"
                      options={withCurrent(WINDOW_OPTIONS, values.sendWindowEnd)}
                      value={values.sendWindowEnd}
                      onChange={set("sendWindowEnd")}
                      error={errors.sendWindowEnd}
                    />
                  </FormLayout.Group>
                )}
              </BlockStack>
            </Card>
          </Layout.AnnotatedSection>

          <Layout.AnnotatedSection
            id="opt-in"
            title="Opt-in"
            description="How shoppers join your text list from the storefront, by texting a keyword or at checkout, and what they get when they do."
          >
            <OptInSection values={values} errors={errors} set={set} />
          </Layout.AnnotatedSection>

          <Layout.AnnotatedSection
            id="discounts"
            title="Discount guardrails"
            description="Limits for the single-use codes your team and automations send in conversations, and who may go beyond them."
          >
            <Card>
              <FormLayout>
                <FormLayout.Group>
                  <TextField
                    label="Largest percentage off"
                    type="number"
                    min={1}
                    max={100}
                    suffix="%"
                    value={values.discountMaxPercent}
                    onChange={set("discountMaxPercent")}
                    autoComplete="off"
                    error={errors.discountMaxPercent}
                  />
                  <TextField
                    label="Largest amount off"
                    type="number"
                    min={0}
                    step={0.01}
                    prefix="$"
                    value={values.discountMaxAmount}
                    onChange={set("discountMaxAmount")}
                    autoComplete="off"
                    error={errors.discountMaxAmount}
                  />
                </FormLayout.Group>
                <TextField
                  label="Codes expire after"
                  type="number"
                  min={1}
                  max={720}
                  suffix="hours"
                  value={values.discountDefaultExpiryHours}
                  onChange={set("discountDefaultExpiryHours")}
                  autoComplete="off"
                  error={errors.discountDefaultExpiryHours}
                  helpText="The default for new codes; up to 30 days (720 hours)."
                />
                <Select
                  label="Who may go beyond these limits"
                  options={[
                    { label: "Only the store owner", value: "owner" },
                    { label: "Nobody", value: "nobody" },
                    { label: "Anyone on the team", value: "anyone" },
                  ]}
                  value={values.discountOverrideRole ?? "owner"}
                  onChange={(value) => set("discountOverrideRole")(value as SettingsFormValues["discountOverrideRole"])}
                  error={errors.discountOverrideRole}
                />
              </FormLayout>
            </Card>
          </Layout.AnnotatedSection>
        </Layout>
        <SaveButtonRow dirty={dirty} saving={saving} onSave={save} />
      </BlockStack>
    </Page>
  );
}

function OptInSection({
  values,
  errors,
  set,
}: {
  values: SettingsFormValues;
  errors: FieldErrors;
  set: <K extends keyof SettingsFormValues>(key: K) => (value: SettingsFormValues[K]) => void;
}) {
  const doubleOptIn = values.doubleOptIn ?? true;
  const discount = values.welcomeDiscountEnabled ?? false;
  const welcome = values.welcomeMessage ?? "";
  return (
    <Card>
      <FormLayout>
        <Checkbox
          label="Double opt-in"
          checked={doubleOptIn}
          onChange={(checked) => set("doubleOptIn")(checked)}
          helpText="New subscribers get a text asking them to reply Y; marketing starts only when they do."
        />
        {doubleOptIn ? null : (
          <Banner tone="warning" title="Double opt-in is off">
            <p>
              Sign-ups are subscribed at once, without proof that the number belongs to the person who signed up.
              Carriers recommend double opt-in, and someone who opted out by texting STOP still has to confirm.
            </p>
          </Banner>
        )}
        <TextField
          label="Confirmation expires after"
          type="number"
          min={1}
          max={720}
          suffix="hours"
          value={values.optInExpiryHours ?? "72"}
          onChange={set("optInExpiryHours")}
          autoComplete="off"
          error={errors.optInExpiryHours}
          helpText="A sign-up not confirmed with Y by then lapses; a later Y is treated as a normal message."
        />
        <BlockStack gap="100">
          <TextField
            label="Welcome message"
            value={welcome}
            onChange={set("welcomeMessage")}
            multiline={3}
            maxLength={480}
            autoComplete="off"
            error={errors.welcomeMessage}
            placeholder="Leave empty for the default welcome"
            helpText="Sent when a subscription starts. Name your brand, say how often you text, “Msg & data rates may apply”, and how to get HELP and STOP. You can use {brand_name}, {frequency} and {support_contact}."
          />
          {welcome ? <SegmentMeter text={welcome} onFix={set("welcomeMessage")} /> : null}
        </BlockStack>
        <Checkbox
          label="Add a welcome discount code"
          checked={discount}
          onChange={(checked) => set("welcomeDiscountEnabled")(checked)}
          helpText="A single-use code only the new subscriber can redeem, added to the welcome message."
        />
        {discount ? (
          <TextField
            label="Welcome discount"
            type="number"
            min={1}
            max={100}
            suffix="% off"
            value={values.welcomeDiscountPercent ?? "10"}
            onChange={set("welcomeDiscountPercent")}
            autoComplete="off"
            error={errors.welcomeDiscountPercent}
            helpText={`Up to your discount guardrail (${values.discountMaxPercent || "?"}%).`}
          />
        ) : null}
        <TextField
          label="Join keywords"
          value={values.joinKeywords ?? "JOIN"}
          onChange={set("joinKeywords")}
          autoComplete="off"
          error={errors.joinKeywords}
          helpText="Comma-separated. A shopper texting one of these to your number gets the same double opt-in. Leave empty to turn keyword sign-up off."
        />
        <TextField
          label="Keep browsing history for"
          type="number"
          min={1}
          max={730}
          suffix="days"
          value={values.browseRetentionDays ?? "90"}
          onChange={set("browseRetentionDays")}
          autoComplete="off"
          error={errors.browseRetentionDays}
          helpText="Products shoppers viewed, shown beside their conversations; older events are deleted."
        />
      </FormLayout>
    </Card>
  );
}

function ApiKeyField({
  saved,
  action,
  value,
  error,
  onChange,
}: {
  saved: boolean;
  action: SettingsFormValues["telnyxApiKeyAction"];
  value: string;
  error?: string;
  onChange: (value: string, action: SettingsFormValues["telnyxApiKeyAction"]) => void;
}) {
  if (saved && action === "keep") {
    return (
      <BlockStack gap="100">
        <Text as="span">API key</Text>
        <InlineStack gap="300" blockAlign="center">
          <Text as="span" fontWeight="medium">
            <span data-testid="telnyx-key-saved">•••• saved</span>
          </Text>
          <Button variant="plain" onClick={() => onChange("", "replace")}>
            Replace
          </Button>
          <Button variant="plain" tone="critical" onClick={() => onChange("", "remove")}>
            Remove
          </Button>
        </InlineStack>
      </BlockStack>
    );
  }
  if (saved && action === "remove") {
    return (
      <BlockStack gap="100">
        <Text as="span">API key</Text>
        <InlineStack gap="300" blockAlign="center">
          <Text as="span" tone="critical">
            The saved key will be removed when you save.
          </Text>
          <Button variant="plain" onClick={() => onChange("", "keep")}>
            Undo
          </Button>
        </InlineStack>
      </BlockStack>
    );
  }
  return (
    <TextField
      label="API key"
      type="password"
      value={value}
      onChange={(next) => onChange(next, next.trim() ? "replace" : saved ? "replace" : "keep")}
      autoComplete="off"
      monospaced
      error={error}
      helpText={
        saved
          ? "The new key replaces the saved one when you save."
          : "From the Telnyx portal (Keys & Credentials → API Keys). Stored encrypted."
      }
      connectedRight={saved ? <Button onClick={() => onChange("", "keep")}>Cancel</Button> : undefined}
    />
  );
}

// ─── Test message ─────────────────────────────────────────────────────────────────────────────────

function TestMessageSection({
  testMessage,
  to,
  onToChange,
  onSend,
  sending,
  error,
  sandbox,
}: {
  testMessage: SettingsPageData["testMessage"];
  to: string;
  onToChange: (value: string) => void;
  onSend: () => void;
  sending: boolean;
  error?: string;
  sandbox: boolean;
}) {
  const pending = testMessage?.status === "queued" || testMessage?.status === "sending";
  const stale = pending && testMessage?.requestedAt && Date.now() - Date.parse(testMessage.requestedAt) > 120_000;
  return (
    <BlockStack gap="300">
      <BlockStack gap="100">
        <Text as="h3" variant="headingSm">
          Send a test message
        </Text>
        <Text as="p" tone="subdued">
          Texts a phone of yours from your sending number with the saved settings.
          {sandbox ? " In the sandbox, open the phone simulator on that number to see it arrive." : ""}
        </Text>
      </BlockStack>
      <TextField
        label="Phone number to text"
        labelHidden
        type="tel"
        placeholder="+1 415 555 0134"
        value={to}
        onChange={onToChange}
        autoComplete="tel"
        error={error}
        connectedRight={
          <Button onClick={onSend} loading={sending} disabled={!to.trim() || pending}>
            Send test message
          </Button>
        }
      />
      {testMessage ? (
        <div data-testid="test-message-status" data-status={testMessage.status}>
          {testMessage.status === "sent" ? (
            <Banner tone="success" title={`Test message sent to ${testMessage.to}`}>
              <p>
                Telnyx accepted it{testMessage.providerMessageId ? ` (message ${testMessage.providerMessageId})` : ""}.
                It should arrive within seconds.
              </p>
            </Banner>
          ) : testMessage.status === "failed" ? (
            <Banner tone="critical" title={`The test message to ${testMessage.to} failed`}>
              <p>{testMessage.error ?? "No reason was given."}</p>
            </Banner>
          ) : stale ? (
            <Banner tone="warning" title={`The test message to ${testMessage.to} is still waiting`}>
              <p>
                No worker has picked it up. Is a worker running (npm run worker, or the dev server with its built-in
                worker)?
              </p>
            </Banner>
          ) : (
            <Banner tone="info" title={`Sending a test message to ${testMessage.to}…`}>
              <p>Waiting for Telnyx to accept it.</p>
            </Banner>
          )}
        </div>
      ) : null}
    </BlockStack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorPage title="Settings" what="your settings" />;
}
