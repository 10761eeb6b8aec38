import { queryRaw } from "~/db.server";
import type { FlowPurpose, OtherRun, StaffFacts } from "~/domain/flows/exit";
import type { FlowEnvironment, FlowKind } from "~/domain/flows/machine";
import { FLOW_PURPOSE } from "~/domain/flows/registry";
import { flowEnabled, parseFlowSettings } from "~/domain/flows/settings";
import type { ConsentStates } from "~/domain/consent";
import { type Contact, Prisma, type ShopSettings } from "~/generated/prisma/client.ts";
import { loadConsent } from "~/services/sms/consent.server";
import { frequencyRefusal } from "~/services/sms/send-message.server";
import { loadShopSettings } from "~/services/sms/shop-context.server";

// What the engine reads before a step: the facts the exit rules (app/domain/flows/exit.ts) decide on, and the
// environment a machine may read. All inside the step's transaction, under the contact's lock.

type Tx = Prisma.TransactionClient;

export type RunFacts = {
  purpose: FlowPurpose;
  enabled: boolean;
  config: unknown;
  consent: ConsentStates;
  staff: StaffFacts;
  others: OtherRun[];
  contact: Contact;
  settings: ShopSettings;
  shopName: string | null;
};

export async function loadRunFacts(
  tx: Tx,
  run: {
    id?: string;
    shopId: string;
    contactId: string;
    kind: FlowKind;
    conversationId: string | null;
    handedOverAt?: Date | null;
  },
): Promise<RunFacts> {
  // One after another: a transaction is one connection, which runs one query at a time anyway.
  const setting = await tx.flowSetting.findUnique({ where: { shopId_kind: { shopId: run.shopId, kind: run.kind } } });
  const consent = await loadConsent(tx, run.contactId);
  const contact = await tx.contact.findFirstOrThrow({ where: { id: run.contactId, shopId: run.shopId } });
  const settings = await loadShopSettings(tx, run.shopId);
  const shop = await tx.shop.findUnique({ where: { id: run.shopId }, select: { name: true } });
  const others = await otherActiveRuns(tx, run);
  const conversation = run.conversationId
    ? await tx.conversation.findFirst({
        where: { id: run.conversationId, shopId: run.shopId },
        select: { automationPaused: true },
      })
    : null;
  const lastStaffReply =
    conversation?.automationPaused && run.conversationId
      ? await tx.message.findFirst({
          where: { conversationId: run.conversationId, direction: "OUTBOUND", authorKind: "STAFF" },
          orderBy: { createdAt: "desc" },
          select: { createdAt: true },
        })
      : null;
  return {
    purpose: FLOW_PURPOSE[run.kind],
    enabled: flowEnabled(run.kind, setting),
    config: setting?.config ?? {},
    consent,
    staff: {
      automationPaused: conversation?.automationPaused ?? false,
      lastStaffReplyAt: lastStaffReply?.createdAt ?? null,
      handedOver: !!run.handedOverAt,
    },
    others,
    contact,
    settings,
    shopName: shop?.name ?? null,
  };
}

/** The shopper's other ACTIVE runs with the time of their latest step. */
async function otherActiveRuns(tx: Tx, run: { id?: string; shopId: string; contactId: string }): Promise<OtherRun[]> {
  return queryRaw<OtherRun>(
    tx,
    Prisma.sql`
    SELECT r.kind::text AS kind, COALESCE(MAX(t."createdAt"), r."startedAt") AS "lastStepAt"
    FROM "FlowRun" r LEFT JOIN "FlowTransition" t ON t."runId" = r.id
    WHERE r."shopId" = ${run.shopId} AND r."contactId" = ${run.contactId} AND r.status = 'ACTIVE'
      AND r.id <> ${run.id ?? ""}
    GROUP BY r.id`,
  );
}

/** Whether the shop's marketing cap stops another marketing text to this contact now. */
export async function frequencyCapped(tx: Tx, facts: RunFacts, now: Date): Promise<boolean> {
  return (await frequencyRefusal(tx, facts.contact, facts.settings, now)) !== null;
}

/** What a machine may read: the shop's voice, clock and limits, the flow's settings, the shopper's first name. */
export function environmentOf(kind: FlowKind, facts: RunFacts, context: unknown, now: Date): FlowEnvironment<unknown> {
  const { settings } = facts;
  const currency =
    context && typeof context === "object" && typeof (context as { currencyCode?: unknown }).currencyCode === "string"
      ? (context as { currencyCode: string }).currencyCode
      : "USD";
  return {
    now,
    settings: parseFlowSettings(kind, facts.config),
    shop: {
      brand: brandOf(settings, facts.shopName, facts.contact.shopId),
      senderName: settings.senderName,
      timeZone: settings.timeZone,
      currencyCode: currency,
      guardrails: { maxPercent: settings.discountMaxPercent, maxAmountCents: settings.discountMaxAmountCents },
    },
    contact: { firstName: facts.contact.firstName },
  };
}

export function brandOf(settings: ShopSettings, shopName: string | null, shopId: string): string {
  return settings.brandName || shopName || shopId.replace(/\.myshopify\.com$/, "");
}
