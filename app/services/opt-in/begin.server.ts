import type { ConsentStates } from "~/domain/consent";
import { confirmationRequestText, optInGate, pendingExpiresAt } from "~/domain/opt-in";
import type { Contact, Prisma, ShopSettings } from "~/generated/prisma/client.ts";
import { log } from "~/lib/log.server";
import { applyConsentEvent, type ConsentEvidence } from "~/services/sms/consent.server";
import { type SendContext, sendMessage } from "~/services/sms/send-message.server";
import { keywordOverrides, programOf } from "~/services/sms/shop-context.server";
import { expirePending, loadOptInView } from "./pending.server";
import type { StartOptInResult } from "./start.server";
import { queueWelcome } from "./welcome.server";

// The one way into a marketing subscription that Parley collects itself — storefront form and popup, a join
// keyword, staff, and Shopify's checkout checkbox — inside the caller's transaction, under the contact's lock.
// app/domain/opt-in.ts decides whether to start at all; app/domain/consent.ts decides PENDING or SUBSCRIBED.

type Tx = Prisma.TransactionClient;

export type BeginOptInInput = {
  contact: Contact;
  settings: ShopSettings;
  source: "STOREFRONT_FORM" | "POPUP" | "KEYWORD" | "ADMIN" | "CHECKOUT";
  /** Everything that proves the request; `source` and `occurredAt` are filled in here. */
  evidence: Omit<ConsentEvidence, "source" | "occurredAt">;
  /** The source already holds a confirmed opt-in (Shopify's checkout): no "Reply Y" round. */
  alreadyConfirmed?: boolean;
  now: Date;
  /** The inbound path's lock-held rows, so the texts go into that conversation without reading them again. */
  context?: SendContext;
  shopName?: string | null;
};

export async function beginOptIn(tx: Tx, input: BeginOptInInput): Promise<StartOptInResult> {
  const { contact, settings, now } = input;
  const contactId = contact.id;
  const view = await loadOptInView(tx, contactId);
  const gate = optInGate(view, {
    expiryHours: settings.optInExpiryHours,
    now,
    alreadyConfirmed: input.alreadyConfirmed,
  });
  switch (gate.kind) {
    case "already_subscribed":
      return { outcome: "already_subscribed", contactId };
    case "blocked_by_stop":
      return { outcome: "blocked_by_stop", contactId };
    case "already_pending":
      return { outcome: "already_pending", contactId, expiresAt: gate.expiresAt };
  }

  let current: ConsentStates = { marketing: view.marketing.status, transactional: view.transactional.status };
  const conversationId = input.context?.conversation.id;
  if (gate.expirePendingFirst) {
    current = (await expirePending(tx, contact, { now, source: view.marketing.source, current, conversationId })).next;
  }

  const applied = await applyConsentEvent(
    tx,
    contact,
    {
      type: "marketing_opt_in",
      source: input.source,
      alreadyConfirmed: input.alreadyConfirmed ?? false,
      doubleOptIn: settings.doubleOptIn,
    },
    { ...input.evidence, source: input.source, occurredAt: now },
    { current, conversationId },
  );
  const eventId = applied.eventIds.marketing;
  if (applied.ignored || !eventId) {
    log.info("opt-in not recorded: the contact opted out and this source may not undo it", {
      shopId: contact.shopId,
      contactId,
      source: input.source,
    });
    return { outcome: "blocked_by_stop", contactId };
  }

  if (applied.next.marketing === "PENDING") {
    const program = programOf(settings, input.shopName);
    await sendMessage(
      {
        shopId: contact.shopId,
        contactId,
        // Collecting consent, not marketing (compliance.md §3; canSend lets SYSTEM through, quiet hours do not hold it).
        purpose: "SYSTEM",
        authorKind: "SYSTEM",
        body: confirmationRequestText(program, keywordOverrides(settings).double_opt_in_request),
        idempotencyKey: `opt-in-confirmation:${eventId}`,
        conversationId: input.context?.conversation.id,
        sendingNumberId: input.context?.number.id,
      },
      { tx, now, context: input.context },
    );
    return { outcome: "pending", contactId, expiresAt: pendingExpiresAt(now, settings.optInExpiryHours) };
  }

  if (applied.reply === "welcome") {
    await queueWelcome(tx, { contact, settings, consentEventId: eventId, now, context: input.context });
  }
  return { outcome: "subscribed", contactId };
}
