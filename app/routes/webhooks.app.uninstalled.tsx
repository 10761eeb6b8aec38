import type { ActionFunctionArgs } from "@remix-run/node";
import { handleAppUninstalled } from "~/services/webhooks/app-lifecycle.server";
import { receiveShopifyWebhook } from "~/services/webhooks/receive.server";

export const action = ({ request }: ActionFunctionArgs) =>
  receiveShopifyWebhook(request, "app/uninstalled", handleAppUninstalled);
