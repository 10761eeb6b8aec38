import { z } from "zod";
import { fillFlowVariables } from "./fill-variables";
import type { FlowEffect, FlowEnvironment, FlowMachine, FlowStep } from "./machine";
import type { InterestSettings } from "./settings";

// INTEREST: a shopper said what they are waiting for ("the hoodies!"). One run per shopper and target (subject
// "interest:<contactId>:<targetId>"), started once the words were matched (app/domain/flows/interest-match.ts):
// the contact is tagged interest:<handle>, the shopper gets the promise, and the run watches the product or the
// collection; when what they waited for arrives (products/update), one text with the direct link to that product,
// and the run is done — so the link goes once.
// Words that matched nothing for sure, or a product there is nothing to wait for (on sale in every variant), go
// to a person instead (subject "interest:<contactId>:asked:<messageId>"): nobody is promised what may not come.
// A collection always has something to wait for: its next product on sale (see arrivedFor).

export const EXPIRE_TIMER = "expire";
/** A promise is kept this long; after that the watch lapses quietly (a new question starts a new one). */
export const WATCH_DAYS = 120;
const DAY_MS = 86_400_000;

export const WatchSchema = z.object({
  /** release: not on sale yet (draft, archived); restock: on sale, some or all variants empty. */
  waitingFor: z.enum(["release", "restock"]),
  /** The variants that were empty when the shopper asked (gids): one of them back means the product is back. */
  emptyVariantIds: z.array(z.string()).default([]),
  /** A collection's products that were on sale when the shopper asked: they could have had those, so not news. */
  onSaleProductIds: z.array(z.string()).optional(),
});
export type Watch = z.infer<typeof WatchSchema>;

export const InterestTargetSchema = z.object({
  type: z.enum(["product", "collection"]),
  id: z.string(), // gid://shopify/Product/… or …/Collection/…
  title: z.string(),
  handle: z.string(),
  url: z.string(), // the storefront page
});
export type InterestTarget = z.infer<typeof InterestTargetSchema>;

export const InterestContextSchema = z.object({
  askedText: z.string(),
  messageId: z.string().nullable().default(null),
  target: InterestTargetSchema.nullable().default(null),
  /** Null: the target is on sale as it is (nothing to wait for). */
  watch: WatchSchema.nullable().default(null),
  /** Titles that matched about as well, when nothing matched for sure. */
  candidates: z.array(z.string()).default([]),
});
export type InterestContext = z.infer<typeof InterestContextSchema>;

// ─── what the product looks like now ────────────────────────────────────────────────────────────

export const ProductStockSchema = z.object({
  status: z.string(), // ACTIVE | DRAFT | ARCHIVED (any case: GraphQL upper, REST lower)
  variants: z.array(
    z.object({ id: z.string(), inventoryQuantity: z.number().nullable(), tracked: z.boolean().optional() }),
  ),
});
export type ProductStock = z.infer<typeof ProductStockSchema>;

/**
 * A product of a watched collection as the Admin API sums it up (status, stock across variants): a collection may
 * hold hundreds of products, and their variants one by one would cost more than a query may.
 */
export const StockSummarySchema = z.object({
  id: z.string(),
  status: z.string(),
  totalInventory: z.number().nullable(),
  tracksInventory: z.boolean(),
});
export type StockSummary = z.infer<typeof StockSummarySchema>;

const active = (p: { status: string }) => p.status.toUpperCase() === "ACTIVE";
const inStock = (v: ProductStock["variants"][number]) => v.tracked === false || (v.inventoryQuantity ?? 0) > 0;

/** Whether a shopper can buy the product now: published, and some variant in stock (or stock not tracked). */
export function onSale(product: ProductStock | StockSummary): boolean {
  if (!active(product)) return false;
  if ("variants" in product) return product.variants.some(inStock);
  return !product.tracksInventory || (product.totalInventory ?? 0) > 0;
}

/** What there is to wait for in this product, or null when it is on sale in every variant. */
export function watchOf(product: ProductStock): Watch | null {
  if (!active(product)) return { waitingFor: "release", emptyVariantIds: [] };
  const empty = product.variants.filter((v) => !inStock(v)).map((v) => v.id);
  return empty.length > 0 || product.variants.length === 0 ? { waitingFor: "restock", emptyVariantIds: empty } : null;
}

/** Whether what the shopper waited for has come: released with stock, or an empty variant restocked. */
export function cameBack(watch: Watch, product: ProductStock): boolean {
  if (!active(product)) return false;
  if (watch.waitingFor === "release" || watch.emptyVariantIds.length === 0) return product.variants.some(inStock);
  return product.variants.some((v) => watch.emptyVariantIds.includes(v.id) && inStock(v));
}

/**
 * What there is to wait for in a collection: always its next product on sale, so the watch notes which of its
 * products are on sale now. Waiting for a restock when one of them is published but sold out, else a release.
 * Null when the collection could not be listed whole (`complete` false: more than a page): a product left out
 * would count as new whenever it is updated, so such a collection goes to a person instead.
 */
export function collectionWatchOf(products: StockSummary[], complete = true): Watch | null {
  if (!complete) return null;
  const sold = products.some((p) => active(p) && !onSale(p));
  return {
    waitingFor: sold ? "restock" : "release",
    emptyVariantIds: [],
    onSaleProductIds: products.filter(onSale).map((p) => p.id),
  };
}

/**
 * Whether a product's update brings what the shopper waited for. A product: it came back (cameBack). A collection
 * (the caller has checked the product is in it): the product is on sale now and was not when the shopper asked —
 * sold out then, unreleased, or added to the collection since. "The hoodies!" means a hoodie they could not buy;
 * a size restocked of one they could have bought, or a price change, is not what they asked to hear about.
 */
export function arrivedFor(
  target: Pick<InterestTarget, "type" | "id">,
  watch: Watch,
  productId: string,
  product: ProductStock,
): boolean {
  if (target.type === "product") return productId === target.id && cameBack(watch, product);
  return onSale(product) && !watch.onSaleProductIds?.includes(productId);
}

// ─── the machine ────────────────────────────────────────────────────────────────────────────────

type Env = FlowEnvironment<InterestSettings>;
type Step = FlowStep<InterestContext>;

export const interestTag = (target: Pick<InterestTarget, "handle">) => `interest:${target.handle}`;

type Named = Pick<InterestTarget, "type" | "title">;

/**
 * How a text names the target: "the Cozy Hoodie"; a collection by what the shopper will hear about, "something
 * new in Hoodies" (the link names the product, when one arrives).
 */
export const targetPhrase = (target: Named) =>
  target.type === "collection" ? `something new in ${target.title}` : `the ${target.title.replace(/^the\s+/i, "")}`;

/** {target_title} as targetPhrase says, capitalised where it opens a sentence ("The Cozy Hoodie"). */
export function fillTarget(template: string, target: Named, values: Record<string, string> = {}): string {
  const phrase = targetPhrase(target);
  const capital = phrase.charAt(0).toUpperCase() + phrase.slice(1);
  const opening = template.replace(/(^|[.!?]\s+)\{\s*target_title\s*\}/gi, (_m, lead: string) => `${lead}${capital}`);
  return fillFlowVariables("INTEREST", opening, { ...values, target_title: phrase });
}

function quoted(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return `“${flat.length > 100 ? `${flat.slice(0, 99)}…` : flat}”`;
}

function handOver(context: InterestContext, why: string, state: string): Step {
  return {
    state,
    context,
    summary: `handed to staff: ${why}`,
    effects: [
      { type: "hand_over", summary: `Shopper is waiting for: ${quoted(context.askedText)} — ${why}`, priority: false },
    ],
    end: { status: "COMPLETED", reason: state },
  };
}

function start(context: InterestContext, env: Env): Step {
  const { target, watch } = context;
  if (!target)
    return handOver(
      context,
      context.candidates.length > 0
        ? `several products match (${context.candidates.join(", ")})`
        : "no product matched",
      "no_match",
    );
  if (!watch)
    return target.type === "collection"
      ? handOver(context, `matched the collection ${target.title}, too large to watch`, "too_large")
      : handOver(context, `matched ${target.title}, which is on sale now`, "available_already");
  const effects: FlowEffect[] = [
    { type: "tag_contact", tags: [interestTag(target)] },
    {
      type: "send",
      body: fillTarget(env.settings.promiseText, target),
      purpose: "MARKETING",
    },
    { type: "set_timer", name: EXPIRE_TIMER, at: new Date(env.now.getTime() + WATCH_DAYS * DAY_MS) },
  ];
  const comes =
    target.type === "collection" ? "is available" : watch.waitingFor === "release" ? "is released" : "is back in stock";
  return { state: "watching", context, summary: `promised a text when ${targetPhrase(target)} ${comes}`, effects };
}

export const interestMachine: FlowMachine<InterestContext, InterestSettings> = {
  kind: "INTEREST",
  initialState: "new",
  contextSchema: InterestContextSchema,
  transition(run, event, env) {
    const { context, state } = run;
    switch (event.type) {
      case "start":
        return state === "new" ? start(context, env) : null;
      case "product_available": {
        const { target } = context;
        if (state !== "watching" || !target) return null;
        // Whether the product is news for this watch (and in the collection) is decided by the service that
        // dispatches this, with arrivedFor; the text names the product that arrived, even for a collection.
        if (target.type === "product" && event.productId !== target.id) return null;
        const product = { type: "product" as const, title: event.title };
        return {
          state: "notified",
          context,
          summary: `${event.title} is available: sent the link`,
          effects: [
            {
              type: "send",
              body: fillTarget(env.settings.availableText, product, { product_url: event.url }),
              purpose: "MARKETING",
            },
          ],
          end: { status: "COMPLETED", reason: "notified" },
        };
      }
      case "timer":
        if (event.name !== EXPIRE_TIMER || state !== "watching") return null;
        return {
          state: "expired",
          context,
          summary: `stopped waiting after ${WATCH_DAYS} days`,
          effects: [],
          end: { status: "COMPLETED", reason: "expired" },
        };
      default:
        return null;
    }
  },
};
