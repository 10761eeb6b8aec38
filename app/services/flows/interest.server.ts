import {
  type CatalogueItem,
  fetchCollectionStock,
  fetchProductStock,
  searchCatalogue,
} from "~/adapters/shopify/catalogue.server";
import { type AdminGraphql, classifyShopifyError } from "~/adapters/shopify/customer-consent.server";
import { prisma, transaction } from "~/db.server";
import { canSend } from "~/domain/consent";
import { collectionWatchOf, type InterestContext, type Watch, watchOf } from "~/domain/flows/interest";
import {
  asksWhatTheyAreWaitingFor,
  catalogueQuery,
  type InterestMatch,
  interestWords,
  matchInterest,
  saysWaitingFor,
} from "~/domain/flows/interest-match";
import { log } from "~/lib/log.server";
import type { InboundAutomationContext, InboundHook } from "~/services/automation/hooks.server";
import { loadConsent } from "~/services/sms/consent.server";
import { unauthenticated } from "~/shopify.server";
import { startFlowRun } from "./engine.server";
import { replyHandledByFlow } from "./replies.server";

// "The hoodies!" — a shopper telling the shop what they are waiting for, as an answer to a text that asked (an
// early-access or back-in-stock announcement) or unprompted ("let me know when the linen shirt is back"). An
// inbound automation hook, after the flow reply router: a text a flow run already took is that run's business.
// The words are matched against the catalogue's products and collections (Admin API search, then the matcher); a
// confident match becomes a watch and an INTEREST run (tag, promise, and the link once the product is back or a
// product of the collection arrives — app/services/flows/interest-availability.server.ts); anything less goes to
// a person with the shopper's words.
//
// Interest texts are marketing: a shopper without marketing consent gets no promise, and no run is started for
// them (the engine would refuse it anyway; this way the catalogue is not searched for nothing).

export type InterestDeps = { adminFor(shopId: string): Promise<AdminGraphql>; now(): Date };

export const defaultInterestDeps: InterestDeps = {
  adminFor: async (shopId) => (await unauthenticated.admin(shopId)).admin,
  now: () => new Date(),
};

export type InterestOutcome =
  | { outcome: "skipped"; reason: string }
  | { outcome: "matched" | "handed_over"; run: string }
  | { outcome: "unreachable"; reason: string };

/** Enough candidates for the matcher; the broad fallback reads the most recently updated products. */
const SEARCH_SIZE = 50;
const FALLBACK_SIZE = 250;

export async function captureInterest(
  input: InboundAutomationContext,
  deps: InterestDeps = defaultInterestDeps,
): Promise<InterestOutcome> {
  const { shopId } = input;
  const message = await prisma.message.findFirst({
    where: { id: input.messageId, shopId, direction: "INBOUND" },
    select: { id: true, body: true, contactId: true, conversationId: true, replyToMessageId: true },
  });
  if (!message?.conversationId) return { outcome: "skipped", reason: "no_message" };
  // Cheapest first: most texts are not about waiting for anything.
  const waiting = saysWaitingFor(message.body) || (await answersAQuestion(shopId, message.replyToMessageId));
  if (!waiting) return { outcome: "skipped", reason: "not_interest" };
  const words = interestWords(message.body);
  if (words.length === 0) return { outcome: "skipped", reason: "nothing_named" };
  const claimed = await claimedElsewhere(shopId, message.conversationId, message.id);
  if (claimed) return { outcome: "skipped", reason: claimed };
  if (!canSend("MARKETING", await loadConsent(prisma, message.contactId)).allowed)
    return { outcome: "skipped", reason: "no_marketing_consent" };

  let context: InterestContext;
  try {
    const admin = await deps.adminFor(shopId);
    const found = await findInCatalogue(admin, message.body, words);
    const target = found.match;
    context = {
      askedText: message.body,
      messageId: message.id,
      target: target && {
        type: target.type,
        id: target.id,
        title: target.title,
        handle: target.handle,
        url: target.url,
      },
      watch: target ? await watchFor(admin, target) : null,
      candidates: found.candidates,
    };
  } catch (error) {
    const failure = classifyShopifyError(error);
    log.warn("interest: the catalogue could not be read; the text stays with staff", {
      shopId,
      messageId: message.id,
      kind: failure.kind,
      reason: failure.reason,
    });
    return { outcome: "unreachable", reason: failure.reason };
  }

  return transaction(
    async (tx) => {
      const watching = !!context.target && !!context.watch;
      const started = await startFlowRun(
        {
          shopId,
          kind: "INTEREST",
          contactId: message.contactId,
          subjectKey: watching
            ? `interest:${message.contactId}:${context.target!.id}`
            : `interest:${message.contactId}:asked:${message.id}`,
          context,
          conversationId: message.conversationId,
          // The promise answers the shopper's text: conversation, not another marketing send.
          inReplyToMessageId: message.id,
          now: deps.now(),
        },
        { tx },
      );
      if (started.outcome === "not_started") return { outcome: "skipped" as const, reason: started.reason };
      if (started.outcome === "started" && watching)
        await tx.interestWatch.createMany({
          data: [
            {
              shopId,
              contactId: message.contactId,
              conversationId: message.conversationId,
              runId: started.runId,
              targetType: context.target!.type,
              targetId: context.target!.id,
              targetTitle: context.target!.title,
              askedText: message.body,
            },
          ],
          skipDuplicates: true,
        });
      log.info("interest", {
        shopId,
        contactId: message.contactId,
        target: context.target?.id ?? null,
        run: started.outcome,
      });
      return { outcome: watching ? ("matched" as const) : ("handed_over" as const), run: started.outcome };
    },
    { timeout: 20_000 },
  );
}

/** Why this text is not the interest hook's: a flow run took it, or staff have the conversation. */
async function claimedElsewhere(shopId: string, conversationId: string, messageId: string): Promise<string | null> {
  if (await replyHandledByFlow({ shopId, messageId })) return "flow_reply";
  const conversation = await prisma.conversation.findFirst({
    where: { id: conversationId, shopId },
    select: { automationPaused: true },
  });
  return conversation?.automationPaused ? "staff_have_it" : null;
}

/** Whether the text the shopper answers asked what they are waiting for. */
async function answersAQuestion(shopId: string, replyToMessageId: string | null): Promise<boolean> {
  if (!replyToMessageId) return false;
  const asked = await prisma.message.findFirst({
    where: { id: replyToMessageId, shopId, direction: "OUTBOUND" },
    select: { body: true },
  });
  return !!asked && asksWhatTheyAreWaitingFor(asked.body);
}

/** What there is to wait for in the matched product or collection, as it is now (null: nothing to promise). */
async function watchFor(admin: AdminGraphql, target: CatalogueItem): Promise<Watch | null> {
  if (target.type === "collection") {
    const listed = await fetchCollectionStock(admin, target.id);
    return listed && collectionWatchOf(listed.products, listed.complete);
  }
  const stock = await fetchProductStock(admin, target.id);
  return stock && watchOf(stock);
}

/** The match among products and collections named like the shopper's words; if none, among the latest (typos). */
async function findInCatalogue(
  admin: AdminGraphql,
  text: string,
  words: string[],
): Promise<{ match: CatalogueItem | null; candidates: string[] }> {
  const narrow = await searchCatalogue(admin, { query: catalogueQuery(words), first: SEARCH_SIZE });
  let result: InterestMatch = matchInterest(text, narrow);
  if (result.outcome === "none")
    result = matchInterest(text, await searchCatalogue(admin, { query: null, first: FALLBACK_SIZE }));
  if (result.outcome === "match") return { match: result.target as CatalogueItem, candidates: [] };
  return { match: null, candidates: result.outcome === "ambiguous" ? result.candidates.map((c) => c.title) : [] };
}

export const interestHook: InboundHook = {
  name: "flows.interest",
  run: async (context) => {
    await captureInterest(context);
  },
};
