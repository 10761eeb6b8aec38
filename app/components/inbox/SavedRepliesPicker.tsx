import { useState } from "react";
import { ActionList, BlockStack, Box, Button, Popover, Text, TextField } from "@shopify/polaris";
import { ChatIcon } from "@shopify/polaris-icons";

export type SavedReplyOption = { id: string; title: string; body: string };

// A searchable list of the shop's saved replies; picking one hands its body (variables unfilled) to the composer.
export function SavedRepliesPicker({
  replies,
  onPick,
  manageUrl = "/app/settings/saved-replies",
}: {
  replies: SavedReplyOption[];
  onPick: (body: string) => void;
  manageUrl?: string;
}) {
  const [active, setActive] = useState(false);
  const [query, setQuery] = useState("");
  const q = query.trim().toLowerCase();
  const matches = q
    ? replies.filter((r) => r.title.toLowerCase().includes(q) || r.body.toLowerCase().includes(q))
    : replies;
  return (
    <Popover
      active={active}
      onClose={() => setActive(false)}
      preferredAlignment="left"
      activator={
        <Button icon={ChatIcon} onClick={() => setActive((a) => !a)} disclosure>
          Saved replies
        </Button>
      }
    >
      <Box padding="300" minWidth="320px" maxWidth="420px">
        <BlockStack gap="200">
          <TextField
            label="Search saved replies"
            labelHidden
            placeholder="Search saved replies"
            value={query}
            onChange={setQuery}
            autoComplete="off"
            clearButton
            onClearButtonClick={() => setQuery("")}
            autoFocus
          />
          {matches.length > 0 ? (
            <ActionList
              actionRole="menuitem"
              items={matches.slice(0, 30).map((r) => ({
                content: r.title,
                helpText: r.body.length > 90 ? `${r.body.slice(0, 90)}…` : r.body,
                onAction: () => {
                  setActive(false);
                  setQuery("");
                  onPick(r.body);
                },
              }))}
            />
          ) : (
            <Text as="p" tone="subdued">
              {replies.length === 0 ? "No saved replies yet." : "No saved reply matches."}
            </Text>
          )}
          <Button variant="plain" url={manageUrl}>
            Manage saved replies
          </Button>
        </BlockStack>
      </Box>
    </Popover>
  );
}
