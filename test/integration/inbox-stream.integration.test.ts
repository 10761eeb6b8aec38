import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { parseSseFrames } from "~/components/inbox/useInboxEvents";
import { prisma } from "~/db.server";
import { type InboxNotice, notifyInbox } from "~/services/realtime/notify.server";
import { inboxStreamReady, stopInboxStream, subscribeInbox } from "~/services/realtime/inbox-stream.server";

// Live inbox updates: NOTIFY inside a transaction → the process's one LISTEN connection → in-process subscribers of
// that shop only; and the SSE route that carries them to the browser.

const SHOP_A = "stream-a.myshopify.com";
const SHOP_B = "stream-b.myshopify.com";

// The route authenticates with Shopify; here the session is whichever shop the request names.
vi.mock("~/shopify.server", () => ({
  authenticate: {
    admin: async (request: Request) => ({ session: { shop: request.headers.get("x-test-shop") } }),
  },
}));

function collector() {
  const seen: InboxNotice[] = [];
  const waiters: (() => void)[] = [];
  return {
    seen,
    listener: (notice: InboxNotice) => {
      seen.push(notice);
      waiters.splice(0).forEach((wake) => wake());
    },
    /** Resolves once a notice matching `predicate` has arrived. */
    async until(predicate: (n: InboxNotice) => boolean, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (!seen.some(predicate)) {
        if (Date.now() > deadline) throw new Error(`no matching notice; saw ${JSON.stringify(seen)}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
    },
  };
}

const subscriberCount = () =>
  [...(globalThis.__parleyInboxHub?.subscribers.values() ?? [])].reduce((n, set) => n + set.size, 0);

beforeAll(async () => {
  expect(await inboxStreamReady()).toBe(true);
});

afterAll(async () => {
  await stopInboxStream();
});

describe("subscribeInbox", () => {
  test("a committed NOTIFY reaches its shop's subscribers only; a rolled-back one reaches nobody", async () => {
    const a = collector();
    const b = collector();
    const stopA = subscribeInbox(SHOP_A, a.listener);
    const stopB = subscribeInbox(SHOP_B, b.listener);
    try {
      await prisma.$transaction(async (tx) => {
        await notifyInbox(tx, { shopId: SHOP_A, conversationId: "conv-1", messageId: "msg-1", kind: "message" });
      });
      await a.until((n) => n.conversationId === "conv-1");
      expect(a.seen).toEqual([{ shopId: SHOP_A, conversationId: "conv-1", messageId: "msg-1", kind: "message" }]);

      await expect(
        prisma.$transaction(async (tx) => {
          await notifyInbox(tx, { shopId: SHOP_A, conversationId: "rolled-back", kind: "message" });
          await notifyInbox(tx, { shopId: SHOP_B, conversationId: "rolled-back", kind: "message" });
          throw new Error("abort the transaction");
        }),
      ).rejects.toThrow("abort the transaction");

      // Notices arrive in commit order: once this later marker is here, a rolled-back notice would have been too.
      await prisma.$transaction(async (tx) => {
        await notifyInbox(tx, { shopId: SHOP_B, conversationId: "marker", kind: "status" });
        await notifyInbox(tx, { shopId: SHOP_A, conversationId: "marker", kind: "status" });
      });
      await a.until((n) => n.conversationId === "marker");
      await b.until((n) => n.conversationId === "marker");
      expect(a.seen.map((n) => n.conversationId)).toEqual(["conv-1", "marker"]);
      expect(b.seen.map((n) => n.conversationId)).toEqual(["marker"]);
      expect(b.seen.every((n) => n.shopId === SHOP_B)).toBe(true);
    } finally {
      stopA();
      stopB();
    }
  });

  test("after unsubscribing, nothing more arrives", async () => {
    const a = collector();
    const witness = collector();
    const stop = subscribeInbox(SHOP_A, a.listener);
    const stopWitness = subscribeInbox(SHOP_A, witness.listener);
    stop();
    await prisma.$transaction((tx) => notifyInbox(tx, { shopId: SHOP_A, conversationId: "late", kind: "message" }));
    await witness.until((n) => n.conversationId === "late");
    stopWitness();
    expect(a.seen).toEqual([]);
  });

  test("a malformed payload on the channel is ignored", async () => {
    const a = collector();
    const stop = subscribeInbox(SHOP_A, a.listener);
    try {
      await prisma.$executeRaw`SELECT pg_notify('parley_inbox', 'not json')`;
      await prisma.$executeRaw`SELECT pg_notify('parley_inbox', ${JSON.stringify({ shopId: SHOP_A })})`;
      await prisma.$transaction((tx) => notifyInbox(tx, { shopId: SHOP_A, conversationId: "ok", kind: "message" }));
      await a.until((n) => n.conversationId === "ok");
      expect(a.seen.map((n) => n.conversationId)).toEqual(["ok"]);
    } finally {
      stop();
    }
  });

  test("the listener reconnects after its connection is killed, and tells subscribers to reload", async () => {
    const a = collector();
    const stop = subscribeInbox(SHOP_A, a.listener);
    try {
      await prisma.$executeRaw`
        SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'parley-inbox-listener'`;
      await a.until((n) => n.conversationId === null, 10_000); // the reconnect's "reload everything"
      await prisma.$transaction((tx) => notifyInbox(tx, { shopId: SHOP_A, conversationId: "again", kind: "message" }));
      await a.until((n) => n.conversationId === "again");
    } finally {
      stop();
    }
  });
});

describe("GET /app/inbox/events", () => {
  test("streams the shop's notices as SSE frames and unsubscribes when the request is aborted", async () => {
    const { loader } = await import("~/routes/app.inbox.events");
    const abort = new AbortController();
    const before = subscriberCount();
    const response = await loader({
      request: new Request("https://parley.test/app/inbox/events", {
        headers: { "x-test-shop": SHOP_A },
        signal: abort.signal,
      }),
      params: {},
      context: {},
    });
    expect(response.headers.get("Content-Type")).toMatch(/^text\/event-stream/);
    expect(subscriberCount()).toBe(before + 1);

    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    await prisma.$transaction(async (tx) => {
      await notifyInbox(tx, { shopId: SHOP_B, conversationId: "other-shop", kind: "message" });
      await notifyInbox(tx, { shopId: SHOP_A, conversationId: "conv-9", messageId: "m-9", kind: "message" });
    });
    let buffer = "";
    const frames: { event: string; data: string }[] = [];
    while (frames.length === 0) {
      const { value, done } = await reader.read();
      if (done) break;
      const parsed = parseSseFrames(buffer + value);
      buffer = parsed.rest;
      frames.push(...parsed.frames);
    }
    expect(frames).toEqual([
      { event: "inbox", data: JSON.stringify({ conversationId: "conv-9", messageId: "m-9", kind: "message" }) },
    ]);

    abort.abort();
    expect(subscriberCount()).toBe(before);
    expect((await reader.read()).done).toBe(true);
  });
});

describe("parseSseFrames", () => {
  test.each([
    ["event: inbox\ndata: {}\n\n", [{ event: "inbox", data: "{}" }], ""],
    [": heartbeat\n\nevent: inbox\ndata: 1\n\nevent: in", [{ event: "inbox", data: "1" }], "event: in"],
    ["data: a\ndata: b\r\n\r\n", [{ event: "message", data: "a\nb" }], ""],
    ["event: inbox\n\n", [], ""],
  ])("%j", (input, frames, rest) => {
    expect(parseSseFrames(input)).toEqual({ frames, rest });
  });
});
