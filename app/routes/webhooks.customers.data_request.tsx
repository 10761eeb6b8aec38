import type { ActionFunctionArgs } from "@remix-run/node";
import { handleCustomerDataRequest } from "~/services/privacy.server";
import { receiveShopifyWebhook } from "~/services/webhooks/receive.server";

export const action = ({ request }: ActionFunctionArgs) =>
  receiveShopifyWebhook(request, "customers/data_request", handleCustomerDataRequest);
