import type { ActionFunctionArgs } from "@remix-run/node";
import { clientIp, customerGid, FORM_MESSAGES } from "~/domain/storefront-opt-in";
import { renderSubscribePage } from "~/services/opt-in/storefront-page.server";
import { subscribeFromStorefront, type SubscribeResult } from "~/services/opt-in/storefront.server";
import { authenticate } from "~/shopify.server";

// POST /apps/parley/subscribe (app proxy → /proxy/subscribe): the storefront sign-up. The form's script posts
// JSON and reads JSON; a browser without script posts the form and gets a page rendered in the shop's theme.
export async function action({ request, context }: ActionFunctionArgs) {
  const { liquid } = await authenticate.public.appProxy(request);
  // The signature covers `shop` and `logged_in_customer_id`; from here on they are Shopify's word.
  const params = new URL(request.url).searchParams;
  const shopId = params.get("shop") ?? "";
  const isJson = (request.headers.get("content-type") ?? "").includes("application/json");
  const body: Record<string, unknown> = isJson
    ? await request.json().catch(() => ({}))
    : Object.fromEntries(await request.formData().catch(() => new FormData()));

  const result: SubscribeResult = shopId
    ? await subscribeFromStorefront({
        shopId,
        body,
        ipAddress: clientIp(request.headers, (context as { remoteAddress?: string } | undefined)?.remoteAddress),
        userAgent: request.headers.get("user-agent"),
        shopifyCustomerId: customerGid(params.get("logged_in_customer_id")),
      })
    : { status: 403, ok: false, message: FORM_MESSAGES.formOff };

  const headers = new Headers({ "Cache-Control": "no-store" });
  if (result.status === 429) headers.set("Retry-After", String(result.retryAfterSeconds));
  if (isJson || (request.headers.get("accept") ?? "").includes("application/json")) {
    return Response.json(result, { status: result.status, headers });
  }
  return liquid(renderSubscribePage(result, body), { status: result.status, headers });
}

export function loader() {
  return new Response(null, { status: 405, headers: { Allow: "POST" } });
}
