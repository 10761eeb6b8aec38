import { Banner, Box, Button, InlineStack } from "@shopify/polaris";
import { SaveBar } from "@shopify/app-bridge-react";

// The pieces every edit form shares: App Bridge's contextual save bar (Save / Discard in the admin's top bar while
// the form is dirty), the banner counting the fields a refused save highlighted, and the Save button at the end.

export function AppSaveBar({
  id,
  open,
  saving,
  onSave,
  onDiscard,
}: {
  id: string;
  open: boolean;
  saving: boolean;
  onSave: () => void;
  onDiscard: () => void;
}) {
  return (
    <SaveBar id={id} open={open}>
      {/* eslint-disable-next-line react/no-unknown-property -- App Bridge finds the Save button by variant="primary" */}
      <button variant="primary" onClick={onSave} loading={saving ? "" : undefined} disabled={saving}>
        Save
      </button>
      <button onClick={onDiscard} disabled={saving}>
        Discard
      </button>
    </SaveBar>
  );
}

export function FieldErrorsBanner({ count }: { count: number }) {
  if (count === 0) return null;
  return (
    <Banner tone="critical" title={count === 1 ? "1 field needs attention" : `${count} fields need attention`}>
      <p>Nothing was saved. Fix the highlighted fields and save again.</p>
    </Banner>
  );
}

export function SaveButtonRow({ dirty, saving, onSave }: { dirty: boolean; saving: boolean; onSave: () => void }) {
  return (
    <Box paddingBlockEnd="800">
      <InlineStack align="end">
        <Button variant="primary" onClick={onSave} loading={saving} disabled={!dirty || saving}>
          Save
        </Button>
      </InlineStack>
    </Box>
  );
}
