import type { Session } from "@shopify/shopify-api";
import { prisma } from "~/db.server";

// A shop row exists from the first authenticated request on; settings start from compliant defaults.
// An online session identifies the staff member, who then appears in assignment lists.
export async function onShopAuthenticated(session: Session) {
  await ensureShop(session.shop, session.scope);
  const user = session.onlineAccessInfo?.associated_user;
  if (session.isOnline && user) {
    await recordStaffMember(session.shop, {
      shopifyUserId: BigInt(user.id),
      firstName: user.first_name,
      lastName: user.last_name,
      email: user.email,
      accountOwner: user.account_owner,
    });
  }
}

export async function ensureShop(shopId: string, scopes?: string) {
  await prisma.shop.upsert({
    where: { id: shopId },
    create: { id: shopId, scopes, settings: { create: {} } },
    update: { uninstalledAt: null, ...(scopes ? { scopes } : {}) },
  });
  await prisma.shopSettings.upsert({ where: { shopId }, create: { shopId }, update: {} });
}

export async function recordStaffMember(
  shopId: string,
  staff: { shopifyUserId: bigint; firstName?: string; lastName?: string; email?: string; accountOwner?: boolean },
) {
  const fields = {
    firstName: staff.firstName ?? null,
    lastName: staff.lastName ?? null,
    email: staff.email ?? null,
    accountOwner: staff.accountOwner ?? false,
    lastSeenAt: new Date(),
  };
  return prisma.staffMember.upsert({
    where: { shopId_shopifyUserId: { shopId, shopifyUserId: staff.shopifyUserId } },
    create: { shopId, shopifyUserId: staff.shopifyUserId, ...fields },
    update: fields,
  });
}
