import type { ActionFunctionArgs } from "@remix-run/node";
import { handleShopRedact } from "~/services/privacy.server";
import { receiveShopifyWebhook } from "~/services/webhooks/receive.server";

export const action = ({ request }: ActionFunctionArgs) =>
  receiveShopifyWebhook(request, "shop/redact", handleShopRedact);
