import type { Session } from "@shopify/shopify-api";
import { prisma } from "~/db.server";
import { recordStaffMember } from "~/services/shops.server";

// Staff are the shop's Shopify users, known from their online sessions (Shopify has no staff list for apps
// without read_users). Each request that carries an online token names its user; the row is refreshed from it.

export type StaffRef = { id: string; name: string };
export type StaffListItem = StaffRef & { email: string | null; accountOwner: boolean };

// lastSeenAt is for "who is around"; writing it on every page load would cost a write per request for nothing.
const SEEN_REFRESH_MS = 5 * 60_000;

export function staffName(staff: { firstName: string | null; lastName: string | null; email?: string | null }): string {
  const name = [staff.firstName, staff.lastName]
    .filter((p) => p && p.trim())
    .join(" ")
    .trim();
  return name || staff.email || "Staff member";
}

/** The staff member behind an online session (upserted from `associated_user`), or null for an offline session. */
export async function currentStaffMember(session: Session, shopId: string, now = new Date()) {
  const user = session.onlineAccessInfo?.associated_user;
  if (!session.isOnline || !user) return null;
  const shopifyUserId = BigInt(user.id);
  const existing = await prisma.staffMember.findUnique({
    where: { shopId_shopifyUserId: { shopId, shopifyUserId } },
  });
  const unchanged =
    existing &&
    existing.firstName === (user.first_name ?? null) &&
    existing.lastName === (user.last_name ?? null) &&
    existing.email === (user.email ?? null) &&
    existing.accountOwner === (user.account_owner ?? false) &&
    now.getTime() - existing.lastSeenAt.getTime() < SEEN_REFRESH_MS;
  if (unchanged) return existing;
  return recordStaffMember(shopId, {
    shopifyUserId,
    firstName: user.first_name,
    lastName: user.last_name,
    email: user.email,
    accountOwner: user.account_owner,
  });
}

/** Everyone who can be assigned a conversation in this shop, by name. */
export async function listStaff(shopId: string): Promise<StaffListItem[]> {
  const rows = await prisma.staffMember.findMany({
    where: { shopId },
    select: { id: true, firstName: true, lastName: true, email: true, accountOwner: true },
    orderBy: [{ firstName: "asc" }, { lastName: "asc" }],
    take: 200,
  });
  return rows.map((row) => ({ id: row.id, name: staffName(row), email: row.email, accountOwner: row.accountOwner }));
}
