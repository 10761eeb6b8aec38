import type { ActionFunctionArgs } from "@remix-run/node";
import { handleFulfillmentWebhook } from "~/services/flows/shipping-updates.server";
import { receiveShopifyWebhook } from "~/services/webhooks/receive.server";

export const action = ({ request }: ActionFunctionArgs) =>
  receiveShopifyWebhook(request, "fulfillments/create", handleFulfillmentWebhook);
