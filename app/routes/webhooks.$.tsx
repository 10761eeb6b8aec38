import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { log } from "~/lib/log.server";

// Any /webhooks/* path without its own route: a topic Parley does not handle (yet). Answered 404 without reading
// the body or touching the database, so an unknown or misrouted delivery has no effect. More specific routes
// (webhooks.app.uninstalled.tsx, webhooks.telnyx.tsx, …) always win over this splat.
export function action({ request, params }: ActionFunctionArgs) {
  log.warn("webhook for a path Parley does not handle", {
    path: `/webhooks/${params["*"] ?? ""}`,
    topic: request.headers.get("X-Shopify-Topic"),
    shop: request.headers.get("X-Shopify-Shop-Domain"),
  });
  return new Response(null, { status: 404 });
}

export function loader(_args: LoaderFunctionArgs) {
  return new Response(null, { status: 404 });
}
