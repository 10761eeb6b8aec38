import type { ConsentChange } from "~/domain/consent";
import { shopifyConsentTarget } from "~/domain/shopify-consent";
import type { ConsentSource, Prisma } from "~/generated/prisma/client.ts";
import { notify } from "~/services/realtime/notify.server";

// The durable half of Parley → Shopify consent sync, kept apart from the sync itself so that recording consent
// never loads the Shopify client. Called inside the transaction that records the change: the contact is marked
// if and only if the change commits, and the NOTIFY (delivered on commit) lets a worker enqueue the sync at once.
// The minute sweep finds the mark even if nobody was listening.

export const SHOPIFY_CONSENT_CHANNEL = "parley_shopify_consent";

/**
 * Marks the contact for sync when a marketing change is news to Shopify: not one Shopify made itself (that would
 * echo its own webhook back), and one Shopify has a state for (SUBSCRIBED or UNSUBSCRIBED, not PENDING).
 * Returns whether it marked.
 */
export async function noteConsentChangeForShopify(
  tx: Prisma.TransactionClient,
  input: { contactId: string; change: ConsentChange; source: ConsentSource; consentEventId: string },
): Promise<boolean> {
  const { contactId, change, source, consentEventId } = input;
  if (change.purpose !== "marketing" || source === "SHOPIFY") return false;
  if (!shopifyConsentTarget(change.to, change.from)) return false;
  await tx.contact.update({
    where: { id: contactId },
    data: {
      shopifyConsentSyncEventId: consentEventId,
      shopifyConsentSyncDueAt: new Date(),
      shopifyConsentSyncAttempts: 0,
      shopifySyncError: null,
    },
  });
  await notify(tx, SHOPIFY_CONSENT_CHANNEL, contactId);
  return true;
}
