import { z } from "zod";

// The thread's system timeline (Prisma ConversationEvent): what happened to a conversation besides messages and
// notes. `kind` picks the shape of `data`; rows are validated on the way in and read defensively on the way out
// (an old or unknown kind is shown generically, never breaks the page).

const Source = z.string().min(1).max(40);
const Purposes = z.array(z.enum(["marketing", "transactional"])).default([]);

export const ConversationEventSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("assigned"), data: z.object({ toStaffId: z.string(), toName: z.string() }) }),
  z.object({ kind: z.literal("unassigned"), data: z.object({ fromStaffId: z.string().nullish() }).default({}) }),
  z.object({ kind: z.literal("closed"), data: z.object({}).default({}) }),
  z.object({ kind: z.literal("reopened"), data: z.object({}).default({}) }),
  z.object({ kind: z.literal("snoozed"), data: z.object({ until: z.iso.datetime({ offset: true }) }) }),
  z.object({ kind: z.literal("snooze_ended"), data: z.object({}).default({}) }),
  z.object({ kind: z.literal("tagged"), data: z.object({ tag: z.string().min(1) }) }),
  z.object({ kind: z.literal("untagged"), data: z.object({ tag: z.string().min(1) }) }),
  z.object({ kind: z.literal("marked_unread"), data: z.object({}).default({}) }),
  // source: the ConsentSource that changed it (KEYWORD, PROVIDER, SHOPIFY, ADMIN…); purposes: what changed.
  z.object({ kind: z.literal("opted_out"), data: z.object({ source: Source, purposes: Purposes }) }),
  z.object({ kind: z.literal("opted_in"), data: z.object({ source: Source, purposes: Purposes }) }),
  z.object({
    kind: z.literal("discount_created"),
    data: z.object({
      code: z.string().min(1),
      kind: z.enum(["PERCENTAGE", "FIXED_AMOUNT", "FREE_SHIPPING"]),
      value: z.number().nullish(), // percent, or amount in the shop's currency; none for free shipping
    }),
  }),
  z.object({
    kind: z.literal("customer_linked"),
    data: z.object({ customerId: z.string().min(1), created: z.boolean().default(false) }),
  }),
]);
export type ConversationEventInput = z.input<typeof ConversationEventSchema>;
export type ConversationEventData = z.output<typeof ConversationEventSchema>;
export type ConversationEventKind = ConversationEventData["kind"];

export type ActorKind = "SHOPPER" | "STAFF" | "AI" | "AUTOMATION" | "SYSTEM";

/** A stored row as the thread reads it. */
export type StoredConversationEvent = {
  kind: string;
  data: unknown;
  actorKind: ActorKind;
  actorStaffId: string | null;
};

/** The row's kind and data if they are a known, well-formed event; null otherwise. */
export function parseConversationEvent(row: { kind: string; data: unknown }): ConversationEventData | null {
  const parsed = ConversationEventSchema.safeParse({ kind: row.kind, data: row.data ?? {} });
  return parsed.success ? parsed.data : null;
}

const SOURCE_TEXT: Record<string, string> = {
  KEYWORD: "by text",
  INBOUND_MESSAGE: "by text",
  PROVIDER: "carrier block",
  SHOPIFY: "in Shopify",
  ADMIN: "by staff",
  STOREFRONT_FORM: "storefront form",
  POPUP: "pop-up",
  CHECKOUT: "at checkout",
  IMPORT: "import",
};

const ACTOR_TEXT: Record<Exclude<ActorKind, "STAFF">, string> = {
  SHOPPER: "the shopper",
  AI: "AI",
  AUTOMATION: "automation",
  SYSTEM: "Parley",
};

function formatWhen(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat("en-US", {
    timeZone,
    weekday: "short",
    month: "short",
    day: "numeric",
    hour: "numeric",
    minute: "2-digit",
  }).format(new Date(iso));
}

function discountValue(data: Extract<ConversationEventData, { kind: "discount_created" }>["data"]): string {
  if (data.kind === "FREE_SHIPPING") return "free shipping";
  if (data.value == null) return data.kind === "PERCENTAGE" ? "percentage off" : "amount off";
  return data.kind === "PERCENTAGE" ? `${data.value}% off` : `${data.value} off`;
}

/**
 * One line for the timeline: "Assigned to Sam", "Closed by Alex", "Opted out of all texts (by text)".
 * staffNames maps staff ids to display names (the actor's and the assignee's).
 */
export function describeEvent(
  event: StoredConversationEvent,
  staffNames: Record<string, string>,
  options: { timeZone?: string } = {},
): string {
  const parsed = parseConversationEvent(event);
  const actor =
    event.actorKind === "STAFF"
      ? event.actorStaffId
        ? (staffNames[event.actorStaffId] ?? "a staff member")
        : null
      : ACTOR_TEXT[event.actorKind];
  const by = actor ? ` by ${actor}` : "";
  if (!parsed) return `${event.kind.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase())}${by}`;

  switch (parsed.kind) {
    case "assigned": {
      const to = staffNames[parsed.data.toStaffId] ?? parsed.data.toName;
      if (event.actorKind === "STAFF" && event.actorStaffId === parsed.data.toStaffId)
        return `${to} took this conversation`;
      return `Assigned to ${to}${by}`;
    }
    case "unassigned":
      return `Unassigned${by}`;
    case "closed":
      return `Closed${by}`;
    case "reopened":
      return `Reopened${by}`;
    case "snoozed":
      return `Snoozed until ${formatWhen(parsed.data.until, options.timeZone ?? "UTC")}${by}`;
    case "snooze_ended":
      return "Snooze ended: back in Open";
    case "tagged":
      return `Tagged “${parsed.data.tag}”${by}`;
    case "untagged":
      return `Removed tag “${parsed.data.tag}”${by}`;
    case "marked_unread":
      return `Marked unread${by}`;
    case "opted_out": {
      const what = parsed.data.purposes.includes("transactional")
        ? "Opted out of all texts"
        : "Unsubscribed from marketing texts";
      const source = SOURCE_TEXT[parsed.data.source];
      return source ? `${what} (${source})` : what;
    }
    case "opted_in": {
      const what = parsed.data.purposes.includes("marketing")
        ? "Subscribed to marketing texts"
        : "Opted back in to texts";
      const source = SOURCE_TEXT[parsed.data.source];
      return source ? `${what} (${source})` : what;
    }
    case "discount_created":
      return `Discount ${parsed.data.code} created (${discountValue(parsed.data)})${by}`;
    case "customer_linked":
      return parsed.data.created ? `Shopify customer created${by}` : `Linked to a Shopify customer${by}`;
  }
}
