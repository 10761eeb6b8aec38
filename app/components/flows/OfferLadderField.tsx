import { BlockStack, Button, InlineStack, Text, TextField } from "@shopify/polaris";
import { DeleteIcon, PlusIcon } from "@shopify/polaris-icons";

// The abandoned-cart discount ladder: up to N percent steps, offered one at a time when price is the problem. The
// shop's guardrail is shown with it and enforced on save (a step above it is a field error, not a silent cap).
export function OfferLadderField({
  name,
  label,
  helpText,
  steps,
  errors,
  min,
  max,
  maxSteps,
  maxPercent,
  onChange,
}: {
  name: string;
  label: string;
  helpText?: string;
  steps: string[];
  errors: Record<string, string>;
  min: number;
  max: number;
  maxSteps: number;
  maxPercent: number;
  onChange: (steps: string[]) => void;
}) {
  const set = (i: number, value: string) => onChange(steps.map((s, j) => (j === i ? value : s)));
  const remove = (i: number) => onChange(steps.filter((_, j) => j !== i));
  const add = () => {
    const last = Number(steps.at(-1) ?? 0) || 0;
    onChange([...steps, String(Math.min(maxPercent, last + 5))]);
  };
  return (
    <BlockStack gap="200">
      <BlockStack gap="050">
        <Text as="span">{label}</Text>
        <Text as="span" variant="bodySm" tone="subdued">
          Your discount guardrail: at most {maxPercent}% off. {helpText}
        </Text>
      </BlockStack>
      {steps.length === 0 ? (
        <Text as="p" tone="subdued">
          No steps: price objections are handed to your team.
        </Text>
      ) : null}
      {steps.map((step, i) => (
        <div key={i} style={{ maxWidth: 360 }}>
          <TextField
            label={`Step ${i + 1}`}
            name={`${name}.${i}`}
            type="number"
            min={min}
            max={Math.min(max, maxPercent)}
            suffix="% off"
            value={step}
            onChange={(value) => set(i, value)}
            autoComplete="off"
            error={errors[`${name}.${i}`]}
            connectedRight={
              <Button icon={DeleteIcon} accessibilityLabel={`Remove step ${i + 1}`} onClick={() => remove(i)} />
            }
          />
        </div>
      ))}
      {errors[name] ? (
        <Text as="p" tone="critical">
          {errors[name]}
        </Text>
      ) : null}
      {steps.length < maxSteps ? (
        <InlineStack>
          <Button icon={PlusIcon} variant="plain" onClick={add}>
            Add a step
          </Button>
        </InlineStack>
      ) : null}
    </BlockStack>
  );
}
