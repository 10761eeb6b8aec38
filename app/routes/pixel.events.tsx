import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { describePixelBatchError, MAX_PIXEL_BODY_BYTES, PixelBatchSchema } from "~/domain/browse-events";
import { findShopByPixelToken, ingestBrowseEvents, pixelRateLimit } from "~/services/browse-events.server";

// POST /pixel/events — the storefront web pixel's events (extensions/parley-pixel). The pixel runs in Shopify's
// sandbox (a worker or an iframe with an opaque origin) on the shop's own, possibly custom, domain, so any origin
// may post; no cookie is read or set, and the shop is known only by the token in the body. Bodies are plain text
// holding JSON (what `sendBeacon` sends; it also spares the browser a CORS preflight).

const CORS = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Methods": "POST, OPTIONS",
  "Access-Control-Allow-Headers": "Content-Type",
  "Access-Control-Max-Age": "86400",
};

const answer = (status: number, body?: Record<string, unknown>, headers: Record<string, string> = {}) =>
  body === undefined
    ? new Response(null, { status, headers: { ...CORS, ...headers } })
    : Response.json(body, { status, headers: { ...CORS, ...headers } });

// OPTIONS (the preflight of a fetch with a JSON content type) reaches the loader; GET has nothing to show.
export async function loader({ request }: LoaderFunctionArgs) {
  return request.method === "OPTIONS" ? answer(204) : answer(405, { error: "POST events here" }, { Allow: "POST" });
}

export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return answer(405, { error: "POST events here" }, { Allow: "POST" });
  const raw = await readCapped(request, MAX_PIXEL_BODY_BYTES);
  if (raw === null) return answer(413, { error: `body over ${MAX_PIXEL_BODY_BYTES} bytes` });

  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return answer(400, { error: "body is not JSON" });
  }
  const token = (body as { accountID?: unknown } | null)?.accountID;
  if (typeof token !== "string" || token.length === 0 || token.length > 128) {
    return answer(401, { error: "unknown pixel token" });
  }
  if (!pixelRateLimit.take(token)) return answer(429, { error: "too many requests" }, { "Retry-After": "1" });
  const shop = await findShopByPixelToken(token);
  if (!shop) return answer(401, { error: "unknown pixel token" });

  const batch = PixelBatchSchema.safeParse(body);
  if (!batch.success) return answer(400, { error: describePixelBatchError(batch.error) });
  const result = await ingestBrowseEvents(shop, batch.data.events);
  return answer(200, { received: result.received, stored: result.stored });
}

/** The body as text, or null once it is longer than `max` bytes (read no further than that). */
async function readCapped(request: Request, max: number): Promise<string | null> {
  const declared = Number(request.headers.get("Content-Length") ?? "0");
  if (declared > max) return null;
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}
