import { prisma, transaction } from "~/db.server";
import { type ConsentSourceName, welcomeText } from "~/domain/opt-in";
import type { Contact, Prisma, ShopSettings } from "~/generated/prisma/client.ts";
import { enqueue } from "~/jobs/boss.server";
import { log } from "~/lib/log.server";
import { lockContact } from "~/services/sms/conversations.server";
import { loadConsent } from "~/services/sms/consent.server";
import { type SendContext, type SendOutcome, sendMessage } from "~/services/sms/send-message.server";
import { keywordOverrides, loadShopSettings, programOf } from "~/services/sms/shop-context.server";
import { attachWelcomeRun, startWelcomeRun } from "~/services/flows/welcome.server";
import { issueWelcomeCode, type WelcomeCode, type WelcomeCodeDeps } from "./welcome-code.server";

// The welcome after a confirmed sign-up (compliance.md §3: every opt-in gets one confirmation, with the brand
// and how to opt out). One per subscription: its idempotency key is the consent event that subscribed, so a
// second "Y", a replayed webhook or a retried job never sends another.
//
// Without a welcome code it goes out at once, in the transaction that recorded the subscription, as a SYSTEM
// text. With one, the `opt-in.welcome` job creates the code through the Admin API first (never inside that
// transaction) and the welcome waits for it — or goes without, saying nothing about a code, when Shopify fails.
// A welcome carrying a code is an offer, so it is a MARKETING text: the consent gate, quiet hours and caps apply.

type Tx = Prisma.TransactionClient;

export const welcomeKey = (consentEventId: string) => `welcome:${consentEventId}`;

export async function queueWelcome(
  tx: Tx,
  input: { contact: Contact; settings: ShopSettings; consentEventId: string; now: Date; context?: SendContext },
): Promise<"sent" | "job"> {
  const { contact, settings, consentEventId } = input;
  if (settings.welcomeDiscountEnabled) {
    try {
      // The job may start before this transaction commits: it waits for the consent event to exist.
      await enqueue(
        "sendWelcome",
        { shopId: contact.shopId, contactId: contact.id, consentEventId },
        { singletonKey: welcomeKey(consentEventId) },
      );
      return "job";
    } catch (error) {
      log.warn("welcome: the job queue did not take the welcome; sending it now without a code", {
        shopId: contact.shopId,
        contactId: contact.id,
        error,
      });
    }
  }
  await sendWelcomeText(tx, { ...input, code: null });
  return "sent";
}

export async function sendWelcomeText(
  tx: Tx,
  input: {
    contact: Contact;
    settings: ShopSettings;
    consentEventId: string;
    code: WelcomeCode | null;
    now: Date;
    context?: SendContext;
  },
): Promise<SendOutcome> {
  const { contact, settings, code } = input;
  const overrides = keywordOverrides(settings);
  const shop = await tx.shop.findUnique({ where: { id: contact.shopId }, select: { name: true } });
  // The WELCOME flow's record of it (numbers, timeline); the text goes whether or not there is a run.
  const runId = await startWelcomeRun(tx, {
    shopId: contact.shopId,
    contactId: contact.id,
    consentEventId: input.consentEventId,
    code,
    conversationId: input.context?.conversation.id,
    now: input.now,
  });
  const outcome = await sendMessage(
    {
      shopId: contact.shopId,
      contactId: contact.id,
      purpose: code ? "MARKETING" : "SYSTEM",
      authorKind: code ? "AUTOMATION" : "SYSTEM",
      body: welcomeText(
        programOf(settings, shop?.name),
        { welcomeMessage: settings.welcomeMessage, keywordOverride: overrides.welcome },
        code,
      ),
      idempotencyKey: welcomeKey(input.consentEventId),
      conversationId: input.context?.conversation.id,
      sendingNumberId: input.context?.number.id,
      flowRunId: runId,
    },
    { tx, now: input.now, context: input.context },
  );
  if (runId) await attachWelcomeRun(tx, runId, outcome.message.conversationId);
  return outcome;
}

export type WelcomeDeps = WelcomeCodeDeps & { now(): Date };

export type WelcomeJobOutcome = "sent" | "sent_without_code" | "already_sent" | "no_longer_subscribed";

/** Not committed yet (or rolled back): the job fails and pg-boss retries it; a rolled-back one dies out. */
export class WelcomeNotReady extends Error {}

/** The `opt-in.welcome` job: the code (when Shopify gives one), then the welcome text. */
export async function deliverWelcome(
  job: { shopId: string; contactId: string; consentEventId: string },
  deps: WelcomeDeps,
): Promise<WelcomeJobOutcome> {
  const event = await prisma.consentEvent.findFirst({
    where: { id: job.consentEventId, shopId: job.shopId, contactId: job.contactId, purpose: "MARKETING" },
  });
  if (!event) throw new WelcomeNotReady(`consent event ${job.consentEventId} is not there (yet)`);
  const sent = await prisma.message.findFirst({
    where: { shopId: job.shopId, idempotencyKey: welcomeKey(event.id) },
    select: { id: true },
  });
  if (sent) return "already_sent";
  const contact = await prisma.contact.findFirstOrThrow({ where: { id: job.contactId, shopId: job.shopId } });
  if ((await loadConsent(prisma, contact.id)).marketing !== "SUBSCRIBED") return "no_longer_subscribed";
  const settings = await loadShopSettings(prisma, job.shopId);
  const shop = await prisma.shop.findUnique({ where: { id: job.shopId }, select: { name: true } });

  // Where the subscriber signed up (the confirming "Y" itself is a KEYWORD event): the customer's tag says so.
  const request = await prisma.consentEvent.findFirst({
    where: { contactId: contact.id, purpose: "MARKETING", status: "PENDING", occurredAt: { lte: event.occurredAt } },
    orderBy: { occurredAt: "desc" },
    select: { source: true },
  });
  const code = settings.welcomeDiscountEnabled
    ? await issueWelcomeCode(
        {
          contact,
          settings,
          source: (request?.source ?? event.source) as ConsentSourceName,
          brand: programOf(settings, shop?.name).brandName,
          now: deps.now(),
        },
        deps,
      )
    : null;

  return transaction(
    async (tx) => {
      await lockContact(tx, contact.id);
      // STOP while the code was being made: no welcome (and certainly no offer).
      if ((await loadConsent(tx, contact.id)).marketing !== "SUBSCRIBED") return "no_longer_subscribed" as const;
      const outcome = await sendWelcomeText(tx, { contact, settings, consentEventId: event.id, code, now: deps.now() });
      if (outcome.status === "duplicate") return "already_sent" as const;
      return code ? ("sent" as const) : ("sent_without_code" as const);
    },
    { timeout: 20_000 },
  );
}
