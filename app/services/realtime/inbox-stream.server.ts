import pg from "pg";
import { z } from "zod";
import { env } from "~/env.server";
import { log } from "~/lib/log.server";
import { CHANNELS, type InboxNotice } from "./notify.server";

// Live inbox updates. Writers NOTIFY `parley_inbox` inside their transaction (notify.server.ts), so a notice exists
// only once its change is committed, and every app instance connected to the database hears it. This process keeps
// ONE dedicated LISTEN connection (opened when the first inbox page subscribes, not per page) and fans notices out
// to its in-process subscribers by shop. A lost connection is re-opened with backoff; subscribers are told with a
// "resync" notice so their pages reload whatever they may have missed meanwhile.

export type InboxListener = (notice: InboxNotice) => void;

const NoticeSchema = z.object({
  shopId: z.string().min(1),
  conversationId: z.string().nullable(),
  messageId: z.string().optional(),
  kind: z.enum(["message", "status", "conversation"]),
});

const BACKOFF_MS = [250, 500, 1000, 2000, 5000, 10_000];

type Hub = {
  subscribers: Map<string, Set<InboxListener>>;
  client: pg.Client | null;
  connecting: Promise<void> | null;
  attempt: number;
  retryTimer: ReturnType<typeof setTimeout> | null;
  stopped: boolean;
};

// One hub per process, kept across Vite's dev reloads (a module reload must not open a second connection).
declare global {
  var __parleyInboxHub: Hub | undefined;
}

function hub(): Hub {
  globalThis.__parleyInboxHub ??= {
    subscribers: new Map(),
    client: null,
    connecting: null,
    attempt: 0,
    retryTimer: null,
    stopped: false,
  };
  return globalThis.__parleyInboxHub;
}

function subscriberCount(h: Hub): number {
  let n = 0;
  for (const set of h.subscribers.values()) n += set.size;
  return n;
}

function deliver(h: Hub, notice: InboxNotice) {
  for (const listener of h.subscribers.get(notice.shopId) ?? []) {
    try {
      listener(notice);
    } catch (error) {
      log.warn("inbox subscriber failed", { error });
    }
  }
}

/** Every subscriber of every shop: something may have been missed while the connection was down. */
function resyncAll(h: Hub) {
  for (const [shopId, listeners] of h.subscribers) {
    for (const listener of listeners) listener({ shopId, conversationId: null, kind: "conversation" });
  }
}

function onNotification(h: Hub, message: pg.Notification) {
  if (message.channel !== CHANNELS.inbox || !message.payload) return;
  let parsed;
  try {
    parsed = NoticeSchema.safeParse(JSON.parse(message.payload));
  } catch {
    parsed = null;
  }
  if (!parsed?.success) {
    log.warn("ignored a malformed inbox notice");
    return;
  }
  deliver(h, parsed.data);
}

function connect(h: Hub): Promise<void> {
  if (h.client || h.connecting) return h.connecting ?? Promise.resolve();
  h.stopped = false;
  const client = new pg.Client({ connectionString: env().DATABASE_URL, application_name: "parley-inbox-listener" });
  h.connecting = (async () => {
    try {
      client.on("notification", (message) => onNotification(h, message));
      client.on("error", (error) => lost(h, client, error));
      client.on("end", () => lost(h, client));
      await client.connect();
      await client.query(`LISTEN ${CHANNELS.inbox}`);
      const reconnected = h.attempt > 0;
      h.client = client;
      h.attempt = 0;
      if (reconnected) resyncAll(h);
    } catch (error) {
      client.removeAllListeners();
      client.end().catch(() => {});
      scheduleReconnect(h, error);
    } finally {
      h.connecting = null;
    }
  })();
  return h.connecting;
}

function lost(h: Hub, client: pg.Client, error?: unknown) {
  if (h.client !== client) return; // an old connection's late event, or one being set up (connect handles it)
  h.client = null;
  client.removeAllListeners();
  client.end().catch(() => {});
  if (!h.stopped) scheduleReconnect(h, error);
}

function scheduleReconnect(h: Hub, error: unknown) {
  if (h.stopped || h.retryTimer || subscriberCount(h) === 0) return;
  const delay = BACKOFF_MS[Math.min(h.attempt, BACKOFF_MS.length - 1)];
  h.attempt++;
  log.warn("inbox listener connection lost; reconnecting", { error, delayMs: delay, attempt: h.attempt });
  h.retryTimer = setTimeout(() => {
    h.retryTimer = null;
    void connect(h);
  }, delay);
  h.retryTimer.unref?.();
}

/**
 * Calls `listener` with every inbox notice of `shopId` committed from now on (and with a notice whose
 * conversationId is null when the listener connection was re-established: reload everything). Returns the
 * unsubscribe function. The returned promise settles once the LISTEN connection is up (or retrying).
 */
export function subscribeInbox(shopId: string, listener: InboxListener): () => void {
  const h = hub();
  let listeners = h.subscribers.get(shopId);
  if (!listeners) h.subscribers.set(shopId, (listeners = new Set()));
  listeners.add(listener);
  void connect(h);
  let active = true;
  return () => {
    if (!active) return;
    active = false;
    const set = h.subscribers.get(shopId);
    set?.delete(listener);
    if (set && set.size === 0) h.subscribers.delete(shopId);
  };
}

/** Resolves once the LISTEN connection is established (tests and the route wait on it before answering). */
export async function inboxStreamReady(): Promise<boolean> {
  const h = hub();
  if (!h.client && !h.connecting) void connect(h);
  await h.connecting;
  return h.client !== null;
}

/** Closes the LISTEN connection (tests, shutdown). Subscribers stay registered and a new subscribe reconnects. */
export async function stopInboxStream(): Promise<void> {
  const h = hub();
  h.stopped = true;
  if (h.retryTimer) clearTimeout(h.retryTimer);
  h.retryTimer = null;
  await h.connecting;
  const client = h.client;
  h.client = null;
  if (client) {
    client.removeAllListeners();
    await client.end().catch(() => {});
  }
}
