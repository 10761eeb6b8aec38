import { randomBytes } from "node:crypto";
import { z } from "zod";
import { type AdminGraphql, classifyShopifyError } from "~/adapters/shopify/customer-consent.server";
import { executeRaw, isDatabaseError, prisma } from "~/db.server";
import { type PixelEvent, retentionCutoff, toBrowseEventRow } from "~/domain/browse-events";
import { Prisma } from "~/generated/prisma/client.ts";
import { log } from "~/lib/log.server";
import { startAbandonedCartFromBrowse } from "~/services/flows/abandoned-cart.server";

// Browse context from the storefront web pixel (extensions/parley-pixel): the shop's pixel token, the pixel's
// registration through the Admin API, the ingest of its events, and their bounded retention.

// ─── The pixel token ──────────────────────────────────────────────────────────────────────────────
// A web pixel cannot keep a secret: its settings are readable by anyone on the storefront. The token only says
// which shop an event claims to come from; it is random (so shops cannot be enumerated), can be rotated, and
// lets nobody read anything back.

const newToken = () => randomBytes(24).toString("base64url");

/** The shop's pixel token, created on first need. Concurrent first calls agree on one token. */
export async function ensurePixelToken(shopId: string): Promise<string> {
  await prisma.shopSettings.updateMany({ where: { shopId, pixelToken: null }, data: { pixelToken: newToken() } });
  const settings = await prisma.shopSettings.findUniqueOrThrow({ where: { shopId }, select: { pixelToken: true } });
  return settings.pixelToken!;
}

/** A new token; events signed with the old one are refused from now on (re-register the pixel afterwards). */
export async function rotatePixelToken(shopId: string): Promise<string> {
  const pixelToken = newToken();
  await prisma.shopSettings.update({ where: { shopId }, data: { pixelToken } });
  return pixelToken;
}

export type PixelShop = { shopId: string; browseRetentionDays: number };

/** The installed shop this token belongs to, or null (unknown token, uninstalled shop). */
export async function findShopByPixelToken(token: string): Promise<PixelShop | null> {
  const settings = await prisma.shopSettings.findUnique({
    where: { pixelToken: token },
    select: { shopId: true, browseRetentionDays: true, shop: { select: { uninstalledAt: true } } },
  });
  if (!settings || settings.shop.uninstalledAt) return null;
  return { shopId: settings.shopId, browseRetentionDays: settings.browseRetentionDays };
}

// ─── Rate limit ───────────────────────────────────────────────────────────────────────────────────
// Per token, in this process's memory: one token serves every shopper of a shop, so the limit is generous and only
// stops a flood from a copied token. With several web processes each keeps its own buckets (the real ceiling is
// the limit × processes); a shared limit would cost a database round trip per storefront event.

export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  constructor(
    private readonly capacity: number,
    private readonly refillPerSecond: number,
    private readonly maxKeys = 10_000,
  ) {}

  /** Takes one token for `key`; false when its bucket is empty. */
  take(key: string, now = Date.now()): boolean {
    const bucket = this.buckets.get(key) ?? { tokens: this.capacity, at: now };
    bucket.tokens = Math.min(this.capacity, bucket.tokens + ((now - bucket.at) / 1000) * this.refillPerSecond);
    bucket.at = now;
    this.buckets.delete(key); // re-inserting keeps Map order = least recently used first
    this.buckets.set(key, bucket);
    while (this.buckets.size > this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  clear() {
    this.buckets.clear();
  }
}

/** Requests per pixel token: bursts of 200, 50 a second sustained (each request carries up to 25 events). */
export const pixelRateLimit = new TokenBuckets(200, 50);

// ─── Ingest ───────────────────────────────────────────────────────────────────────────────────────

export interface IngestResult {
  received: number;
  /** New rows; replays (same pixel event id) and events already past retention are not stored. */
  stored: number;
  /** Rows linked to a contact. */
  linked: number;
}

/**
 * Stores a batch of pixel events for this shop. An event is linked to the shop's contact with the same Shopify
 * customer, else (checkouts) with the same phone; browse events never create contacts. Events of a logged-in
 * shopper keep the customer id even unlinked, so a contact linked to that customer later sees them.
 */
export async function ingestBrowseEvents(
  shop: PixelShop,
  events: PixelEvent[],
  now: Date = new Date(),
): Promise<IngestResult> {
  const cutoff = retentionCutoff(now, shop.browseRetentionDays);
  const rows = events.map((e) => toBrowseEventRow(e, now)).filter((r) => r.occurredAt >= cutoff);

  const customerIds = [...new Set(rows.flatMap((r) => (r.shopifyCustomerId ? [r.shopifyCustomerId] : [])))];
  const phones = [...new Set(rows.flatMap((r) => (r.phoneE164 ? [r.phoneE164] : [])))];
  const contacts =
    customerIds.length + phones.length === 0
      ? []
      : await prisma.contact.findMany({
          where: {
            shopId: shop.shopId,
            OR: [
              ...(customerIds.length ? [{ shopifyCustomerId: { in: customerIds } }] : []),
              ...(phones.length ? [{ phoneE164: { in: phones } }] : []),
            ],
          },
          orderBy: { createdAt: "asc" }, // the oldest contact of a customer wins, as everywhere else
          select: { id: true, shopifyCustomerId: true, phoneE164: true },
        });
  const byCustomer = new Map<string, string>();
  const byPhone = new Map<string, string>();
  for (const c of contacts) {
    if (c.shopifyCustomerId && !byCustomer.has(c.shopifyCustomerId)) byCustomer.set(c.shopifyCustomerId, c.id);
    byPhone.set(c.phoneE164, c.id);
  }

  const data = rows.map(({ phoneE164, ...row }) => ({
    ...row,
    shopId: shop.shopId,
    contactId:
      (row.shopifyCustomerId ? byCustomer.get(row.shopifyCustomerId) : undefined) ??
      (phoneE164 ? byPhone.get(phoneE164) : undefined) ??
      null,
  }));
  // (shopId, eventId) is unique: a replayed or retried request is a no-op, also when two arrive at once.
  const { count } = data.length ? await prisma.browseEvent.createMany({ data, skipDuplicates: true }) : { count: 0 };
  // A known shopper starting a checkout may start the abandoned-cart flow (its subject dedupes replays).
  for (const row of data) {
    if (row.eventName !== "checkout_started" || !row.contactId) continue;
    try {
      await startAbandonedCartFromBrowse({
        shopId: shop.shopId,
        contactId: row.contactId,
        eventId: row.eventId,
        url: row.url,
        now,
      });
    } catch (error) {
      log.error("abandoned cart from checkout_started failed", { shopId: shop.shopId, error });
    }
  }
  return { received: events.length, stored: count, linked: data.filter((d) => d.contactId).length };
}

// ─── Retention ────────────────────────────────────────────────────────────────────────────────────

export const RETENTION_BATCH_ROWS = 5_000;
/** Per shop and run; the next run goes on where this one stopped. */
export const RETENTION_MAX_BATCHES = 200;

/**
 * Deletes every shop's browse events older than its `browseRetentionDays`, in statements of at most `batchRows`
 * rows each, found through the (shopId, occurredAt) index, so no statement holds locks for long and the sweep
 * never blocks the storefront ingest.
 */
export async function sweepBrowseRetention(
  options: { now?: Date; batchRows?: number; maxBatches?: number; shopId?: string } = {},
): Promise<{ shops: number; deleted: number }> {
  const now = options.now ?? new Date();
  const batchRows = options.batchRows ?? RETENTION_BATCH_ROWS;
  const maxBatches = options.maxBatches ?? RETENTION_MAX_BATCHES;
  const shops = await prisma.shopSettings.findMany({
    where: options.shopId ? { shopId: options.shopId } : {},
    select: { shopId: true, browseRetentionDays: true },
  });
  let deleted = 0;
  for (const { shopId, browseRetentionDays } of shops) {
    const cutoff = retentionCutoff(now, browseRetentionDays).toISOString();
    for (let batch = 0; batch < maxBatches; batch++) {
      // occurredAt is a UTC timestamp without zone (Prisma's DateTime): compare in UTC whatever the session's zone.
      const count = await executeRaw(
        prisma,
        Prisma.sql`
        DELETE FROM "BrowseEvent" WHERE id IN (
          SELECT id FROM "BrowseEvent"
          WHERE "shopId" = ${shopId} AND "occurredAt" < (${cutoff}::timestamptz AT TIME ZONE 'UTC')
          LIMIT ${batchRows}
        )`,
      );
      deleted += count;
      if (count < batchRows) break;
    }
  }
  if (deleted > 0) log.info("browse events past retention deleted", { shops: shops.length, deleted });
  return { shops: shops.length, deleted };
}

// ─── Pixel registration (Admin API) ───────────────────────────────────────────────────────────────

export const PIXEL_SCOPES = ["write_pixels", "read_customer_events"] as const;

/** Whether the granted scopes (a session's `scope`) allow creating the web pixel. */
export function canRegisterWebPixel(grantedScopes: string | undefined): boolean {
  const granted = new Set((grantedScopes ?? "").split(",").map((s) => s.trim()));
  return PIXEL_SCOPES.every((s) => granted.has(s));
}

/** Where the pixel posts its events. */
export function pixelIngestUrl(appUrl: string): string {
  return new URL("/pixel/events", appUrl).toString();
}

/** The pixel's settings; the names are the `[settings.fields]` of extensions/parley-pixel/shopify.extension.toml. */
export function pixelSettings(token: string, ingestUrl: string) {
  return { accountID: token, ingestUrl };
}

const UserErrors = z.array(
  z.object({ field: z.array(z.string()).nullish(), message: z.string(), code: z.string().nullish() }),
);
const WebPixel = z.object({ id: z.string(), settings: z.unknown() });
const WebPixelPayload = z.object({ webPixel: WebPixel.nullish(), userErrors: UserErrors });

export type RegisterPixelResult =
  { ok: true; action: "created" | "updated" | "unchanged"; webPixelId: string } | { ok: false; reason: string };

async function gql(admin: AdminGraphql, query: string, variables: Record<string, unknown> = {}) {
  const response = await admin.graphql(query, { variables });
  return ((await response.json()) as { data?: Record<string, unknown> }).data ?? {};
}

/** The settings JSON scalar comes back as a JSON string on Shopify; accept an object too. */
function sameSettings(current: unknown, wanted: Record<string, string>): boolean {
  let value = current;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch {
      return false;
    }
  }
  if (!value || typeof value !== "object") return false;
  const entries = Object.entries(value as Record<string, unknown>);
  return entries.length === Object.keys(wanted).length && entries.every(([k, v]) => wanted[k] === v);
}

/**
 * Connects the shop's web pixel to Parley: creates it with the shop's token and the ingest URL, or, when the app
 * already has one on this shop, updates it if its settings differ (a rotated token, a new app URL). Needs the
 * `write_pixels` and `read_customer_events` scopes. Never throws: a failure is logged and returned.
 */
export async function registerWebPixel(
  admin: AdminGraphql,
  shopId: string,
  appUrl: string,
): Promise<RegisterPixelResult> {
  try {
    const wanted = pixelSettings(await ensurePixelToken(shopId), pixelIngestUrl(appUrl));
    const settings = JSON.stringify(wanted);
    const created = WebPixelPayload.parse(
      (
        await gql(
          admin,
          `mutation ParleyWebPixelCreate($webPixel: WebPixelInput!) {
            webPixelCreate(webPixel: $webPixel) { webPixel { id settings } userErrors { field message code } }
          }`,
          { webPixel: { settings } },
        )
      ).webPixelCreate,
    );
    if (created.webPixel && created.userErrors.length === 0) {
      return { ok: true, action: "created", webPixelId: created.webPixel.id };
    }
    if (created.userErrors.some((e) => e.code !== "TAKEN")) {
      return fail(shopId, created.userErrors.map((e) => `${e.code ?? "ERROR"}: ${e.message}`).join("; "));
    }
    // One pixel per app and shop: it exists already (TAKEN), so find it and bring its settings up to date.
    const existing = z
      .object({ webPixel: WebPixel.nullish() })
      .parse(await gql(admin, `query ParleyWebPixel { webPixel { id settings } }`)).webPixel;
    if (!existing) return fail(shopId, "webPixelCreate answered TAKEN but no web pixel was found");
    if (sameSettings(existing.settings, wanted)) return { ok: true, action: "unchanged", webPixelId: existing.id };
    const updated = WebPixelPayload.parse(
      (
        await gql(
          admin,
          `mutation ParleyWebPixelUpdate($id: ID!, $webPixel: WebPixelInput!) {
            webPixelUpdate(id: $id, webPixel: $webPixel) { webPixel { id settings } userErrors { field message code } }
          }`,
          { id: existing.id, webPixel: { settings } },
        )
      ).webPixelUpdate,
    );
    if (!updated.webPixel || updated.userErrors.length > 0) {
      return fail(shopId, updated.userErrors.map((e) => e.message).join("; ") || "webPixelUpdate failed");
    }
    return { ok: true, action: "updated", webPixelId: updated.webPixel.id };
  } catch (error) {
    if (isDatabaseError(error)) throw error;
    return fail(shopId, classifyShopifyError(error).reason);
  }
}

function fail(shopId: string, reason: string): RegisterPixelResult {
  log.warn("web pixel registration failed; browse context stays off until it succeeds", { shopId, reason });
  return { ok: false, reason };
}
