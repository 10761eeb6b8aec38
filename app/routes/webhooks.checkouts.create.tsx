import type { ActionFunctionArgs } from "@remix-run/node";
import { handleCheckoutConsent } from "~/services/opt-in/checkout-consent.server";
import { receiveShopifyWebhook } from "~/services/webhooks/receive.server";

export const action = ({ request }: ActionFunctionArgs) =>
  receiveShopifyWebhook(request, "checkouts/create", handleCheckoutConsent);
