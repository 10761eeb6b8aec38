import { useEffect, useRef } from "react";

// Live inbox updates in the browser. Reads GET /app/inbox/events (server-sent events) with fetch rather than
// EventSource, because only fetch carries the embedded app's session token (App Bridge's fetch adds it; so does the
// sandbox's stand-in). Reconnects with backoff; after a reconnect it reports one notice with conversationId null,
// since anything may have happened while it was away.

export type InboxEventNotice = {
  /** The conversation that changed; null means "reload everything" (e.g. after a reconnect). */
  conversationId: string | null;
  messageId?: string;
  kind: "message" | "status" | "conversation";
};

export const INBOX_EVENTS_PATH = "/app/inbox/events";
const BACKOFF_MS = [1000, 2000, 5000, 10_000, 30_000];
// The server sends a heartbeat every 15 s: a stream silent for longer is dead even if the socket looks open.
const SILENCE_MS = 45_000;

/** Splits an SSE byte stream's text into complete frames; returns the frames and the unfinished remainder. */
export function parseSseFrames(buffer: string): { frames: { event: string; data: string }[]; rest: string } {
  const normalized = buffer.replace(/\r\n?/g, "\n");
  const parts = normalized.split("\n\n");
  const rest = parts.pop() ?? "";
  const frames = [];
  for (const part of parts) {
    let event = "message";
    const data: string[] = [];
    for (const line of part.split("\n")) {
      if (line === "" || line.startsWith(":")) continue; // comments: heartbeats
      const colon = line.indexOf(":");
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (field === "event") event = value;
      else if (field === "data") data.push(value);
    }
    if (data.length > 0) frames.push({ event, data: data.join("\n") });
  }
  return { frames, rest };
}

/**
 * Calls `onNotice` for every change to the shop's conversations while the component is mounted.
 * `onNotice` may change between renders; the latest one is called. Usage:
 *   useInboxEvents((notice) => { if (!notice.conversationId || notice.conversationId === id) revalidate(); });
 */
export function useInboxEvents(onNotice: (notice: InboxEventNotice) => void): void {
  const latest = useRef(onNotice);
  useEffect(() => {
    latest.current = onNotice;
  });

  useEffect(() => {
    const abort = new AbortController();
    let attempt = 0;
    let connectedOnce = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let silence: ReturnType<typeof setTimeout> | undefined;
    let current: AbortController | null = null;

    const emit = (notice: InboxEventNotice) => {
      try {
        latest.current(notice);
      } catch (error) {
        console.error("inbox event handler failed", error);
      }
    };

    const scheduleReconnect = () => {
      if (abort.signal.aborted) return;
      const delay = BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)];
      attempt++;
      retry = setTimeout(connect, delay);
    };

    async function connect() {
      current = new AbortController();
      const stream = current;
      const resetSilence = () => {
        clearTimeout(silence);
        silence = setTimeout(() => stream.abort(), SILENCE_MS);
      };
      abort.signal.addEventListener("abort", () => stream.abort(), { once: true });
      try {
        const response = await fetch(INBOX_EVENTS_PATH, {
          headers: { Accept: "text/event-stream" },
          signal: stream.signal,
          cache: "no-store",
        });
        if (!response.ok || !response.body) throw new Error(`inbox events: HTTP ${response.status}`);
        if (connectedOnce) emit({ conversationId: null, kind: "conversation" });
        connectedOnce = true;
        attempt = 0;
        resetSilence();
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = "";
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          resetSilence();
          const parsed = parseSseFrames(buffer + value);
          buffer = parsed.rest;
          for (const frame of parsed.frames) {
            if (frame.event !== "inbox") continue;
            try {
              emit(JSON.parse(frame.data) as InboxEventNotice);
            } catch {
              /* a malformed frame is skipped */
            }
          }
        }
      } catch {
        /* network error, abort or a non-200 answer: reconnect below unless unmounted */
      } finally {
        clearTimeout(silence);
      }
      scheduleReconnect();
    }

    void connect();
    return () => {
      abort.abort();
      current?.abort();
      clearTimeout(retry);
      clearTimeout(silence);
    };
  }, []);
}
