import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Button,
  Card,
  Checkbox,
  FormLayout,
  InlineStack,
  Layout,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useState } from "react";
import { RouteErrorPage } from "~/components/RouteErrorPage";
import { localDateOf } from "~/domain/zoned-time";
import { COLLECTION_METHODS } from "~/domain/consent-collection";
import { currentStaffMember } from "~/services/inbox/staff.server";
import { formatPhone } from "~/domain/phone";
import { shopTimeZone } from "~/services/inbox/thread.server";
import { addSubscriberManually } from "~/services/subscribers/manual-add.server";
import { authenticate } from "~/shopify.server";

export const meta: MetaFunction = () => [{ title: "Add subscriber · Parley" }];

async function shopToday(shopId: string): Promise<string> {
  const date = localDateOf(await shopTimeZone(shopId), Date.now());
  return `${date.year}-${String(date.month).padStart(2, "0")}-${String(date.day).padStart(2, "0")}`;
}

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return { today: await shopToday(session.shop) };
};

type Outcome = { tone: "success" | "info" | "warning"; title: string; text: string; contactId: string };

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shopId = session.shop;
  const form = Object.fromEntries(await request.formData());
  const staff = await currentStaffMember(session, shopId);
  const added = await addSubscriberManually({
    shopId,
    staffMemberId: staff?.id ?? null,
    form,
    today: await shopToday(shopId),
  });
  if (!added.ok) return data({ fieldErrors: added.fieldErrors, outcome: null }, { status: 400 });
  const phone = formatPhone(added.phoneE164);
  const { result } = added;
  const outcomes: Record<typeof result.outcome, Omit<Outcome, "contactId">> = {
    pending: {
      tone: "success",
      title: "Confirmation text sent",
      text: `${phone} gets a text asking them to reply Y. They're subscribed once they do.`,
    },
    subscribed: { tone: "success", title: "Subscribed", text: `${phone} is subscribed to marketing texts.` },
    already_pending: {
      tone: "info",
      title: "Already waiting for confirmation",
      text: `${phone} was already sent a confirmation text. Nothing new was sent.`,
    },
    already_subscribed: { tone: "info", title: "Already subscribed", text: `${phone} is already a subscriber.` },
    blocked_by_stop: {
      tone: "warning",
      title: "Not subscribed: this shopper opted out",
      text: `${phone} texted STOP. Only they can opt back in, by texting START or signing up again themselves.`,
    },
  };
  return data({ fieldErrors: {}, outcome: { ...outcomes[result.outcome], contactId: result.contactId } as Outcome });
};

const METHOD_OPTIONS = [
  { label: "Choose…", value: "" },
  ...Object.entries(COLLECTION_METHODS).map(([value, label]) => ({ label, value })),
];

export default function AddSubscriber() {
  const { today } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const errors: Partial<Record<string, string>> = result?.fieldErrors ?? {};
  const outcome = result?.outcome ?? null;
  const [values, setValues] = useState({
    phone: "",
    firstName: "",
    lastName: "",
    method: "",
    collectedOn: today,
    disclosureText: "",
    note: "",
  });
  const [confirmed, setConfirmed] = useState(false);
  const field = (name: keyof typeof values) => ({
    name,
    value: values[name],
    onChange: (value: string) => setValues((v) => ({ ...v, [name]: value })),
    error: errors[name],
  });

  return (
    <Page title="Add subscriber" backAction={{ content: "Subscribers", url: "/app/subscribers" }}>
      <Layout>
        <Layout.Section>
          <Form method="post">
            <BlockStack gap="400">
              {outcome ? (
                <Banner
                  tone={outcome.tone}
                  title={outcome.title}
                  action={{ content: "View subscriber", url: `/app/subscribers/${outcome.contactId}` }}
                >
                  <p>{outcome.text}</p>
                </Banner>
              ) : null}
              {errors.form ? <Banner tone="critical" title={errors.form} /> : null}
              <Card>
                <FormLayout>
                  <TextField label="Phone number" type="tel" autoComplete="off" {...field("phone")} />
                  <FormLayout.Group>
                    <TextField label="First name" autoComplete="off" {...field("firstName")} />
                    <TextField label="Last name" autoComplete="off" {...field("lastName")} />
                  </FormLayout.Group>
                </FormLayout>
              </Card>
              <Card>
                <BlockStack gap="300">
                  <BlockStack gap="100">
                    <Text as="h2" variant="headingMd">
                      Consent evidence
                    </Text>
                    <Text as="p" tone="subdued">
                      Kept with the subscription as proof, with your name. With double opt-in on, the shopper still
                      confirms by text before any marketing is sent.
                    </Text>
                  </BlockStack>
                  <FormLayout>
                    <FormLayout.Group>
                      <Select label="How consent was collected" options={METHOD_OPTIONS} {...field("method")} />
                      <TextField
                        label="Date collected"
                        type="date"
                        max={today}
                        autoComplete="off"
                        {...field("collectedOn")}
                      />
                    </FormLayout.Group>
                    <TextField
                      label="What they agreed to (optional)"
                      helpText="The disclosure they signed or were read, word for word."
                      multiline={3}
                      autoComplete="off"
                      {...field("disclosureText")}
                    />
                    <TextField
                      label="Note"
                      helpText="Where the signed form is kept, who witnessed it…"
                      multiline={2}
                      autoComplete="off"
                      {...field("note")}
                    />
                    <Checkbox
                      label="I confirm this person agreed to receive marketing texts from this store."
                      name="confirmed"
                      checked={confirmed}
                      onChange={setConfirmed}
                      error={errors.confirmed}
                    />
                  </FormLayout>
                </BlockStack>
              </Card>
              <InlineStack align="end">
                <Button submit variant="primary" loading={navigation.state === "submitting"}>
                  Add subscriber
                </Button>
              </InlineStack>
            </BlockStack>
          </Form>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteErrorPage title="Add subscriber" what="the form" />;
}
