import type { ConsentChange } from "~/domain/consent";
import { shopifyConsentTarget } from "~/domain/shopify-consent";
import { type ConsentSource, Prisma } from "~/generated/prisma/client.ts";
import type { Notice } from "~/services/realtime/notify.server";

// The durable half of Parley → Shopify consent sync, kept apart from the sync itself so that recording consent
// never loads the Shopify client. Called inside the transaction that records the change: the contact is marked
// if and only if the change commits, and the NOTIFY (delivered on commit) lets a worker enqueue the sync at once.
// The minute sweep finds the mark even if nobody was listening.

export const SHOPIFY_CONSENT_CHANNEL = "parley_shopify_consent";

type MarkInput = { contactId: string; change: ConsentChange; source: ConsentSource; consentEventId: string };

/**
 * Marks the contact for sync when a marketing change is news to Shopify: not one Shopify made itself (that would
 * echo its own webhook back), and one Shopify has a state for (SUBSCRIBED or UNSUBSCRIBED, not PENDING). The
 * UPDATE and its notice (null: nothing to mark), written with the consent event in one statement (consent.server.ts).
 */
export function shopifyConsentMark(input: MarkInput, now = new Date()): { update: Prisma.Sql; notice: Notice } | null {
  const { contactId, change, source, consentEventId } = input;
  if (change.purpose !== "marketing" || source === "SHOPIFY") return null;
  if (!shopifyConsentTarget(change.to, change.from)) return null;
  return {
    update: Prisma.sql`
      UPDATE "Contact" SET "shopifyConsentSyncEventId" = ${consentEventId}, "shopifyConsentSyncDueAt" = ${now},
        "shopifyConsentSyncAttempts" = 0, "shopifySyncError" = NULL, "updatedAt" = ${now}
      WHERE id = ${contactId}`,
    notice: { channel: SHOPIFY_CONSENT_CHANNEL, payload: contactId },
  };
}
