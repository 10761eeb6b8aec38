import { useState } from "react";
import { BlockStack, Button, Card, InlineStack, Select, Tag, Text, TextField } from "@shopify/polaris";
import type { StaffOption } from "./ThreadActions";

// The sidebar's small card: who owns the conversation and its tags.
export function ThreadDetailsCard({
  assigneeId,
  staff,
  tags,
  automationPaused,
  busy,
  tagError,
  onAssign,
  onAddTag,
  onRemoveTag,
}: {
  assigneeId: string | null;
  staff: StaffOption[];
  tags: string[];
  automationPaused: boolean;
  busy: boolean;
  tagError?: string;
  onAssign: (staffId: string | null) => void;
  onAddTag: (tag: string) => void;
  onRemoveTag: (tag: string) => void;
}) {
  const [tag, setTag] = useState("");
  const add = () => {
    if (!tag.trim()) return;
    onAddTag(tag);
    setTag("");
  };
  const options = [{ label: "Unassigned", value: "" }, ...staff.map((s) => ({ label: s.name, value: s.id }))];
  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingSm">
          Conversation
        </Text>
        <Select
          label="Assignee"
          options={options}
          value={assigneeId ?? ""}
          disabled={busy}
          onChange={(value) => onAssign(value || null)}
          helpText={automationPaused ? "Automation is paused: a staff member has replied." : undefined}
        />
        <BlockStack gap="200">
          <div
            onKeyDown={(event) => {
              if (event.key === "Enter") {
                event.preventDefault();
                add();
              }
            }}
          >
            <TextField
              label="Tags"
              value={tag}
              onChange={setTag}
              autoComplete="off"
              placeholder="vip, sizing, wholesale…"
              error={tagError}
              connectedRight={
                <Button onClick={add} disabled={busy || !tag.trim()}>
                  Add
                </Button>
              }
            />
          </div>
          {tags.length > 0 ? (
            <InlineStack gap="100" wrap>
              {tags.map((t) => (
                <Tag key={t} onRemove={busy ? undefined : () => onRemoveTag(t)}>
                  {t}
                </Tag>
              ))}
            </InlineStack>
          ) : (
            <Text as="p" variant="bodySm" tone="subdued">
              No tags yet.
            </Text>
          )}
        </BlockStack>
      </BlockStack>
    </Card>
  );
}
