import { Badge, BlockStack, Box, Button, Icon, InlineStack, Text } from "@shopify/polaris";
import { AlertCircleIcon, ClockIcon, DiscountIcon, NoteIcon } from "@shopify/polaris-icons";
import type { TimelineItem } from "~/services/inbox/thread.server";

// The conversation as chat: the shopper on the left, the store (staff, AI, automation) on the right with who wrote
// it and how delivery went, internal notes in yellow, and what happened to the thread as small centred lines.
// Everything the shopper or staff wrote is rendered as text (React escapes it); media links only when http(s).

type MessageItem = Extract<TimelineItem, { type: "message" }>;

export function formatTime(timeZone: string, at: Date | string): string {
  return new Intl.DateTimeFormat("en-US", { timeZone, hour: "numeric", minute: "2-digit" }).format(new Date(at));
}

export function formatDateTime(timeZone: string, at: Date | string): string {
  return new Intl.DateTimeFormat("en-US", {
    timeZone,
    weekday: "short",
    month: "short",
    day: "numeric",
    hour: "numeric",
    minute: "2-digit",
  }).format(new Date(at));
}

function dayKey(timeZone: string, at: Date | string) {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(
    new Date(at),
  );
}

function dayLabel(timeZone: string, at: Date | string, now: Date) {
  const key = dayKey(timeZone, at);
  if (key === dayKey(timeZone, now)) return "Today";
  if (key === dayKey(timeZone, new Date(now.getTime() - 24 * 3600_000))) return "Yesterday";
  return new Intl.DateTimeFormat("en-US", { timeZone, weekday: "long", month: "long", day: "numeric" }).format(
    new Date(at),
  );
}

const safeUrl = (url: string) => (/^https?:\/\//i.test(url) ? url : null);

/** "Delivered · 2:14 PM", "Failed — Carrier rejected: …", "Held for quiet hours until 8:00 AM". */
export function deliveryStatus(
  message: Pick<MessageItem, "status" | "failure" | "holdUntil" | "sentAt" | "deliveredAt" | "at">,
  timeZone: string,
): { text: string; tone?: "critical" | "caution" | "subdued" } {
  const time = (at: Date | string | null) => formatTime(timeZone, at ?? message.at);
  switch (message.status) {
    case "QUEUED":
      return { text: `Queued · ${time(message.at)}`, tone: "subdued" };
    case "SENDING":
      return { text: "Sending…", tone: "subdued" };
    case "SENT":
      return { text: `Sent · ${time(message.sentAt)}`, tone: "subdued" };
    case "DELIVERED":
      return { text: `Delivered · ${time(message.deliveredAt)}`, tone: "subdued" };
    case "HELD":
      return {
        text: message.holdUntil
          ? `Held for quiet hours until ${formatDateTime(timeZone, message.holdUntil)}`
          : "Held for quiet hours",
        tone: "caution",
      };
    case "FAILED":
      return { text: `Failed — ${message.failure ?? "no reason given"}`, tone: "critical" };
    case "REFUSED":
      return { text: message.failure ?? "Not sent", tone: "critical" };
    case "CANCELLED":
      return { text: `Cancelled — ${message.failure ?? "not sent"}`, tone: "caution" };
    case "RECEIVED":
      return { text: time(message.at), tone: "subdued" };
  }
}

function MessageText({ body }: { body: string }) {
  return (
    <Text as="p" variant="bodyMd">
      <span style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>{body}</span>
    </Text>
  );
}

function Media({ media }: { media: MessageItem["media"] }) {
  if (media.length === 0) return null;
  return (
    <InlineStack gap="200" wrap>
      {media.map((m, i) => {
        const url = safeUrl(m.url);
        if (!url) return null;
        return m.contentType?.startsWith("image/") ? (
          <a key={i} href={url} target="_blank" rel="noreferrer noopener">
            <img
              src={url}
              alt={`Picture ${i + 1} from the shopper`}
              style={{ maxWidth: 180, maxHeight: 180, borderRadius: 8, display: "block" }}
            />
          </a>
        ) : (
          <Button key={i} url={url} external variant="plain">
            {`Attachment ${i + 1}${m.contentType ? ` (${m.contentType})` : ""}`}
          </Button>
        );
      })}
    </InlineStack>
  );
}

function MessageBubble({ message, timeZone }: { message: MessageItem; timeZone: string }) {
  const inbound = message.direction === "INBOUND";
  const status = deliveryStatus(message, timeZone);
  const problem = message.status === "FAILED" || message.status === "REFUSED";
  return (
    <InlineStack align={inbound ? "start" : "end"}>
      <div style={{ maxWidth: "78%" }} data-testid="thread-message" data-direction={message.direction}>
        <BlockStack gap="100" inlineAlign={inbound ? "start" : "end"}>
          <Text as="span" variant="bodySm" tone="subdued">
            {message.author.name}
          </Text>
          <Box
            padding="300"
            borderRadius="300"
            background={inbound ? "bg-surface-secondary" : problem ? "bg-surface-critical" : "bg-surface-info"}
            borderWidth="025"
            borderColor={inbound ? "border" : problem ? "border-critical" : "border-info"}
          >
            <BlockStack gap="200">
              {message.body ? <MessageText body={message.body} /> : null}
              <Media media={message.media} />
            </BlockStack>
          </Box>
          <InlineStack gap="100" blockAlign="center">
            {status.tone === "critical" ? (
              <span aria-hidden>
                <Icon source={AlertCircleIcon} tone="critical" />
              </span>
            ) : status.tone === "caution" ? (
              <span aria-hidden>
                <Icon source={ClockIcon} tone="caution" />
              </span>
            ) : null}
            <Text as="span" variant="bodySm" tone={status.tone}>
              {status.text}
              {!inbound && message.segments > 1 ? ` · ${message.segments} segments` : ""}
            </Text>
          </InlineStack>
        </BlockStack>
      </div>
    </InlineStack>
  );
}

function NoteCard({ note, timeZone }: { note: Extract<TimelineItem, { type: "note" }>; timeZone: string }) {
  return (
    <InlineStack align="end">
      <div style={{ maxWidth: "78%" }} data-testid="thread-note">
        <Box
          padding="300"
          borderRadius="300"
          background="bg-surface-warning"
          borderWidth="025"
          borderColor="border-caution"
        >
          <BlockStack gap="100">
            <InlineStack gap="100" blockAlign="center">
              <span aria-hidden>
                <Icon source={NoteIcon} tone="caution" />
              </span>
              <Text as="span" variant="bodySm" fontWeight="semibold">
                Internal note · {note.authorName}
              </Text>
            </InlineStack>
            <MessageText body={note.body} />
            <Text as="span" variant="bodySm" tone="subdued">
              Only staff see this · {formatTime(timeZone, note.at)}
            </Text>
          </BlockStack>
        </Box>
      </div>
    </InlineStack>
  );
}

function SystemLine({
  text,
  at,
  timeZone,
  discount,
}: {
  text: string;
  at: Date;
  timeZone: string;
  discount?: boolean;
}) {
  return (
    <InlineStack align="center" gap="100" blockAlign="center">
      {discount ? (
        <span aria-hidden>
          <Icon source={DiscountIcon} tone="subdued" />
        </span>
      ) : null}
      <Text as="p" variant="bodySm" tone="subdued" alignment="center">
        {text} · {formatTime(timeZone, at)}
      </Text>
    </InlineStack>
  );
}

export function ThreadTimeline({
  items,
  timeZone,
  hasOlder,
  loadingOlder,
  onLoadOlder,
}: {
  items: TimelineItem[];
  timeZone: string;
  hasOlder: boolean;
  loadingOlder: boolean;
  onLoadOlder: () => void;
}) {
  const now = new Date();
  let lastDay = "";
  return (
    <BlockStack gap="400">
      {hasOlder ? (
        <InlineStack align="center">
          <Button onClick={onLoadOlder} loading={loadingOlder} variant="tertiary">
            Load older
          </Button>
        </InlineStack>
      ) : items.length > 0 ? (
        <Text as="p" variant="bodySm" tone="subdued" alignment="center">
          Start of the conversation
        </Text>
      ) : null}
      {items.length === 0 ? (
        <Box paddingBlock="800">
          <Text as="p" tone="subdued" alignment="center">
            No messages yet. Write the first one below.
          </Text>
        </Box>
      ) : null}
      {items.map((item) => {
        const day = dayKey(timeZone, item.at);
        const divider =
          day !== lastDay ? (
            <InlineStack align="center">
              <Badge>{dayLabel(timeZone, item.at, now)}</Badge>
            </InlineStack>
          ) : null;
        lastDay = day;
        return (
          <BlockStack key={`${item.type}-${item.id}`} gap="400">
            {divider}
            {item.type === "message" ? (
              <MessageBubble message={item} timeZone={timeZone} />
            ) : item.type === "note" ? (
              <NoteCard note={item} timeZone={timeZone} />
            ) : (
              <SystemLine text={item.text} at={item.at} timeZone={timeZone} discount={item.type === "discount"} />
            )}
          </BlockStack>
        );
      })}
    </BlockStack>
  );
}
