import { useEffect, useMemo, useRef, useState } from "react";
import { useFetcher } from "@remix-run/react";
import { Autocomplete, Banner, BlockStack, Button, Card, Icon, InlineStack, List, Text } from "@shopify/polaris";
import { PersonAddIcon, SearchIcon } from "@shopify/polaris-icons";
import type { StoreContext } from "~/domain/store-context";

type CustomerMatch = {
  id: string;
  displayName: string;
  email: string | null;
  phone: string | null;
  numberOfOrders: number;
};
type SearchAnswer = { customers: CustomerMatch[]; error?: string };
type LinkAnswer = {
  ok?: boolean;
  error?: string;
  message?: string;
  errors?: { field: string[] | null; message: string }[];
};

const SEARCH_DELAY_MS = 250;

// "Not a Shopify customer yet": link the shopper to one of the store's customers (searched by name, email or
// phone), or create the customer from their phone and name. Shopify's refusals are shown as Shopify worded them.
export function CustomerLinkCard({
  conversationId,
  contact,
  missingCustomer,
  onLinked,
}: {
  conversationId: string;
  contact: StoreContext["contact"];
  missingCustomer: boolean;
  onLinked: () => void;
}) {
  const search = useFetcher<SearchAnswer>();
  const link = useFetcher<LinkAnswer>();
  const [query, setQuery] = useState("");
  const [selected, setSelected] = useState<string[]>([]);

  const searchLoad = search.load;
  useEffect(() => {
    const q = query.trim();
    if (q.length < 2) return;
    const timer = setTimeout(() => searchLoad(`/app/inbox/customers?q=${encodeURIComponent(q)}`), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [query, searchLoad]);

  // Reload the panel once Shopify accepted the link; the answer object changes once per submission.
  const answer = link.state === "idle" ? link.data : undefined;
  const linked = useRef(onLinked);
  linked.current = onLinked;
  useEffect(() => {
    if (answer?.ok) linked.current();
  }, [answer]);

  const matches = useMemo(() => (query.trim().length >= 2 ? (search.data?.customers ?? []) : []), [query, search.data]);
  const options = matches.map((c) => ({
    value: c.id,
    label: `${c.displayName}${c.email ? ` · ${c.email}` : c.phone ? ` · ${c.phone}` : ""} (${c.numberOfOrders} ${
      c.numberOfOrders === 1 ? "order" : "orders"
    })`,
  }));

  const submit = (body: object) =>
    link.submit(body as never, {
      method: "post",
      encType: "application/json",
      action: `/app/inbox/${conversationId}/context`,
    });
  const busy = link.state !== "idle";
  const busyIntent = busy ? (link.json as { intent?: string } | undefined)?.intent : undefined;
  const name = [contact.firstName, contact.lastName].filter(Boolean).join(" ");

  return (
    <Card>
      <BlockStack gap="300">
        <BlockStack gap="100">
          <Text as="h2" variant="headingSm">
            {missingCustomer ? "Shopify customer not found" : "Not a Shopify customer yet"}
          </Text>
          <Text as="p" tone="subdued">
            {missingCustomer
              ? "The customer this shopper was linked to no longer exists in Shopify. Link another or create one."
              : "This shopper texted before buying. Link them to a customer to see orders and send personal codes."}
          </Text>
        </BlockStack>
        {answer && !answer.ok ? (
          <Banner tone="critical" title="Shopify didn't accept that">
            {answer.errors?.length ? (
              <List>
                {answer.errors.map((e, i) => (
                  <List.Item key={i}>{e.field?.length ? `${e.field.join(".")}: ${e.message}` : e.message}</List.Item>
                ))}
              </List>
            ) : (
              <p>{answer.error ?? answer.message ?? "Try again."}</p>
            )}
          </Banner>
        ) : null}
        <Autocomplete
          options={options}
          selected={selected}
          loading={search.state === "loading"}
          emptyState={
            query.trim().length >= 2 && search.state === "idle" ? (
              <Text as="p" tone="subdued" alignment="center">
                {search.data?.error ?? "No customer matches"}
              </Text>
            ) : undefined
          }
          onSelect={(values) => {
            setSelected(values);
            const customerId = values[0];
            if (customerId) submit({ intent: "link", customerId });
          }}
          textField={
            <Autocomplete.TextField
              label="Link to a customer"
              placeholder="Search by name, email or phone"
              value={query}
              onChange={setQuery}
              prefix={<Icon source={SearchIcon} tone="base" />}
              autoComplete="off"
              disabled={busy}
            />
          }
        />
        <InlineStack align="start" gap="200">
          <Button
            icon={PersonAddIcon}
            onClick={() => submit({ intent: "create-customer" })}
            loading={busyIntent === "create-customer"}
            disabled={busy}
          >
            {name ? `Create customer “${name}”` : "Create customer"}
          </Button>
          {busyIntent === "link" ? (
            <Text as="span" tone="subdued">
              Linking…
            </Text>
          ) : null}
        </InlineStack>
      </BlockStack>
    </Card>
  );
}
