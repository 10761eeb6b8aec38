import {
  addCustomerTags,
  type AdminGraphql,
  classifyShopifyError,
  createCustomerWithConsent,
  customerIsGone,
  describeUserErrors,
  findCustomerByPhone,
  type MutationResult,
  phoneIsTaken,
  type ShopifyFailure,
  type ShopifyUserError,
  updateSmsConsent,
} from "~/adapters/shopify/customer-consent.server";
import { isDatabaseError, prisma, queryRaw } from "~/db.server";
import { sourceTag } from "~/domain/opt-in";
import { maskPhone } from "~/domain/phone";
import {
  consentUpdatedAt,
  shopifyConsentMatches,
  shopifyConsentTarget,
  SYNC_MAX_ATTEMPTS,
  syncRetryDelayMs,
} from "~/domain/shopify-consent";
import { type ConsentSource, type ConsentStatus, type Contact, Prisma } from "~/generated/prisma/client.ts";
import { log } from "~/lib/log.server";
import { waitWhile } from "~/lib/wait-while";
import { shopperTextsRecently } from "~/services/sms/provider-events.server";
import { unauthenticated } from "~/shopify.server";

// Parley → Shopify: drains the contacts marked by shopifyConsentMark (same transaction as the consent
// change) and sets their Shopify customer's SMS marketing consent. Runs in the `shopify.sync-consent` job.
//
// - What is pushed is the contact's *current* marketing state, read when the sync runs, not the change that
//   marked it: a later change wins, and a state Shopify set itself is never pushed back.
// - Finishing is conditional on the mark being the one read: a change that lands mid-sync leaves the contact due.
// - The customer: the linked one; else the shop's customer with that phone (then linked); else, only for a
//   subscriber, a new customer. Someone who merely texted or opted out never becomes a Shopify customer.
// - Shopify's userErrors are final until the next change (recorded on the contact and logged); throttling, 5xx
//   and network failures back off (syncRetryDelayMs) up to SYNC_MAX_ATTEMPTS; a shop without an offline session
//   (uninstalled) waits NOT_INSTALLED_RETRY_MS without spending attempts, in case the merchant reinstalls.

export const LEASE_MS = 2 * 60_000;
export const NOT_INSTALLED_RETRY_MS = 6 * 3_600_000;

export type SyncOutcome =
  | "synced" // the mutation set the consent
  | "unchanged" // the customer already had it
  | "created" // a new customer, subscribed
  | "no_customer" // an opt-out for someone who is not a Shopify customer: nothing to do
  | "nothing_to_push" // the current state is Shopify's own, or one Shopify has no word for (PENDING)
  | "superseded" // pushed, but a newer change arrived meanwhile: the contact stays due
  | "refused" // userErrors: recorded, not retried
  | "retrying"
  | "gave_up"
  | "not_installed";

export type SyncResult = { contactId: string; shopId: string; outcome: SyncOutcome; retryAt?: Date; error?: string };

export interface ConsentSyncDeps {
  adminFor(shop: string): Promise<AdminGraphql>;
  now(): Date;
  random(): number;
  /** Resolves when the sync may take its next batch (see yieldToShopperTexts); none: at once. */
  yieldToShoppers?(): Promise<unknown>;
}

export const defaultConsentSyncDeps: ConsentSyncDeps = {
  adminFor: async (shop) => (await unauthenticated.admin(shop)).admin,
  now: () => new Date(),
  random: Math.random,
  yieldToShoppers: yieldToShopperTexts,
};

// Shoppers' texts come first: the shopper who texted STOP is waiting for the confirmation, nobody is waiting for
// Shopify's copy of the consent. Before each batch the sync waits until this process has had no shopper's text for
// QUIET_MS — at most MAX_YIELD_MS, so a steady stream of texts slows the sync down but never stops it.
const QUIET_MS = 250;
const MAX_YIELD_MS = 2_000;

export function yieldToShopperTexts(): Promise<number> {
  return waitWhile(() => shopperTextsRecently(QUIET_MS), { maxMs: MAX_YIELD_MS });
}

type Claim = { id: string; shopId: string };

/** Leases due contacts (all shops, or one contact) so concurrent workers never work on the same one. */
export async function claimDueContacts(options: { now: Date; limit: number; contactId?: string }): Promise<Claim[]> {
  const only = options.contactId ? Prisma.sql`AND id = ${options.contactId}` : Prisma.empty;
  return queryRaw<Claim>(
    prisma,
    Prisma.sql`
    UPDATE "Contact" AS c SET "shopifyConsentSyncDueAt" = ${new Date(options.now.getTime() + LEASE_MS)}
    FROM (
      SELECT id FROM "Contact"
      WHERE "shopifyConsentSyncDueAt" <= ${options.now} ${only}
      ORDER BY "shopifyConsentSyncDueAt" LIMIT ${options.limit}
      FOR UPDATE SKIP LOCKED
    ) AS due
    WHERE c.id = due.id
    RETURNING c.id, c."shopId"`,
  );
}

/**
 * Syncs due contacts until none is left, `maxContacts` were handled or `budgetMs` has passed (the job stays short;
 * the next one continues). Pass `contactId` to sync just that contact, if it is due.
 */
export async function syncShopifyConsent(
  options: { contactId?: string; batchSize?: number; maxContacts?: number; budgetMs?: number } = {},
  deps: ConsentSyncDeps = defaultConsentSyncDeps,
): Promise<SyncResult[]> {
  const batchSize = options.batchSize ?? 25;
  const maxContacts = options.maxContacts ?? 500;
  const started = Date.now();
  const admins = new Map<string, Promise<AdminGraphql>>();
  const results: SyncResult[] = [];
  while (results.length < maxContacts && Date.now() - started < (options.budgetMs ?? 45_000)) {
    await deps.yieldToShoppers?.();
    const claimed = await claimDueContacts({
      now: deps.now(),
      limit: Math.min(batchSize, maxContacts - results.length),
      contactId: options.contactId,
    });
    for (const claim of claimed) results.push(await syncContact(claim, deps, admins));
    if (claimed.length < batchSize || options.contactId) break;
  }
  return results;
}

async function syncContact(
  claim: Claim,
  deps: ConsentSyncDeps,
  admins: Map<string, Promise<AdminGraphql>>,
): Promise<SyncResult> {
  const base = { contactId: claim.id, shopId: claim.shopId };
  const subject = await readSyncSubject(claim);
  const mark = subject?.contact.shopifyConsentSyncEventId;
  if (!subject || !mark) {
    await prisma.contact.updateMany({
      where: { id: claim.id, shopifyConsentSyncEventId: null },
      data: { shopifyConsentSyncDueAt: null },
    });
    return { ...base, outcome: "nothing_to_push" };
  }
  const { contact, state, event, before } = subject;
  const done = (outcome: SyncOutcome) => finish(contact, mark, outcome);

  if (!state || state.source === "SHOPIFY") return done("nothing_to_push");
  if (!event) return done("nothing_to_push");
  const target = shopifyConsentTarget(state.status, before.status);
  // A subscriber's customer is tagged with where they signed up: the form's request, not the "Y" that confirmed it.
  const subscribedTag =
    target?.marketingState === "SUBSCRIBED"
      ? sourceTag(before.status === "PENDING" && before.source ? before.source : event.source)
      : null;
  const tagged = async (client: AdminGraphql, customerId: string, outcome: SyncOutcome) => {
    if (subscribedTag) await addCustomerTags(client, customerId, [subscribedTag]);
    return done(outcome);
  };
  if (!target) return done("nothing_to_push");
  const updatedAt = consentUpdatedAt(event.occurredAt, deps.now());

  try {
    let admin = admins.get(contact.shopId);
    if (!admin) {
      admin = deps.adminFor(contact.shopId);
      admins.set(contact.shopId, admin);
    }
    const client = await admin;

    if (contact.shopifyCustomerId) {
      const result = await updateSmsConsent(client, contact.shopifyCustomerId, target, updatedAt);
      if (result.ok) return tagged(client, contact.shopifyCustomerId, "synced");
      if (!customerIsGone(result.userErrors))
        return refuse(contact, mark, "customerSmsMarketingConsentUpdate", result.userErrors);
      // The linked customer was deleted or merged: forget it and look the phone up again.
      await prisma.contact.updateMany({
        where: { id: contact.id, shopId: contact.shopId, shopifyCustomerId: contact.shopifyCustomerId },
        data: { shopifyCustomerId: null },
      });
    }

    const found = await findCustomerByPhone(client, contact.phoneE164);
    if (found) {
      await link(contact, found.id);
      if (shopifyConsentMatches(found.smsMarketingConsent, target)) return tagged(client, found.id, "unchanged");
      const result = await updateSmsConsent(client, found.id, target, updatedAt);
      return result.ok
        ? tagged(client, found.id, "synced")
        : refuse(contact, mark, "customerSmsMarketingConsentUpdate", result.userErrors);
    }
    if (target.marketingState !== "SUBSCRIBED") return done("no_customer");

    const input = {
      phone: contact.phoneE164,
      firstName: contact.firstName,
      lastName: contact.lastName,
      email: contact.email,
      consent: target,
      consentUpdatedAt: updatedAt,
    };
    let created: MutationResult = await createCustomerWithConsent(client, input);
    // The email may belong to another customer (or be one Shopify rejects): the phone is what consent is about.
    if (!created.ok && input.email && created.userErrors.some((e) => e.field?.includes("email"))) {
      created = await createCustomerWithConsent(client, { ...input, email: null });
    }
    if (created.ok) {
      await link(contact, created.customer.id);
      return tagged(client, created.customer.id, "created");
    }
    // Someone created the customer since we looked: the next attempt finds and links it.
    if (phoneIsTaken(created.userErrors))
      return retry(contact, mark, deps, { kind: "transient", reason: "the phone was taken meanwhile" });
    return refuse(contact, mark, "customerCreate", created.userErrors);
  } catch (error) {
    // Database trouble is not Shopify's answer: the job fails and the lease hands the contact to a later run.
    if (isDatabaseError(error)) throw error;
    // A failed adminFor stays cached for this run: the shop's other contacts get the same answer without asking.
    return retry(contact, mark, deps, classifyShopifyError(error));
  }
}

type SyncSubject = {
  contact: Contact;
  state: { status: ConsentStatus; source: ConsentSource } | null;
  event: { source: ConsentSource; occurredAt: Date } | null;
  /** The marketing status (and its source) just before `event`: PENDING there makes this SUBSCRIBED a confirmed
   * (double) opt-in, and its source is where the shopper signed up. */
  before: { status: ConsentStatus; source: ConsentSource | null };
};

/**
 * The contact, its current marketing state, the event that set it and the status before that event, in one
 * statement (it runs for every consent change, beside the shoppers' texts that caused them). The status before
 * is looked up by shop as well as contact: tenant scope, and the (shopId, contactId, occurredAt) index serves it.
 */
async function readSyncSubject(claim: Claim): Promise<SyncSubject | null> {
  const [row] = await queryRaw<
    Contact & {
      stateStatus: ConsentStatus | null;
      stateSource: ConsentSource | null;
      eventSource: ConsentSource | null;
      eventOccurredAt: Date | null;
      beforeStatus: ConsentStatus | null;
      beforeSource: ConsentSource | null;
    }
  >(
    prisma,
    Prisma.sql`
    SELECT c.*, s.status AS "stateStatus", s.source AS "stateSource", e.source AS "eventSource",
      e."occurredAt" AS "eventOccurredAt", previous.status AS "beforeStatus", previous.source AS "beforeSource"
    FROM "Contact" c
    LEFT JOIN "ConsentState" s ON s."contactId" = c.id AND s.purpose = 'MARKETING'
    LEFT JOIN "ConsentEvent" e ON e.id = s."lastEventId" AND e."shopId" = c."shopId"
    LEFT JOIN LATERAL (
      SELECT p.status, p.source FROM "ConsentEvent" p
      WHERE p."shopId" = e."shopId" AND p."contactId" = e."contactId" AND p.purpose = 'MARKETING'
        AND p.id <> e.id AND p."createdAt" <= e."createdAt"
      ORDER BY p."createdAt" DESC, p."occurredAt" DESC LIMIT 1
    ) previous ON true
    WHERE c.id = ${claim.id} AND c."shopId" = ${claim.shopId}`,
  );
  if (!row) return null;
  const { stateStatus, stateSource, eventSource, eventOccurredAt, beforeStatus, beforeSource, ...contact } = row;
  return {
    contact,
    state: stateStatus && stateSource ? { status: stateStatus, source: stateSource } : null,
    event: eventSource && eventOccurredAt ? { source: eventSource, occurredAt: eventOccurredAt } : null,
    before: { status: beforeStatus ?? "NOT_SUBSCRIBED", source: beforeSource ?? null },
  };
}

async function link(contact: Contact, customerId: string) {
  if (contact.shopifyCustomerId === customerId) return;
  await prisma.contact.updateMany({
    where: { id: contact.id, shopId: contact.shopId },
    data: { shopifyCustomerId: customerId },
  });
  contact.shopifyCustomerId = customerId;
}

async function finish(contact: Contact, mark: string, outcome: SyncOutcome): Promise<SyncResult> {
  const cleared = await prisma.contact.updateMany({
    where: { id: contact.id, shopId: contact.shopId, shopifyConsentSyncEventId: mark },
    data: {
      shopifyConsentSyncEventId: null,
      shopifyConsentSyncDueAt: null,
      shopifyConsentSyncAttempts: 0,
      shopifySyncError: null,
    },
  });
  return { contactId: contact.id, shopId: contact.shopId, outcome: cleared.count === 1 ? outcome : "superseded" };
}

async function refuse(
  contact: Contact,
  mark: string,
  operation: string,
  userErrors: ShopifyUserError[],
): Promise<SyncResult> {
  const error = `${operation}: ${describeUserErrors(userErrors)}`;
  log.warn("shopify consent sync refused by Shopify; not retried until the next change", {
    shopId: contact.shopId,
    contactId: contact.id,
    phone: maskPhone(contact.phoneE164),
    error,
  });
  await prisma.contact.updateMany({
    where: { id: contact.id, shopId: contact.shopId, shopifyConsentSyncEventId: mark },
    data: { shopifyConsentSyncDueAt: null, shopifySyncError: error, shopifyConsentSyncAttempts: { increment: 1 } },
  });
  return { contactId: contact.id, shopId: contact.shopId, outcome: "refused", error };
}

async function retry(
  contact: Contact,
  mark: string,
  deps: ConsentSyncDeps,
  failure: ShopifyFailure,
): Promise<SyncResult> {
  const base = { contactId: contact.id, shopId: contact.shopId, error: failure.reason };
  const now = deps.now();
  const where = { id: contact.id, shopId: contact.shopId, shopifyConsentSyncEventId: mark };

  if (failure.kind === "not_installed") {
    const retryAt = new Date(now.getTime() + NOT_INSTALLED_RETRY_MS);
    await prisma.contact.updateMany({
      where,
      data: { shopifyConsentSyncDueAt: retryAt, shopifySyncError: failure.reason },
    });
    log.info("shopify consent sync skipped: shop not installed", { shopId: contact.shopId, contactId: contact.id });
    return { ...base, outcome: "not_installed", retryAt };
  }

  const attempts = contact.shopifyConsentSyncAttempts + 1;
  if (failure.kind === "permanent" || attempts >= SYNC_MAX_ATTEMPTS) {
    const error =
      failure.kind === "permanent" ? failure.reason : `gave up after ${attempts} attempts: ${failure.reason}`;
    await prisma.contact.updateMany({
      where,
      data: { shopifyConsentSyncDueAt: null, shopifySyncError: error, shopifyConsentSyncAttempts: attempts },
    });
    log.error("shopify consent sync failed; not retried until the next change", {
      shopId: contact.shopId,
      contactId: contact.id,
      phone: maskPhone(contact.phoneE164),
      error,
    });
    return { ...base, outcome: "gave_up", error };
  }

  const delay = syncRetryDelayMs(attempts, {
    random: deps.random(),
    throttledForMs: failure.kind === "throttled" ? (failure.retryAfterMs ?? undefined) : undefined,
  });
  const retryAt = new Date(now.getTime() + delay);
  await prisma.contact.updateMany({
    where,
    data: { shopifyConsentSyncDueAt: retryAt, shopifySyncError: failure.reason, shopifyConsentSyncAttempts: attempts },
  });
  log.warn("shopify consent sync will retry", {
    shopId: contact.shopId,
    contactId: contact.id,
    attempts,
    retryAt: retryAt.toISOString(),
    reason: failure.reason,
  });
  return { ...base, outcome: "retrying", retryAt };
}
