import { InlineStack, Spinner, Text } from "@shopify/polaris";

// An on/off switch (Polaris has none): a button with role="switch", named by the flow it controls, operable by
// keyboard like any button, with the state in words beside it for those who do not read colour.
export function FlowSwitch({
  label,
  checked,
  busy = false,
  onChange,
}: {
  label: string;
  checked: boolean;
  busy?: boolean;
  onChange: (checked: boolean) => void;
}) {
  return (
    <InlineStack gap="200" blockAlign="center" wrap={false}>
      {busy ? <Spinner size="small" accessibilityLabel="Saving" /> : null}
      <Text as="span" variant="bodySm" tone={checked ? "success" : "subdued"} fontWeight="medium">
        {checked ? "On" : "Off"}
      </Text>
      <button
        type="button"
        role="switch"
        aria-checked={checked}
        aria-label={label}
        disabled={busy}
        onClick={() => onChange(!checked)}
        data-testid="flow-switch"
        style={{
          position: "relative",
          width: 40,
          height: 22,
          flex: "none",
          borderRadius: 11,
          border: "none",
          padding: 0,
          cursor: busy ? "progress" : "pointer",
          background: checked ? "var(--p-color-bg-fill-success)" : "var(--p-color-bg-fill-tertiary)",
          outlineOffset: 2,
        }}
      >
        <span
          aria-hidden
          style={{
            position: "absolute",
            top: 3,
            left: checked ? 21 : 3,
            width: 16,
            height: 16,
            borderRadius: "50%",
            background: "var(--p-color-bg-surface)",
            boxShadow: "0 1px 2px rgba(0,0,0,.25)",
          }}
        />
      </button>
    </InlineStack>
  );
}
