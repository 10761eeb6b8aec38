import { BlockStack, List, Text } from "@shopify/polaris";

// The columns an import reads, as the page (and README) document them. Kept beside the import form.
export function ImportColumnsHelp() {
  return (
    <BlockStack gap="200">
      <Text as="p">Every row needs proof that the person agreed to marketing texts:</Text>
      <List>
        <List.Item>
          <Text as="span" fontWeight="semibold">
            phone
          </Text>{" "}
          — any format; numbers without a country code are read as your store number&rsquo;s country.
        </List.Item>
        <List.Item>
          <Text as="span" fontWeight="semibold">
            opted_in_at
          </Text>{" "}
          (or consent_date) — when they agreed. ISO 8601 (2025-03-01T14:30:00Z); without a zone, your shop&rsquo;s.
        </List.Item>
        <List.Item>
          <Text as="span" fontWeight="semibold">
            consent_source
          </Text>{" "}
          (or source) — how they signed up, e.g. &ldquo;website popup&rdquo;, &ldquo;keyword JOIN&rdquo;.
        </List.Item>
        <List.Item>
          At least one of{" "}
          <Text as="span" fontWeight="semibold">
            ip_address, page_url, disclosure_text
          </Text>{" "}
          or{" "}
          <Text as="span" fontWeight="semibold">
            consent_collected_by
          </Text>{" "}
          (e.g. &ldquo;Main St store, paper form&rdquo;).
        </List.Item>
      </List>
      <Text as="p" tone="subdued" variant="bodySm">
        Also read: first_name, last_name (or name), email, user_agent, disclosure_version, keyword. Other columns are
        ignored. A row is refused, with its reason, when the number is invalid or a landline, evidence is missing, the
        date is in the future, the number appears twice, or the shopper opted out (only they can opt back in). Nobody is
        texted by an import.
      </Text>
    </BlockStack>
  );
}
