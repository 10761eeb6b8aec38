import { useEffect, useRef, useState } from "react";
import { useFetcher } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import {
  Banner,
  BlockStack,
  Box,
  Button,
  ChoiceList,
  FormLayout,
  InlineStack,
  List,
  Popover,
  Select,
  SkeletonBodyText,
  Text,
  TextField,
} from "@shopify/polaris";
import { DiscountIcon } from "@shopify/polaris-icons";
import { currencySymbol } from "./StoreContextFormat";

// Creates a customer-locked single-use discount code from the composer and hands the ready-made sentence (code
// and the link that applies it) to the draft. A code is only handed over once Shopify created it; the shop's
// guardrails and Shopify's userErrors are shown on the form, as they came.

export type CreatedDiscount = { code: string; url: string; text: string };

type Kind = "PERCENTAGE" | "FIXED_AMOUNT" | "FREE_SHIPPING";
type FormInfo = {
  linked: boolean;
  currencyCode: string | null;
  maxPercent: number;
  maxAmountCents: number;
  defaultExpiryHours: number;
  mayExceed: boolean;
  hint: string;
};
type CreateAnswer = {
  ok?: boolean;
  discount?: CreatedDiscount;
  error?: string;
  errors?: Partial<Record<"form" | "kind" | "value" | "expiry" | "minimumSubtotal", string | null>>;
  userErrors?: { field: string[] | null; message: string; code?: string | null }[];
};

const EXPIRY_CHOICES = [24, 48, 72, 168];
const ON_A_DATE = "date";

function hoursLabel(hours: number) {
  return hours % 24 === 0 && hours >= 72 ? `${hours / 24} days` : `${hours} hours`;
}

/** The end of a chosen day in the browser's time zone, as an ISO instant. */
function endOfDay(date: string): string | undefined {
  const [y, m, d] = date.split("-").map(Number);
  if (!y || !m || !d) return undefined;
  return new Date(y, m - 1, d, 23, 59, 0).toISOString();
}

export function DiscountCodeCreator({
  conversationId,
  onCreated,
}: {
  conversationId: string;
  onCreated: (discount: CreatedDiscount) => void;
}) {
  const shopify = useAppBridge();
  const info = useFetcher<{ form?: FormInfo; error?: string }>();
  const create = useFetcher<CreateAnswer>();
  const [active, setActive] = useState(false);
  const [kind, setKind] = useState<Kind>("PERCENTAGE");
  const [value, setValue] = useState("10");
  const [expiry, setExpiry] = useState<string | null>(null); // hours as text, or ON_A_DATE
  const [date, setDate] = useState("");
  const [minimum, setMinimum] = useState("");

  const url = `/app/inbox/${conversationId}/discount`;
  const infoLoad = info.load;
  useEffect(() => {
    if (active) infoLoad(url);
  }, [active, infoLoad, url]);

  const form = info.data?.form;
  const expiryChoice = expiry ?? String(form?.defaultExpiryHours ?? 48);
  const hourChoices = [...new Set([...EXPIRY_CHOICES, form?.defaultExpiryHours ?? 48])].sort((a, b) => a - b);

  // Hand the code over exactly once per successful answer.
  const answer = create.state === "idle" ? create.data : undefined;
  const created = useRef(onCreated);
  created.current = onCreated;
  useEffect(() => {
    if (!answer?.ok || !answer.discount) return;
    created.current(answer.discount);
    setActive(false);
    setValue("10");
    setMinimum("");
    try {
      shopify?.toast?.show(`Code ${answer.discount.code} created and added to your reply`);
    } catch {
      // no App Bridge (tests, plain browser): the inserted text says it all
    }
  }, [answer, shopify]);

  const errors = answer && !answer.ok ? (answer.errors ?? {}) : {};
  const userErrors = answer && !answer.ok ? (answer.userErrors ?? []) : [];
  const symbol = currencySymbol(form?.currencyCode ?? "USD");
  const submitting = create.state !== "idle";

  const submit = () => {
    const offer = {
      kind,
      value: kind === "FREE_SHIPPING" ? undefined : value,
      ...(expiryChoice === ON_A_DATE ? { expiresAt: endOfDay(date) ?? "" } : { expiresInHours: expiryChoice }),
      minimumSubtotal: minimum,
    };
    create.submit({ intent: "create", offer } as never, { method: "post", encType: "application/json", action: url });
  };

  return (
    <Popover
      active={active}
      onClose={() => setActive(false)}
      preferredAlignment="left"
      preferredPosition="above"
      activator={
        <Button icon={DiscountIcon} onClick={() => setActive((a) => !a)} disclosure>
          Discount
        </Button>
      }
    >
      <Box padding="400" minWidth="340px" maxWidth="380px">
        {!form ? (
          info.state === "idle" && info.data ? (
            <Banner tone="critical" title="Couldn't open the discount form">
              <p>{info.data.error ?? "Try again."}</p>
            </Banner>
          ) : (
            <BlockStack gap="300">
              <Text as="h2" variant="headingSm">
                Discount code
              </Text>
              <SkeletonBodyText lines={6} />
            </BlockStack>
          )
        ) : !form.linked ? (
          <BlockStack gap="200">
            <Text as="h2" variant="headingSm">
              Discount code
            </Text>
            <Banner tone="info">
              <p>
                Codes are locked to the shopper&apos;s Shopify customer. Link or create the customer in the sidebar
                first.
              </p>
            </Banner>
          </BlockStack>
        ) : (
          <BlockStack gap="400">
            <BlockStack gap="100">
              <Text as="h2" variant="headingSm">
                Discount code
              </Text>
              <Text as="p" tone="subdued" variant="bodySm">
                Single use, only for this shopper. {form.hint}
              </Text>
            </BlockStack>
            {errors.form ? <Banner tone="critical">{errors.form}</Banner> : null}
            {userErrors.length > 0 ? (
              <Banner tone="critical" title="Shopify didn't create the code">
                <List>
                  {userErrors.map((e, i) => (
                    <List.Item key={i}>{e.message}</List.Item>
                  ))}
                </List>
              </Banner>
            ) : null}
            <FormLayout>
              <ChoiceList
                title="Offer"
                choices={[
                  { label: "Percentage off", value: "PERCENTAGE" },
                  { label: "Fixed amount off", value: "FIXED_AMOUNT" },
                  { label: "Free shipping", value: "FREE_SHIPPING" },
                ]}
                selected={[kind]}
                onChange={([next]) => {
                  setKind(next as Kind);
                  if (next === "PERCENTAGE") setValue("10");
                  if (next === "FIXED_AMOUNT") setValue("5");
                }}
                error={errors.kind ?? undefined}
              />
              {kind !== "FREE_SHIPPING" ? (
                <TextField
                  label={kind === "PERCENTAGE" ? "Percentage" : "Amount"}
                  type="number"
                  inputMode="decimal"
                  min={kind === "PERCENTAGE" ? 1 : 0.01}
                  max={kind === "PERCENTAGE" ? 100 : undefined}
                  step={kind === "PERCENTAGE" ? 1 : 0.01}
                  suffix={kind === "PERCENTAGE" ? "%" : undefined}
                  prefix={kind === "FIXED_AMOUNT" ? symbol : undefined}
                  value={value}
                  onChange={setValue}
                  autoComplete="off"
                  error={errors.value ?? undefined}
                />
              ) : null}
              <FormLayout.Group condensed>
                <Select
                  label="Expires"
                  options={[
                    ...hourChoices.map((h) => ({
                      label: `In ${hoursLabel(h)}${h === form.defaultExpiryHours ? " (default)" : ""}`,
                      value: String(h),
                    })),
                    { label: "On a date…", value: ON_A_DATE },
                  ]}
                  value={expiryChoice}
                  onChange={setExpiry}
                  error={expiryChoice !== ON_A_DATE ? (errors.expiry ?? undefined) : undefined}
                />
                {expiryChoice === ON_A_DATE ? (
                  <TextField
                    label="Last day"
                    type="date"
                    value={date}
                    onChange={setDate}
                    autoComplete="off"
                    error={errors.expiry ?? undefined}
                  />
                ) : null}
              </FormLayout.Group>
              <TextField
                label="Minimum subtotal (optional)"
                type="number"
                inputMode="decimal"
                min={0}
                step={0.01}
                prefix={symbol}
                placeholder="None"
                value={minimum}
                onChange={setMinimum}
                autoComplete="off"
                error={errors.minimumSubtotal ?? undefined}
              />
            </FormLayout>
            <InlineStack align="end" gap="200">
              <Button onClick={() => setActive(false)} disabled={submitting}>
                Cancel
              </Button>
              <Button variant="primary" onClick={submit} loading={submitting}>
                Create code
              </Button>
            </InlineStack>
          </BlockStack>
        )}
      </Box>
    </Popover>
  );
}
