import type { ActionFunctionArgs } from "@remix-run/node";
import { recordTelnyxEvent, verifyTelnyxWebhook, WebhookRejected } from "~/services/telnyx-webhooks.server";

// POST /webhooks/telnyx — verify on the raw body, record once, answer fast; the SMS workers do the rest.
export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return new Response(null, { status: 405 });
  const raw = await request.text();
  try {
    const event = await verifyTelnyxWebhook(raw, request.headers);
    await recordTelnyxEvent(event, raw);
    return new Response(null, { status: 204 });
  } catch (error) {
    if (error instanceof WebhookRejected) return Response.json({ error: error.message }, { status: error.status });
    throw error;
  }
}
