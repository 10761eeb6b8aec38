import { describe, expect, test } from "vitest";
import { prisma } from "~/db.server";
import { wakeSnoozedConversations } from "~/services/inbox/snooze.server";
import { createContact, createConversationWithMessages, createShop } from "../helpers/factories";

async function snoozedConversation(shopId: string, until: Date) {
  const contact = await createContact(shopId);
  const { conversation } = await createConversationWithMessages(shopId, contact.id);
  return prisma.conversation.update({
    where: { id: conversation.id },
    data: { status: "SNOOZED", snoozedUntil: until },
  });
}

describe("snoozed conversations wake up", () => {
  test("those whose time has come are Open again, with a timeline line; the others stay snoozed", async () => {
    const now = new Date("2026-11-25T15:00:00Z");
    const [a, b] = [await createShop(), await createShop()];
    const due = await snoozedConversation(a.id, new Date(now.getTime() - 60_000));
    const dueOtherShop = await snoozedConversation(b.id, now);
    const later = await snoozedConversation(a.id, new Date(now.getTime() + 3_600_000));

    expect(await wakeSnoozedConversations(now)).toBe(2);

    for (const woken of [due, dueOtherShop]) {
      expect(await prisma.conversation.findUniqueOrThrow({ where: { id: woken.id } })).toMatchObject({
        status: "OPEN",
        snoozedUntil: null,
      });
      const events = await prisma.conversationEvent.findMany({ where: { conversationId: woken.id } });
      expect(events).toEqual([
        expect.objectContaining({ shopId: woken.shopId, kind: "snooze_ended", actorKind: "SYSTEM" }),
      ]);
    }
    expect(await prisma.conversation.findUniqueOrThrow({ where: { id: later.id } })).toMatchObject({
      status: "SNOOZED",
    });
    expect(await prisma.conversationEvent.count({ where: { conversationId: later.id } })).toBe(0);

    // A second sweep finds nothing more to do.
    expect(await wakeSnoozedConversations(now)).toBe(0);
  });
});
