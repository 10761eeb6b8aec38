import { beforeAll, describe, expect, test } from "vitest";
import { prisma } from "~/db.server";
import {
  addNote,
  addTag,
  assign,
  close,
  describeSendOutcome,
  InboxInputError,
  markRead,
  markUnread,
  removeTag,
  reopen,
  sendReply,
  snooze,
} from "~/services/inbox/actions.server";
import { InboxNotFoundError } from "~/services/inbox/thread.server";
import { sendMessage } from "~/services/sms/send-message.server";
import {
  createConsent,
  createContact,
  createConversationWithMessages,
  createSendingNumber,
  createShop,
} from "../helpers/factories";
import { fixedZoneWhereItIs, HARNESS_PROGRAM } from "../helpers/engine-harness";

// Staff actions on a conversation against real PostgreSQL: each changes the row, leaves a timeline line, and a
// staff member of one shop can do nothing to another shop's conversation — every attempt is a 404 that writes
// nothing. Replies go through the engine's sendMessage (no delivery loops here: the queued row is the outcome).

type Shop = { id: string; staff: { id: string }; other: { id: string } };
let a: Shop;
let b: Shop;

async function shopWithStaff(): Promise<Shop> {
  const shop = await createShop();
  await prisma.shopSettings.update({
    where: { shopId: shop.id },
    data: { ...HARNESS_PROGRAM, smartSendingHours: 0, marketingDailyCap: 0, marketingWeeklyCap: 0 },
  });
  await createSendingNumber(shop.id);
  const staff = await prisma.staffMember.create({
    data: { shopId: shop.id, shopifyUserId: 10n, firstName: "Sam", lastName: "Lee" },
  });
  const other = await prisma.staffMember.create({
    data: { shopId: shop.id, shopifyUserId: 11n, firstName: "Alex", lastName: "Kim" },
  });
  return { id: shop.id, staff, other };
}

/** A conversation with a shopper who wrote first (conversational replies allowed), in the given zone. */
async function conversationIn(shop: Shop, contact: Parameters<typeof createContact>[1] = {}) {
  const row = await createContact(shop.id, {
    firstName: "Jane",
    quietZones: fixedZoneWhereItIs(13).quietZones,
    ...contact,
  });
  await createConsent(shop.id, row, { purpose: "TRANSACTIONAL", status: "SUBSCRIBED", source: "INBOUND_MESSAGE" });
  const { conversation } = await createConversationWithMessages(shop.id, row.id, [
    { direction: "INBOUND", authorKind: "SHOPPER", body: "Will it arrive by Friday?", status: "RECEIVED" },
  ]);
  return { contact: row, conversation };
}

const conversation = (id: string) => prisma.conversation.findUniqueOrThrow({ where: { id } });
const events = (conversationId: string) =>
  prisma.conversationEvent.findMany({ where: { conversationId }, orderBy: { createdAt: "asc" } });
const draft = () => `draft-${crypto.randomUUID()}`;

beforeAll(async () => {
  a = await shopWithStaff();
  b = await shopWithStaff();
});

describe("actions", () => {
  test("assign, reassign, unassign: each recorded once; assigning to the current assignee changes nothing", async () => {
    const { conversation: c } = await conversationIn(a);
    expect(await assign(a.id, a.staff, c.id, { staffId: a.other.id })).toEqual({ changed: true });
    expect(await assign(a.id, a.staff, c.id, { staffId: a.other.id })).toEqual({ changed: false });
    expect((await conversation(c.id)).assigneeId).toBe(a.other.id);
    await assign(a.id, a.staff, c.id, { staffId: null });
    expect((await conversation(c.id)).assigneeId).toBeNull();
    expect((await events(c.id)).map((e) => [e.kind, e.data, e.actorKind, e.actorStaffId])).toEqual([
      ["assigned", { toStaffId: a.other.id, toName: "Alex Kim" }, "STAFF", a.staff.id],
      ["unassigned", { fromStaffId: a.other.id }, "STAFF", a.staff.id],
    ]);
  });

  test("close, reopen and snooze move the status; a snooze must be in the future", async () => {
    const { conversation: c } = await conversationIn(a);
    await close(a.id, a.staff, c.id);
    expect(await conversation(c.id)).toMatchObject({ status: "CLOSED", closedAt: expect.any(Date) });
    expect(await close(a.id, a.staff, c.id)).toEqual({ changed: false });
    await reopen(a.id, a.staff, c.id);
    expect(await conversation(c.id)).toMatchObject({ status: "OPEN", closedAt: null });

    const now = new Date();
    await expect(snooze(a.id, a.staff, c.id, { until: new Date(now.getTime() - 1000) }, now)).rejects.toBeInstanceOf(
      InboxInputError,
    );
    expect((await conversation(c.id)).status).toBe("OPEN");
    const until = new Date(now.getTime() + 3600_000);
    await snooze(a.id, a.staff, c.id, { until }, now);
    expect(await conversation(c.id)).toMatchObject({ status: "SNOOZED", snoozedUntil: until });
    expect((await events(c.id)).map((e) => e.kind)).toEqual(["closed", "reopened", "snoozed"]);
    expect((await events(c.id))[2].data).toEqual({ until: until.toISOString() });
  });

  test("tags are normalised and deduplicated; removing one that is not there is a no-op", async () => {
    const { conversation: c } = await conversationIn(a);
    await addTag(a.id, a.staff, c.id, { tag: "  VIP   Customer " });
    expect(await addTag(a.id, a.staff, c.id, { tag: "vip customer" })).toEqual({ changed: false });
    await addTag(a.id, a.staff, c.id, { tag: "Sizing" });
    expect((await conversation(c.id)).tags).toEqual(["vip customer", "sizing"]);
    await expect(addTag(a.id, a.staff, c.id, { tag: "   " })).rejects.toBeInstanceOf(InboxInputError);
    await removeTag(a.id, a.staff, c.id, { tag: "SIZING" });
    expect(await removeTag(a.id, a.staff, c.id, { tag: "never-there" })).toEqual({ changed: false });
    expect((await conversation(c.id)).tags).toEqual(["vip customer"]);
    expect((await events(c.id)).map((e) => [e.kind, e.data])).toEqual([
      ["tagged", { tag: "vip customer" }],
      ["tagged", { tag: "sizing" }],
      ["untagged", { tag: "sizing" }],
    ]);
  });

  test("mark unread leaves a line; mark read clears the count and records when, without a line", async () => {
    const { conversation: c } = await conversationIn(a);
    await prisma.conversation.update({ where: { id: c.id }, data: { unreadCount: 3 } });
    const now = new Date();
    expect(await markRead(a.id, a.staff, c.id, now)).toEqual({ changed: true });
    expect(await conversation(c.id)).toMatchObject({ unreadCount: 0, lastReadAt: now });
    expect(await markRead(a.id, a.staff, c.id)).toEqual({ changed: false }); // nothing to read: no write
    await markUnread(a.id, a.staff, c.id);
    expect((await conversation(c.id)).unreadCount).toBe(1);
    expect((await events(c.id)).map((e) => e.kind)).toEqual(["marked_unread"]);
  });

  test("a note is internal: stored with its author, never a message", async () => {
    const { conversation: c } = await conversationIn(a);
    const messagesBefore = await prisma.message.count({ where: { conversationId: c.id } });
    await addNote(a.id, a.staff, c.id, { body: "  Ships from the other warehouse  " });
    await expect(addNote(a.id, a.staff, c.id, { body: " " })).rejects.toBeInstanceOf(InboxInputError);
    expect(
      await prisma.note.findMany({ where: { conversationId: c.id }, select: { body: true, authorId: true } }),
    ).toEqual([{ body: "Ships from the other warehouse", authorId: a.staff.id }]);
    expect(await prisma.message.count({ where: { conversationId: c.id } })).toBe(messagesBefore);
  });
});

describe("sendReply", () => {
  test("queued through the engine as a staff conversational reply, variables filled, automation paused", async () => {
    const { conversation: c } = await conversationIn(a);
    const outcome = await sendReply(a.id, a.staff, c.id, {
      body: "Hi {first_name}, it arrives Thursday: {tracking_url}",
      draftId: draft(),
      variables: { tracking_url: "https://track.example/1Z9" },
    });
    expect(outcome).toMatchObject({
      status: "queued",
      text: "Reply queued: it goes out in a moment.",
      tone: "success",
    });
    const message = await prisma.message.findUniqueOrThrow({ where: { id: outcome.messageId } });
    expect(message).toMatchObject({
      shopId: a.id,
      conversationId: c.id,
      direction: "OUTBOUND",
      purpose: "CONVERSATIONAL",
      authorKind: "STAFF",
      authorStaffId: a.staff.id,
      status: "QUEUED",
    });
    expect(message.body).toContain("Jane, this is Sam from Acme Tees. It arrives Thursday: https://track.example/1Z9");
    expect((await conversation(c.id)).automationPaused).toBe(true);
  });

  test("the same draft submitted twice sends one message", async () => {
    const { conversation: c } = await conversationIn(a);
    const draftId = draft();
    const [first, second] = await Promise.all([
      sendReply(a.id, a.staff, c.id, { body: "On its way!", draftId }),
      sendReply(a.id, a.staff, c.id, { body: "On its way!", draftId }),
    ]).catch(async () => {
      // Two transactions racing on the same key: the loser may see the unique violation; a retry finds the first.
      return [
        await sendReply(a.id, a.staff, c.id, { body: "On its way!", draftId }),
        await sendReply(a.id, a.staff, c.id, { body: "On its way!", draftId }),
      ];
    });
    expect([first.status, second.status].sort()).toEqual(["duplicate", "queued"].sort());
    expect(first.messageId).toBe(second.messageId);
    expect(await prisma.message.count({ where: { conversationId: c.id, direction: "OUTBOUND" } })).toBe(1);
  });

  test("refused for a shopper who opted out, with the reason; automation is not paused by a reply that never went", async () => {
    const { contact, conversation: c } = await conversationIn(a);
    await createConsent(a.id, contact, { purpose: "TRANSACTIONAL", status: "UNSUBSCRIBED", source: "KEYWORD" });
    const outcome = await sendReply(a.id, a.staff, c.id, { body: "Still there?", draftId: draft() });
    expect(outcome).toMatchObject({
      status: "refused",
      text: "Not sent: this shopper opted out of texts.",
      tone: "critical",
    });
    expect(await prisma.message.findUniqueOrThrow({ where: { id: outcome.messageId } })).toMatchObject({
      status: "REFUSED",
      errorCode: "opted_out",
    });
    expect((await conversation(c.id)).automationPaused).toBe(false);
  });

  test("a reply with a variable this shopper has no value for is not sent at all", async () => {
    const { conversation: c } = await conversationIn(a);
    const error = await sendReply(a.id, a.staff, c.id, { body: "Finish here: {checkout_url}", draftId: draft() }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InboxInputError);
    expect((error as InboxInputError).fieldErrors.body).toMatch(/\{checkout_url\}/);
    expect(await prisma.message.count({ where: { conversationId: c.id, direction: "OUTBOUND" } })).toBe(0);
  });

  test("quiet hours: a staff reply in a live conversation is not held (compliance §7); a held send reads as such", async () => {
    const zone = fixedZoneWhereItIs(13);
    const night = zone.localTime(23, 30);
    const { contact, conversation: c } = await conversationIn(a, { quietZones: zone.quietZones });
    const reply = await sendReply(a.id, a.staff, c.id, { body: "Answering late!", draftId: draft() }, { now: night });
    expect(reply.status).toBe("queued");

    // What staff read when the engine holds a send (an automated one here, the same clock and shopper).
    await createConsent(a.id, contact); // marketing
    const held = await sendMessage(
      {
        shopId: a.id,
        contactId: contact.id,
        purpose: "MARKETING",
        authorKind: "AUTOMATION",
        body: "New tees are in.",
        idempotencyKey: draft(),
      },
      { now: night },
    );
    expect(held.status).toBe("held");
    const words = describeSendOutcome(held, zone.quietZones[0].timeZone);
    expect(words).toMatchObject({ status: "held", tone: "warning" });
    expect(words.text).toMatch(/^Held for quiet hours: it goes out \w{3}, 8:00 AM/);
  });
});

describe("tenant isolation: shop A's staff and shop B's conversation", () => {
  test("every action with a foreign id is a 404 and writes nothing", async () => {
    const { conversation: theirs } = await conversationIn(b);
    await prisma.conversation.update({ where: { id: theirs.id }, data: { unreadCount: 2 } });
    const snapshot = async () => ({
      conversation: await conversation(theirs.id),
      events: await prisma.conversationEvent.count({ where: { shopId: b.id } }),
      notes: await prisma.note.count({ where: { shopId: b.id } }),
      messages: await prisma.message.count({ where: { shopId: b.id } }),
    });
    const before = await snapshot();
    const soon = new Date(Date.now() + 3600_000);
    const attempts: [string, () => Promise<unknown>][] = [
      ["assign", () => assign(a.id, a.staff, theirs.id, { staffId: a.other.id })],
      ["assign to their staff", () => assign(a.id, a.staff, theirs.id, { staffId: b.staff.id })],
      ["unassign", () => assign(a.id, a.staff, theirs.id, { staffId: null })],
      ["close", () => close(a.id, a.staff, theirs.id)],
      ["reopen", () => reopen(a.id, a.staff, theirs.id)],
      ["snooze", () => snooze(a.id, a.staff, theirs.id, { until: soon })],
      ["tag", () => addTag(a.id, a.staff, theirs.id, { tag: "mine" })],
      ["untag", () => removeTag(a.id, a.staff, theirs.id, { tag: "mine" })],
      ["note", () => addNote(a.id, a.staff, theirs.id, { body: "hello" })],
      ["mark unread", () => markUnread(a.id, a.staff, theirs.id)],
      ["mark read", () => markRead(a.id, a.staff, theirs.id)],
      ["send", () => sendReply(a.id, a.staff, theirs.id, { body: "Hi from shop A", draftId: draft() })],
    ];
    for (const [name, attempt] of attempts) {
      const error = await attempt().then(
        () => null,
        (e: unknown) => e,
      );
      expect(error, name).toBeInstanceOf(InboxNotFoundError);
      expect((error as InboxNotFoundError).what, name).toBe("conversation");
    }
    expect(await snapshot()).toEqual(before);
  });

  test("shop A cannot assign its own conversation to shop B's staff member", async () => {
    const { conversation: ours } = await conversationIn(a);
    const error = await assign(a.id, a.staff, ours.id, { staffId: b.staff.id }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InboxNotFoundError);
    expect((error as InboxNotFoundError).what).toBe("staff");
    expect((await conversation(ours.id)).assigneeId).toBeNull();
    expect(await events(ours.id)).toEqual([]);
  });
});
