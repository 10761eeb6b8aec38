import { z } from "zod";
import { ReplyVariablesSchema } from "./reply-variables";

// What the inbox shows beside a thread: the shopper as the store knows them. Shopify sections may come back
// `unavailable` (throttled, Shopify down) while the sections from Parley's own database still render; the panel
// offers a retry instead of breaking. Money stays as Shopify's decimal string plus currency, formatted in the UI.

export const MoneySchema = z.object({ amount: z.string(), currencyCode: z.string() });
export type Money = z.infer<typeof MoneySchema>;

export const UnavailableSchema = z.object({
  state: z.literal("unavailable"),
  reason: z.string(),
  retryable: z.boolean(),
});
export type Unavailable = z.infer<typeof UnavailableSchema>;

const SMS_STATES = ["NOT_SUBSCRIBED", "PENDING", "SUBSCRIBED", "UNSUBSCRIBED", "REDACTED"] as const;

export const StoreCustomerSchema = z.object({
  id: z.string(), // gid://shopify/Customer/…
  legacyId: z.string(), // for shopify:admin/customers/<id>
  displayName: z.string(),
  firstName: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  tags: z.array(z.string()),
  numberOfOrders: z.number(),
  amountSpent: MoneySchema,
  smsConsent: z.enum(SMS_STATES).nullable(),
});
export type StoreCustomer = z.infer<typeof StoreCustomerSchema>;

export const TrackingSchema = z.object({
  company: z.string().nullable(),
  number: z.string().nullable(),
  url: z.string().nullable(),
});

export const StoreOrderSchema = z.object({
  id: z.string(),
  name: z.string(),
  processedAt: z.string(),
  total: MoneySchema,
  financialStatus: z.string().nullable(),
  fulfillmentStatus: z.string(),
  itemsSummary: z.string(), // "2 × Canvas Tote, Wool Beanie"
  statusPageUrl: z.string(),
  fulfillments: z.array(
    z.object({
      status: z.string().nullable(), // displayStatus, e.g. IN_TRANSIT
      createdAt: z.string(),
      estimatedDeliveryAt: z.string().nullable(),
      deliveredAt: z.string().nullable(),
      tracking: z.array(TrackingSchema),
    }),
  ),
});
export type StoreOrder = z.infer<typeof StoreOrderSchema>;

export const AbandonedCheckoutSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  total: MoneySchema,
  recoveryUrl: z.string(),
  items: z.array(z.object({ title: z.string(), quantity: z.number() })),
});
export type AbandonedCheckout = z.infer<typeof AbandonedCheckoutSchema>;

export const ViewedProductSchema = z.object({
  productId: z.string().nullable(),
  title: z.string(),
  url: z.string().nullable(),
  viewedAt: z.string(),
});

export const PreviousConversationSchema = z.object({
  id: z.string(),
  lastMessageAt: z.string(),
  preview: z.string().nullable(),
  status: z.enum(["OPEN", "PENDING", "SNOOZED", "CLOSED"]),
});

const available = <T extends z.ZodType>(schema: T) => z.union([UnavailableSchema, schema]);

export const StoreContextSchema = z.object({
  conversationId: z.string(),
  contact: z.object({
    id: z.string(),
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    email: z.string().nullable(),
    phoneE164: z.string(),
  }),
  /** Not yet a Shopify customer (texted first): staff may link one or create one. */
  linkable: z.boolean(),
  shop: available(z.object({ state: z.literal("ok"), domain: z.string(), currencyCode: z.string() })).nullable(),
  customer: available(z.object({ state: z.literal("ok"), customer: StoreCustomerSchema.nullable() })).nullable(),
  orders: available(z.object({ state: z.literal("ok"), orders: z.array(StoreOrderSchema) })).nullable(),
  checkouts: available(z.object({ state: z.literal("ok"), checkouts: z.array(AbandonedCheckoutSchema) })).nullable(),
  recentlyViewed: z.array(ViewedProductSchema),
  previousConversations: z.array(PreviousConversationSchema),
  variables: ReplyVariablesSchema,
  fetchedAt: z.string(),
});
export type StoreContext = z.infer<typeof StoreContextSchema>;

export function isUnavailable(section: unknown): section is Unavailable {
  return !!section && typeof section === "object" && (section as { state?: unknown }).state === "unavailable";
}

/** The most recent tracking link across the shown orders' fulfilments (orders come newest first). */
export function latestTrackingUrl(orders: StoreOrder[]): string | undefined {
  const fulfillments = orders.flatMap((o) => o.fulfillments).filter((f) => f.tracking.some((t) => t.url));
  fulfillments.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return fulfillments[0]?.tracking.find((t) => t.url)?.url ?? undefined;
}
