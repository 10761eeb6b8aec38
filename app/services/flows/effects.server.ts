import type { FlowEffect } from "~/domain/flows/machine";
import type { FlowRun, Prisma } from "~/generated/prisma/client.ts";
import { enqueueInTransaction } from "~/jobs/boss.server";
import { recordConversationEvent } from "~/services/inbox/conversation-events.server";
import { staffName } from "~/services/inbox/staff.server";
import { notifyInbox } from "~/services/realtime/notify.server";
import { findOrOpenConversation } from "~/services/sms/conversations.server";
import { type SendOutcome, sendMessage } from "~/services/sms/send-message.server";
import { brandOf, type RunFacts } from "./facts.server";
import { recordFeedback } from "./feedback-record.server";

// Carries out a step's effects, in order, inside the step's transaction. Texts go through sendMessage (the
// Message table is the outbox: delivery workers send what committed). Work that talks to Shopify or must happen
// later (offers, customer tags, timers) is enqueued in the same transaction, so a job exists exactly when the
// step committed and never acts on a step that rolled back.

type Tx = Prisma.TransactionClient;

export type EffectRun = Pick<FlowRun, "id" | "shopId" | "contactId" | "conversationId" | "timerSeq">;

export type EffectOutcome = {
  conversationId: string | null;
  timer: { name: string | null; at: Date | null; seq: number } | null; // null: unchanged
  handedOver: boolean;
  refused: string | null; // a text sendMessage refused: the run stops
  sent: number;
};

export async function carryOutEffects(
  tx: Tx,
  input: {
    run: EffectRun;
    seq: number;
    effects: FlowEffect[];
    facts: RunFacts;
    now: Date;
    /** The shopper's message this step answers: its texts are conversation, not new marketing sends. */
    inReplyToMessageId: string | null;
  },
): Promise<EffectOutcome> {
  const { run, seq, facts, now } = input;
  const outcome: EffectOutcome = {
    conversationId: run.conversationId,
    timer: null,
    handedOver: false,
    refused: null,
    sent: 0,
  };
  const conversationId = async (open: boolean) => {
    if (outcome.conversationId) return outcome.conversationId;
    const conversation = await findOrOpenConversation(tx, {
      shopId: run.shopId,
      contactId: run.contactId,
      open,
      now,
    });
    outcome.conversationId = conversation.id;
    return conversation.id;
  };

  for (const effect of input.effects) {
    switch (effect.type) {
      case "send": {
        const result = await sendFlowText(tx, {
          run,
          key: `flow:${run.id}:${seq}:${outcome.sent}`,
          body: effect.body,
          purpose: input.inReplyToMessageId ? "CONVERSATIONAL" : effect.purpose,
          conversationId: await conversationId(false),
          inReplyToMessageId: input.inReplyToMessageId,
          facts,
          now,
        });
        outcome.sent++;
        if (result.status === "refused") {
          outcome.refused = result.reason;
          return outcome;
        }
        break;
      }
      case "set_timer": {
        const next = (outcome.timer?.seq ?? run.timerSeq) + 1;
        outcome.timer = { name: effect.name, at: effect.at, seq: next };
        await enqueueInTransaction(
          tx,
          "flowTimer",
          { runId: run.id, timerSeq: next },
          { startAfter: effect.at, singletonKey: `flow-timer:${run.id}:${next}` },
        );
        break;
      }
      case "clear_timer":
        outcome.timer = { name: null, at: null, seq: (outcome.timer?.seq ?? run.timerSeq) + 1 };
        break;
      case "create_offer":
        await enqueueInTransaction(
          tx,
          "flowOffer",
          {
            shopId: run.shopId,
            runId: run.id,
            seq,
            offer: effect.offer,
            inReplyToMessageId: input.inReplyToMessageId,
          },
          { singletonKey: `flow-offer:${run.id}:${seq}` },
        );
        break;
      case "hand_over":
        await handOver(tx, { run, conversationId: await conversationId(true), effect, now });
        outcome.handedOver = true;
        break;
      case "tag_contact":
        await tagContact(tx, { run, tags: effect.tags, linked: !!facts.contact.shopifyCustomerId });
        break;
      case "record_feedback":
        await recordFeedback(tx, { ...run, conversationId: outcome.conversationId }, effect, now);
        break;
    }
  }
  return outcome;
}

async function sendFlowText(
  tx: Tx,
  input: {
    run: EffectRun;
    key: string;
    body: string;
    purpose: "MARKETING" | "TRANSACTIONAL" | "CONVERSATIONAL";
    conversationId: string;
    inReplyToMessageId: string | null;
    facts: RunFacts;
    now: Date;
  },
): Promise<SendOutcome> {
  const { run, facts } = input;
  return sendMessage(
    {
      shopId: run.shopId,
      contactId: run.contactId,
      conversationId: input.conversationId,
      purpose: input.purpose,
      authorKind: "AUTOMATION",
      body: input.body,
      idempotencyKey: input.key,
      flowRunId: run.id,
      subject: `flow:${run.id}`,
      replyToMessageId: input.inReplyToMessageId,
      // The shop's voice even when Settings leave a name blank ("it's the team from Acme").
      variables: {
        brand_name: brandOf(facts.settings, facts.shopName, run.shopId),
        sender_name: facts.settings.senderName || "the team",
      },
    },
    { tx, now: input.now },
  );
}

/**
 * The conversation goes to a person: assigned (if nobody has it) to the staff member seen most recently — the
 * one most likely to answer soon — automation paused, the one-line summary on the thread, back in Open.
 */
async function handOver(
  tx: Tx,
  input: { run: EffectRun; conversationId: string; effect: Extract<FlowEffect, { type: "hand_over" }>; now: Date },
) {
  const { run, conversationId, effect } = input;
  const conversation = await tx.conversation.findFirstOrThrow({
    where: { id: conversationId, shopId: run.shopId },
    select: { assigneeId: true, tags: true },
  });
  if (!conversation.assigneeId) {
    const staff = await tx.staffMember.findFirst({
      where: { shopId: run.shopId },
      orderBy: [{ lastSeenAt: "desc" }, { accountOwner: "desc" }],
    });
    if (staff) {
      await tx.conversation.update({ where: { id: conversationId }, data: { assigneeId: staff.id } });
      await recordConversationEvent(tx, {
        shopId: run.shopId,
        conversationId,
        event: { kind: "assigned", data: { toStaffId: staff.id, toName: staffName(staff) } },
        actorKind: "AUTOMATION",
        at: input.now,
      });
    }
  }
  await tx.conversation.update({
    where: { id: conversationId },
    data: {
      automationPaused: true,
      summary: effect.summary.slice(0, 280),
      status: "OPEN",
      snoozedUntil: null,
      closedAt: null,
      ...(effect.priority && !conversation.tags.includes("priority") ? { tags: { push: "priority" } } : {}),
    },
  });
  await notifyInbox(tx, { shopId: run.shopId, conversationId, kind: "conversation" });
}

async function tagContact(tx: Tx, input: { run: EffectRun; tags: string[]; linked: boolean }) {
  const { run } = input;
  const contact = await tx.contact.findFirstOrThrow({ where: { id: run.contactId, shopId: run.shopId } });
  const tags = [...new Set([...contact.tags, ...input.tags])];
  if (tags.length !== contact.tags.length) await tx.contact.update({ where: { id: contact.id }, data: { tags } });
  if (input.linked)
    await enqueueInTransaction(tx, "flowTagCustomer", {
      shopId: run.shopId,
      contactId: run.contactId,
      tags: input.tags,
    });
}
