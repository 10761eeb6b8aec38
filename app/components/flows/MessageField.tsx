import { Banner, BlockStack, Box, Text, TextField } from "@shopify/polaris";
import { SegmentMeter } from "~/components/SegmentMeter";
import type { FlowKind } from "~/domain/flows/machine";
import { previewFlowText, sampleVariables, type PreviewShop } from "~/domain/flows/preview";
import { toGsmSafe } from "~/domain/segments";

// A flow text with its live preview: as the shopper would read it, with sample values, and what it costs in
// segments. The meter counts what goes out; its fix rewrites what the merchant typed (variables stay variables).
export function MessageField({
  kind,
  name,
  label,
  helpText,
  value,
  error,
  maxLength,
  opensConversation,
  shop,
  percent,
  onChange,
}: {
  kind: FlowKind;
  name: string;
  label: string;
  helpText?: string;
  value: string;
  error?: string;
  maxLength: number;
  opensConversation: boolean;
  shop: PreviewShop;
  percent?: number;
  onChange: (value: string) => void;
}) {
  const preview = previewFlowText({
    kind,
    text: value,
    shop,
    opensConversation,
    variables: sampleVariables(kind, shop, { percent }),
  });
  return (
    <BlockStack gap="200">
      <TextField
        label={label}
        name={name}
        value={value}
        onChange={onChange}
        multiline={3}
        maxLength={maxLength}
        autoComplete="off"
        error={error}
        helpText={helpText}
      />
      {preview.ok ? (
        <Box padding="300" background="bg-surface-secondary" borderRadius="200">
          <BlockStack gap="100">
            <Text as="span" variant="bodySm" tone="subdued">
              {opensConversation ? "Preview, as the first text of a conversation" : "Preview"}
            </Text>
            <Text as="p">
              <span data-testid={`preview-${name}`} style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
                {preview.text}
              </span>
            </Text>
          </BlockStack>
        </Box>
      ) : value.trim() && !error ? (
        <Banner tone="warning">{preview.error}</Banner>
      ) : null}
      {preview.ok ? <SegmentMeter text={preview.text} onFix={() => onChange(toGsmSafe(value).text)} /> : null}
    </BlockStack>
  );
}
