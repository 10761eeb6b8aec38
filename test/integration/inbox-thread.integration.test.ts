import { beforeAll, describe, expect, test } from "vitest";
import { prisma } from "~/db.server";
import { recordConversationEvent } from "~/services/inbox/conversation-events.server";
import { loadThread, type TimelineItem } from "~/services/inbox/thread.server";
import { applyConsentEvent } from "~/services/sms/consent.server";
import {
  createConsent,
  createContact,
  createConversationWithMessages,
  createDiscount,
  createShop,
} from "../helpers/factories";

// loadThread against real PostgreSQL: one timeline merged from messages, notes, events and discounts in time
// order, readable authors and failure reasons, "Load older" pages that add up to the whole thread, and nothing
// from another shop.

let shopId: string;
let otherShopId: string;
let sam: { id: string };

const at = (minutes: number) => new Date(Date.UTC(2026, 2, 3, 14, 0) + minutes * 60_000);
const kinds = (items: TimelineItem[]) => items.map((i) => (i.type === "message" ? `message:${i.body}` : i.type));

beforeAll(async () => {
  shopId = (await createShop()).id;
  otherShopId = (await createShop()).id;
  sam = await prisma.staffMember.create({
    data: { shopId, shopifyUserId: 1n, firstName: "Sam", lastName: "Lee", email: "sam@acme.test" },
  });
});

describe("loadThread", () => {
  test("merges messages, notes, timeline events and discounts in time order, with readable authors", async () => {
    const contact = await createContact(shopId, { firstName: "Jane", lastName: "Doe" });
    await createConsent(shopId, contact);
    const { conversation } = await createConversationWithMessages(
      shopId,
      contact.id,
      [
        {
          direction: "INBOUND",
          authorKind: "SHOPPER",
          body: "Does it come in blue?",
          status: "RECEIVED",
          createdAt: at(0),
        },
        { authorKind: "AUTOMATION", body: "Thanks! Someone will answer soon.", status: "DELIVERED", createdAt: at(1) },
        { authorKind: "STAFF", authorStaffId: sam.id, body: "It does!", status: "DELIVERED", createdAt: at(4) },
        { authorKind: "AI", body: "Here is the link.", status: "SENT", createdAt: at(6) },
        {
          authorKind: "STAFF",
          authorStaffId: "staff-who-left",
          body: "Anything else?",
          status: "QUEUED",
          createdAt: at(8),
        },
      ],
      { assigneeId: sam.id, tags: ["vip"], unreadCount: 2 },
    );
    await prisma.note.create({
      data: { shopId, conversationId: conversation.id, authorId: sam.id, body: "Prefers blue", createdAt: at(2) },
    });
    await prisma.$transaction((tx) =>
      recordConversationEvent(tx, {
        shopId,
        conversationId: conversation.id,
        event: { kind: "assigned", data: { toStaffId: sam.id, toName: "Sam" } },
        actorKind: "AUTOMATION",
        at: at(3),
      }),
    );
    await createDiscount(shopId, {
      contactId: contact.id,
      conversationId: conversation.id,
      code: "SAVE10-XK2P",
      createdAt: at(5),
    });
    // Another conversation's discount of the same shopper is not this thread's.
    await createDiscount(shopId, { contactId: contact.id, code: "OTHER-1", createdAt: at(5) });

    const thread = await loadThread({ shopId, conversationId: conversation.id });
    expect(thread).not.toBeNull();
    expect(kinds(thread!.items)).toEqual([
      "message:Does it come in blue?",
      "message:Thanks! Someone will answer soon.",
      "note",
      "event",
      "message:It does!",
      "discount",
      "message:Here is the link.",
      "message:Anything else?",
    ]);
    const messages = thread!.items.filter((i) => i.type === "message");
    expect(messages.map((m) => [m.direction, m.author])).toEqual([
      ["INBOUND", { kind: "SHOPPER", name: "Jane Doe" }],
      ["OUTBOUND", { kind: "AUTOMATION", name: "Automation" }],
      ["OUTBOUND", { kind: "STAFF", name: "Sam Lee" }],
      ["OUTBOUND", { kind: "AI", name: "AI" }],
      ["OUTBOUND", { kind: "STAFF", name: "Staff" }],
    ]);
    expect(thread!.items.find((i) => i.type === "note")).toMatchObject({ authorName: "Sam Lee", body: "Prefers blue" });
    expect(thread!.items.find((i) => i.type === "event")).toMatchObject({ text: "Assigned to Sam Lee by automation" });
    expect(thread!.items.find((i) => i.type === "discount")).toMatchObject({ text: "Discount SAVE10-XK2P created" });
    expect(thread!.olderCursor).toBeNull();
    expect(thread!.conversation).toMatchObject({
      status: "OPEN",
      tags: ["vip"],
      unreadCount: 2,
      assignee: { id: sam.id, name: "Sam Lee" },
      contact: { name: "Jane Doe", phoneE164: contact.phoneE164, phone: expect.stringMatching(/^\(212\) 555-\d{4}$/) },
      consent: { marketing: "SUBSCRIBED", transactional: "NOT_SUBSCRIBED" },
    });
  });

  test("delivery status: failure and refusal reasons in words, quiet-hours release time, media", async () => {
    const contact = await createContact(shopId, { firstName: null, lastName: null });
    const holdUntil = at(12 * 60);
    const { conversation } = await createConversationWithMessages(shopId, contact.id, [
      {
        direction: "INBOUND",
        authorKind: "SHOPPER",
        body: "pic",
        status: "RECEIVED",
        media: [{ url: "https://media.example/1.jpg", contentType: "image/jpeg", size: 1000 }],
      },
      { body: "Failed one", status: "FAILED", errorCode: "40008", errorReason: "Carrier rejected: unallocated number" },
      { body: "Failed, no reason", status: "FAILED" },
      {
        body: "Refused one",
        status: "REFUSED",
        errorCode: "opted_out",
        errorReason: "Not sent: this shopper opted out of texts.",
      },
      { body: "Held one", status: "HELD", holdUntil },
      { body: "Delivered one", status: "DELIVERED", deliveredAt: new Date() },
    ]);
    const thread = await loadThread({ shopId, conversationId: conversation.id });
    const byBody = Object.fromEntries(
      thread!.items.flatMap((i) => (i.type === "message" ? [[i.body, i] as const] : [])),
    );
    expect(byBody["pic"]).toMatchObject({
      author: { kind: "SHOPPER", name: expect.stringMatching(/^\(212\) 555-/) }, // no name: the phone number
      media: [{ url: "https://media.example/1.jpg", contentType: "image/jpeg" }],
    });
    expect(byBody["Failed one"]).toMatchObject({ status: "FAILED", failure: "Carrier rejected: unallocated number" });
    expect(byBody["Failed, no reason"]).toMatchObject({ failure: "The carrier gave no reason." });
    expect(byBody["Refused one"]).toMatchObject({
      status: "REFUSED",
      failure: "Not sent: this shopper opted out of texts.",
    });
    expect(byBody["Held one"]).toMatchObject({ status: "HELD", holdUntil, failure: null });
    expect(byBody["Delivered one"]).toMatchObject({
      status: "DELIVERED",
      failure: null,
      deliveredAt: expect.any(Date),
    });
  });

  test("“Load older” pages cover the whole thread once, in order, across messages and notes", async () => {
    const contact = await createContact(shopId);
    const { conversation } = await createConversationWithMessages(
      shopId,
      contact.id,
      Array.from({ length: 70 }, (_, i) => ({ body: `m${i}`, createdAt: at(i * 2) })),
    );
    await prisma.note.createMany({
      data: Array.from({ length: 30 }, (_, i) => ({
        shopId,
        conversationId: conversation.id,
        body: `n${i}`,
        createdAt: at(i * 4 + 1),
      })),
    });
    // Two items at the very instant a page would be cut: both stay on the same page.
    await prisma.note.create({ data: { shopId, conversationId: conversation.id, body: "tie", createdAt: at(100) } });

    const pages: TimelineItem[][] = [];
    let before: Date | null = null;
    do {
      const thread = await loadThread({ shopId, conversationId: conversation.id, before, limit: 25 });
      pages.push(thread!.items);
      before = thread!.olderCursor;
      expect(pages.length).toBeLessThan(10);
    } while (before);

    expect(pages[0].length).toBeGreaterThanOrEqual(25);
    const all = pages.reverse().flat();
    expect(all).toHaveLength(101);
    expect(new Set(all.map((i) => i.id)).size).toBe(101);
    const times = all.map((i) => i.at.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(pages[0][0]).toMatchObject({ type: "message", body: "m0" });
  });

  test("consent changes appear on the timeline in the transaction that records them", async () => {
    const contact = await createContact(shopId);
    const { conversation } = await createConversationWithMessages(shopId, contact.id);
    await prisma.$transaction((tx) =>
      applyConsentEvent(
        tx,
        contact,
        { type: "opt_out", source: "KEYWORD" },
        { source: "KEYWORD", occurredAt: at(1000) },
      ),
    );
    await prisma.$transaction((tx) =>
      applyConsentEvent(
        tx,
        contact,
        { type: "opt_in_keyword", marketingBeforeOptOut: "NOT_SUBSCRIBED" },
        { source: "KEYWORD", occurredAt: at(1001) },
      ),
    );
    const thread = await loadThread({ shopId, conversationId: conversation.id });
    expect(thread!.items.filter((i) => i.type === "event").map((i) => (i as { text: string }).text)).toEqual([
      "Opted out of all texts (by text)",
      "Opted back in to texts (by text)",
    ]);
  });

  test("an unknown id and another shop's conversation are the same: not found", async () => {
    const theirs = await createContact(otherShopId);
    const { conversation } = await createConversationWithMessages(otherShopId, theirs.id);
    expect(await loadThread({ shopId, conversationId: conversation.id })).toBeNull();
    expect(await loadThread({ shopId, conversationId: "c_does_not_exist" })).toBeNull();
    expect(await loadThread({ shopId: otherShopId, conversationId: conversation.id })).not.toBeNull();
  });
});
