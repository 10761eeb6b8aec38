import type { ActionFunctionArgs } from "@remix-run/node";
import { handleProductUpdate } from "~/services/flows/interest-availability.server";
import { receiveShopifyWebhook } from "~/services/webhooks/receive.server";

export const action = ({ request }: ActionFunctionArgs) =>
  receiveShopifyWebhook(request, "products/update", handleProductUpdate);
