import type { LoaderFunctionArgs } from "@remix-run/node";
import { subscribeInbox } from "~/services/realtime/inbox-stream.server";
import { authenticate } from "~/shopify.server";

// GET /app/inbox/events — the inbox's live updates as server-sent events, for the signed-in shop only.
// The embedded app reads it with fetch (App Bridge adds the session token; an EventSource could not), see
// app/components/inbox/useInboxEvents.ts. Frames: `event: inbox` with {conversationId, messageId?, kind}, and a
// comment every 15 s so proxies keep the connection open and a dead one is noticed.

const HEARTBEAT_MS = 15_000;

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const shopId = session.shop;
  const encoder = new TextEncoder();
  let stop = () => {};

  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      let open = true;
      const send = (frame: string) => {
        if (!open) return;
        try {
          controller.enqueue(encoder.encode(frame));
        } catch {
          stop(); // the response is gone
        }
      };
      const unsubscribe = subscribeInbox(shopId, (notice) => {
        const data = { conversationId: notice.conversationId, messageId: notice.messageId, kind: notice.kind };
        send(`event: inbox\ndata: ${JSON.stringify(data)}\n\n`);
      });
      const heartbeat = setInterval(() => send(": heartbeat\n\n"), HEARTBEAT_MS);
      stop = () => {
        if (!open) return;
        open = false;
        clearInterval(heartbeat);
        unsubscribe();
        request.signal.removeEventListener("abort", stop);
        try {
          controller.close();
        } catch {
          /* already closed */
        }
      };
      request.signal.addEventListener("abort", stop);
      if (request.signal.aborted) stop();
      send(": connected\n\n");
    },
    cancel() {
      stop();
    },
  });

  return new Response(body, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-cache, no-transform",
      "X-Accel-Buffering": "no", // nginx and friends: do not buffer the stream
    },
  });
}
