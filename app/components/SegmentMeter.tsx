import { Button, InlineStack, Text } from "@shopify/polaris";
import { analyzeText, toGsmSafe } from "~/domain/segments";

// Characters, segments and encoding of a text as carriers will count it. One emoji or curly quote turns a
// 160-character segment into a 70-character one; the meter says so and offers the GSM-safe rewrite.
export function SegmentMeter({ text, onFix }: { text: string; onFix?: (fixed: string) => void }) {
  const analysis = analyzeText(text);
  const unicode = analysis.encoding === "UCS-2";
  const fixable = analysis.nonGsmChars.filter((c) => c.replacement !== undefined);
  const offending = [...new Set(analysis.nonGsmChars.map((c) => c.char))].slice(0, 5).join(" ");
  return (
    <InlineStack gap="200" blockAlign="center" wrap>
      <Text as="span" variant="bodySm" tone={unicode ? "caution" : "subdued"}>
        {analysis.characters} characters · {analysis.segments} {analysis.segments === 1 ? "segment" : "segments"} ·{" "}
        {unicode ? `Unicode (70 per segment) because of ${offending}` : "GSM-7 (160 per segment)"}
      </Text>
      {unicode && fixable.length > 0 && onFix ? (
        <Button variant="plain" onClick={() => onFix(toGsmSafe(text).text)}>
          Use GSM-safe characters
        </Button>
      ) : null}
    </InlineStack>
  );
}
