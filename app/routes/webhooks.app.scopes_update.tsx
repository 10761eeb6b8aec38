import type { ActionFunctionArgs } from "@remix-run/node";
import { handleScopesUpdate } from "~/services/webhooks/app-lifecycle.server";
import { receiveShopifyWebhook } from "~/services/webhooks/receive.server";

export const action = ({ request }: ActionFunctionArgs) =>
  receiveShopifyWebhook(request, "app/scopes_update", handleScopesUpdate);
