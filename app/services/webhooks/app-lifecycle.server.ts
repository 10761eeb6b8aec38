import { z } from "zod";
import { parseWebhookPayload, type ShopifyWebhookHandler } from "./receive.server";

// app/uninstalled and app/scopes_update. Both run inside the receiver's transaction (see receive.server.ts), so
// each effect is all-or-nothing and a repeated delivery is a no-op.

export const UNINSTALL_CANCEL_REASON = "app uninstalled";

/**
 * The merchant removed Parley: its tokens are dead, so the sessions go, and nothing queued may still be sent.
 * Everything else stays until shop/redact (Shopify sends it 48 hours later unless the merchant reinstalls).
 */
export const handleAppUninstalled: ShopifyWebhookHandler = async (tx, { shop }) => {
  await tx.session.deleteMany({ where: { shop } });
  // The first uninstall time is the one that counts; a repeated delivery leaves it alone.
  await tx.shop.updateMany({ where: { id: shop, uninstalledAt: null }, data: { uninstalledAt: new Date() } });
  await tx.message.updateMany({
    where: { shopId: shop, status: { in: ["QUEUED", "HELD"] } },
    data: { status: "CANCELLED", errorReason: UNINSTALL_CANCEL_REASON },
  });
};

const ScopesUpdatePayload = z.object({
  current: z.array(z.string()),
  previous: z.array(z.string()).optional(),
});

/** The merchant granted or revoked optional scopes: the stored offline session and the shop follow. */
export const handleScopesUpdate: ShopifyWebhookHandler = async (tx, webhook) => {
  const { current } = parseWebhookPayload(ScopesUpdatePayload, webhook);
  const scope = current.join(",");
  await tx.session.updateMany({ where: { shop: webhook.shop, isOnline: false }, data: { scope } });
  await tx.shop.updateMany({ where: { id: webhook.shop }, data: { scopes: scope } });
};
