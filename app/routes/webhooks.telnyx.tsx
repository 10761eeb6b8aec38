import type { ActionFunctionArgs } from "@remix-run/node";
import { applyDeliveryReceipt, recordTelnyxEvent, verifyTelnyxWebhook, WebhookRejected } from "~/services/telnyx-webhooks.server";

// POST /webhooks/telnyx — verify on the raw body, record once, answer fast.
export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return new Response(null, { status: 405 });
  const raw = await request.text();
  try {
    const event = verifyTelnyxWebhook(raw, request.headers);
    const firstDelivery = await recordTelnyxEvent(event, raw);
    if (firstDelivery && (event.type === "message.sent" || event.type === "message.finalized")) await applyDeliveryReceipt(event);
    return new Response(null, { status: 204 });
  } catch (error) {
    if (error instanceof WebhookRejected) return Response.json({ error: error.message }, { status: error.status });
    throw error;
  }
}
