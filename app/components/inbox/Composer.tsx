import { useCallback, useEffect, useRef, useState } from "react";
import { Banner, BlockStack, Box, Button, Card, InlineStack, Tabs, Text, TextField } from "@shopify/polaris";
import { SegmentMeter } from "~/components/SegmentMeter";
import { renderReplyVariables, replyProblems, type ReplyVariables } from "~/domain/reply-variables";
import { toGsmSafe } from "~/domain/segments";
import { DiscountCodeCreator } from "./DiscountCodeCreator";
import { ProductPicker } from "./ProductPicker";
import { SavedRepliesPicker, type SavedReplyOption } from "./SavedRepliesPicker";

// The reply box under the thread: a text reply or an internal note, the segment meter with the GSM-safe fix,
// saved replies, products and discount codes inserted where the cursor is, variables previewed as the shopper
// will read them, ⌘/Ctrl+Enter to send. The draft lives in sessionStorage per conversation, so leaving the page
// and coming back keeps it; a successful send clears it.

export type ComposerMode = "reply" | "note";
type Draft = { body: string; mode: ComposerMode; draftId: string };

const storageKey = (conversationId: string) => `parley:draft:${conversationId}`;
const newDraftId = () =>
  typeof crypto !== "undefined" && "randomUUID" in crypto
    ? crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;

function readDraft(conversationId: string): Draft | null {
  try {
    const raw = window.sessionStorage.getItem(storageKey(conversationId));
    const value = raw ? (JSON.parse(raw) as Partial<Draft>) : null;
    if (!value || typeof value.body !== "string" || typeof value.draftId !== "string") return null;
    return { body: value.body, mode: value.mode === "note" ? "note" : "reply", draftId: value.draftId };
  } catch {
    return null; // storage disabled (private mode, iframe policy): the draft just doesn't survive
  }
}

function writeDraft(conversationId: string, draft: Draft | null) {
  try {
    if (!draft || (!draft.body && draft.mode === "reply")) window.sessionStorage.removeItem(storageKey(conversationId));
    else window.sessionStorage.setItem(storageKey(conversationId), JSON.stringify(draft));
  } catch {
    /* see readDraft */
  }
}

export type ComposerHandle = { clear: () => void; renewDraftId: () => void };

export function Composer({
  conversationId,
  shopperFirstName,
  variables,
  savedReplies,
  sending,
  error,
  optedOut,
  onSend,
  onNote,
  handleRef,
}: {
  conversationId: string;
  shopperFirstName: string | null;
  variables: ReplyVariables;
  savedReplies: SavedReplyOption[];
  sending: boolean;
  error?: string;
  optedOut: boolean;
  onSend: (reply: { body: string; draftId: string; variables: ReplyVariables }) => void;
  onNote: (note: { body: string }) => void;
  /** Lets the page clear the draft once the server accepted it (not before: a failed send keeps the text). */
  handleRef: React.MutableRefObject<ComposerHandle | null>;
}) {
  const [draft, setDraft] = useState<Draft>({ body: "", mode: "reply", draftId: "" });
  const cursor = useRef<{ start: number; end: number } | null>(null);
  const fieldId = `composer-${conversationId}`;

  useEffect(() => {
    setDraft(readDraft(conversationId) ?? { body: "", mode: "reply", draftId: newDraftId() });
  }, [conversationId]);
  useEffect(() => {
    if (draft.draftId) writeDraft(conversationId, draft);
  }, [conversationId, draft]);

  handleRef.current = {
    clear: () => setDraft((d) => ({ body: "", mode: d.mode, draftId: newDraftId() })),
    renewDraftId: () => setDraft((d) => ({ ...d, draftId: newDraftId() })),
  };

  const setBody = (body: string) => setDraft((d) => ({ ...d, body }));
  const rememberCursor = (target: EventTarget) => {
    if (target instanceof HTMLTextAreaElement || target instanceof HTMLInputElement)
      cursor.current = { start: target.selectionStart ?? 0, end: target.selectionEnd ?? 0 };
  };

  /** Puts text where the cursor was (or at the end), with a space between words. */
  const insert = useCallback(
    (text: string) => {
      setDraft((d) => {
        const at = cursor.current && cursor.current.start <= d.body.length ? cursor.current : null;
        const start = at?.start ?? d.body.length;
        const end = at?.end ?? d.body.length;
        const before = d.body.slice(0, start);
        const after = d.body.slice(end);
        const lead = before && !/\s$/.test(before) ? " " : "";
        const trail = after && !/^\s/.test(after) ? " " : "";
        const body = `${before}${lead}${text}${trail}${after}`;
        const position = before.length + lead.length + text.length;
        cursor.current = { start: position, end: position };
        requestAnimationFrame(() => {
          const field = document.getElementById(fieldId) as HTMLTextAreaElement | null;
          field?.focus();
          field?.setSelectionRange(position, position);
        });
        return { ...d, body };
      });
    },
    [fieldId],
  );

  const isNote = draft.mode === "note";
  const rendered = renderReplyVariables(draft.body, { first_name: shopperFirstName ?? undefined, ...variables });
  const problem = isNote ? null : replyProblems(rendered);
  const canSubmit = draft.body.trim().length > 0 && !problem && !sending;

  const submit = () => {
    if (!canSubmit) return;
    if (isNote) onNote({ body: draft.body });
    else onSend({ body: draft.body, draftId: draft.draftId, variables });
  };

  return (
    <Card padding="0">
      <Tabs
        tabs={[
          { id: "reply", content: "Reply", accessibilityLabel: "Reply to the shopper" },
          { id: "note", content: "Internal note", accessibilityLabel: "Internal note (never sent)" },
        ]}
        selected={isNote ? 1 : 0}
        onSelect={(index) => setDraft((d) => ({ ...d, mode: index === 1 ? "note" : "reply" }))}
        fitted
      />
      <Box padding="400" background={isNote ? "bg-surface-warning" : undefined}>
        <BlockStack gap="300">
          {optedOut && !isNote ? (
            <Banner tone="warning">
              This shopper opted out of texts. A reply will be refused until they text START; you can still leave a
              note.
            </Banner>
          ) : null}
          <div
            onKeyDown={(event) => {
              if (event.key === "Enter" && (event.metaKey || event.ctrlKey)) {
                event.preventDefault();
                submit();
              }
            }}
            onKeyUp={(event) => rememberCursor(event.target)}
            onMouseUp={(event) => rememberCursor(event.target)}
            onBlur={(event) => rememberCursor(event.target)}
          >
            <TextField
              id={fieldId}
              label={isNote ? "Internal note" : "Reply"}
              labelHidden
              multiline={4}
              maxHeight={320}
              autoComplete="off"
              value={draft.body}
              onChange={setBody}
              error={error}
              placeholder={
                isNote
                  ? "Write a note for your team. Shoppers never see notes."
                  : "Write a reply… Use {first_name}, {last_order_name}, {tracking_url}, {checkout_url}"
              }
            />
          </div>

          {!isNote && rendered.used.length > 0 ? (
            <Box padding="300" background="bg-surface-secondary" borderRadius="200">
              <BlockStack gap="100">
                <Text as="span" variant="bodySm" tone="subdued">
                  The shopper will read
                </Text>
                <Text as="p">
                  <span style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>{rendered.text}</span>
                </Text>
              </BlockStack>
            </Box>
          ) : null}
          {problem ? <Banner tone="warning">{problem}</Banner> : null}

          {!isNote ? ( // The meter counts what goes out; the fix rewrites what staff typed (variables stay variables).
            <SegmentMeter text={rendered.text} onFix={() => setBody(toGsmSafe(draft.body).text)} />
          ) : null}

          <InlineStack align="space-between" blockAlign="center" gap="200">
            <InlineStack gap="200" blockAlign="center">
              {!isNote ? (
                <>
                  <SavedRepliesPicker replies={savedReplies} onPick={insert} />
                  <ProductPicker onPick={({ title, url }) => insert(`${title}: ${url}`)} />
                  <DiscountCodeCreator conversationId={conversationId} onCreated={({ text }) => insert(text)} />
                </>
              ) : null}
            </InlineStack>
            <InlineStack gap="200" blockAlign="center">
              <Text as="span" variant="bodySm" tone="subdued">
                ⌘/Ctrl + Enter
              </Text>
              <Button variant="primary" onClick={submit} disabled={!canSubmit} loading={sending}>
                {isNote ? "Add note" : "Send"}
              </Button>
            </InlineStack>
          </InlineStack>
        </BlockStack>
      </Box>
    </Card>
  );
}
