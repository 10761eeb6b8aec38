import type { ActionFunctionArgs } from "@remix-run/node";
import { handleCheckoutWebhook } from "~/services/flows/abandoned-cart.server";
import { receiveShopifyWebhook } from "~/services/webhooks/receive.server";

export const action = ({ request }: ActionFunctionArgs) =>
  receiveShopifyWebhook(request, "checkouts/update", handleCheckoutWebhook);
