import type { ActionFunctionArgs } from "@remix-run/node";
import { handleCustomersUpdate } from "~/services/shopify/customers-update.server";
import { receiveShopifyWebhook } from "~/services/webhooks/receive.server";

export const action = ({ request }: ActionFunctionArgs) =>
  receiveShopifyWebhook(request, "customers/update", handleCustomersUpdate);
