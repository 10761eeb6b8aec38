import type { ActionFunctionArgs } from "@remix-run/node";
import { handleCustomerRedact } from "~/services/privacy.server";
import { receiveShopifyWebhook } from "~/services/webhooks/receive.server";

export const action = ({ request }: ActionFunctionArgs) =>
  receiveShopifyWebhook(request, "customers/redact", handleCustomerRedact);
