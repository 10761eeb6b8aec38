import { BlockStack, Card, Checkbox, Layout, List, Text, TextField } from "@shopify/polaris";
import type { FlowKind } from "~/domain/flows/machine";
import { flowVariables, type PreviewShop } from "~/domain/flows/preview";
import { flowFormSections, type FieldErrors, type FlowField, type FlowFormValues } from "~/domain/flows/settings-form";
import { MessageField } from "./MessageField";
import { OfferLadderField } from "./OfferLadderField";

// A flow's settings as annotated sections, one per group of fields, generated from the flow's schema.

const UNIT_SINGULAR = { minutes: "minute", hours: "hour", days: "day" } as const;

const SECTION_DESCRIPTIONS: Record<string, string> = {
  Timing: "When the flow texts, and how long a purchase still counts as its result.",
  "Opening text": "A question in your voice, not a reminder. The reminder is the only other text sent without a reply.",
  Answers: "What the flow says to the shopper's reply. Anything it can't answer goes to your team.",
};

export function FlowVariablesSection({ kind }: { kind: FlowKind }) {
  return (
    <Layout.AnnotatedSection
      id="variables"
      title="Variables"
      description="Type them in braces in any text below; the previews fill them with sample values."
    >
      <Card>
        <List>
          {Object.entries(flowVariables(kind)).map(([name, meaning]) => (
            <List.Item key={name}>
              <Text as="span" fontWeight="semibold">
                <code>{`{${name}}`}</code>
              </Text>{" "}
              — {meaning}
            </List.Item>
          ))}
        </List>
      </Card>
    </Layout.AnnotatedSection>
  );
}

export function FlowSettingsFields({
  kind,
  values,
  errors,
  shop,
  maxPercent,
  onChange,
}: {
  kind: FlowKind;
  values: FlowFormValues;
  errors: FieldErrors;
  shop: PreviewShop;
  maxPercent: number;
  onChange: (name: string, value: FlowFormValues[string]) => void;
}) {
  const ladder = values.offerLadder;
  const percent = Array.isArray(ladder) && ladder.length > 0 ? Number(ladder[0]) || undefined : undefined;

  const field = (f: FlowField) => {
    const value = values[f.name];
    switch (f.kind) {
      case "boolean":
        return (
          <Checkbox
            key={f.name}
            label={f.label}
            helpText={f.helpText}
            checked={value === true}
            onChange={(checked) => onChange(f.name, checked)}
            error={errors[f.name]}
          />
        );
      case "number":
        return (
          <TextField
            key={f.name}
            label={f.label}
            name={f.name}
            type="number"
            min={f.min}
            max={f.max}
            suffix={f.unit}
            value={String(value ?? "")}
            onChange={(next) => onChange(f.name, next)}
            autoComplete="off"
            error={errors[f.name]}
            helpText={`${f.helpText ? `${f.helpText} ` : ""}From ${f.min} ${f.min === 1 ? UNIT_SINGULAR[f.unit] : f.unit} to ${f.max} ${f.unit}.`}
          />
        );
      case "ladder":
        return (
          <OfferLadderField
            key={f.name}
            name={f.name}
            label={f.label}
            helpText={f.helpText}
            steps={Array.isArray(value) ? value : []}
            errors={errors}
            min={f.min}
            max={f.max}
            maxSteps={f.maxSteps}
            maxPercent={maxPercent}
            onChange={(steps) => onChange(f.name, steps)}
          />
        );
      case "url":
        return (
          <TextField
            key={f.name}
            label={f.label}
            name={f.name}
            type="url"
            value={String(value ?? "")}
            onChange={(next) => onChange(f.name, next)}
            autoComplete="url"
            maxLength={f.maxLength}
            placeholder="https://"
            error={errors[f.name]}
            helpText={f.helpText}
          />
        );
      case "message":
        return (
          <MessageField
            key={f.name}
            kind={kind}
            name={f.name}
            label={f.label}
            helpText={f.helpText}
            value={String(value ?? "")}
            error={errors[f.name]}
            maxLength={f.maxLength}
            opensConversation={f.opensConversation}
            shop={shop}
            percent={percent}
            onChange={(next) => onChange(f.name, next)}
          />
        );
    }
  };

  return (
    <>
      {flowFormSections(kind).map((section) => (
        <Layout.AnnotatedSection
          key={section.title}
          id={`section-${section.title.toLowerCase().replace(/[^a-z]+/g, "-")}`}
          title={section.title}
          description={SECTION_DESCRIPTIONS[section.title]}
        >
          <Card>
            <BlockStack gap="500">{section.fields.map(field)}</BlockStack>
          </Card>
        </Layout.AnnotatedSection>
      ))}
    </>
  );
}
