import type { ActionFunctionArgs } from "@remix-run/node";
import { handleOrderCreated } from "~/services/flows/orders.server";
import { receiveShopifyWebhook } from "~/services/webhooks/receive.server";

export const action = ({ request }: ActionFunctionArgs) =>
  receiveShopifyWebhook(request, "orders/create", handleOrderCreated);
