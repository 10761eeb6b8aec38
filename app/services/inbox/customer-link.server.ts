import {
  createCustomer,
  type CustomerMatch,
  fetchCustomer,
  searchCustomers,
} from "~/adapters/shopify/admin-queries.server";
import type { AdminGraphql, ShopifyUserError } from "~/adapters/shopify/customer-consent.server";
import { prisma, transaction } from "~/db.server";
import { normalizePhone } from "~/domain/phone";
import { log } from "~/lib/log.server";
import { recordConversationEvent } from "./conversation-events.server";
import { invalidateStoreContext } from "./store-context.server";

// A shopper who texted first is not a Shopify customer yet. Staff link them to an existing customer (search by
// name, email or phone) or create one from the contact's phone and name. Either way the contact remembers the
// customer id, the thread's timeline says who did it, and open inbox pages hear about it.

export const PARLEY_CUSTOMER_TAG = "parley";

/** Shopify's customer search syntax from what staff typed: a phone in any notation becomes `phone:+1…`. */
export function customerSearchQuery(text: string): string | null {
  const trimmed = text.trim();
  if (!trimmed) return null;
  if (/^[+\d\s().-]{7,}$/.test(trimmed)) {
    const phone = normalizePhone(trimmed);
    if (phone.ok) return `phone:${phone.e164}`;
  }
  // Quotes, parentheses and colons are search syntax; staff typing a name never mean them.
  const words = trimmed
    .replace(/["'():\\]/g, " ")
    .split(/\s+/)
    .filter(Boolean);
  return words.length ? words.join(" ") : null;
}

export async function searchCustomersForLink(admin: AdminGraphql, text: string): Promise<CustomerMatch[]> {
  const query = customerSearchQuery(text);
  return query ? searchCustomers(admin, query) : [];
}

type Actor = { shopId: string; staffMemberId: string | null };

/**
 * A shopper who texts from the phone number of exactly one Shopify customer is that customer: link them without
 * asking staff (the timeline says Parley did it). No match, or several (a shared family phone), leaves the choice
 * to staff. Failures are logged and ignored: the panel then offers the manual link.
 */
export async function linkByPhoneIfUnique(input: {
  admin: AdminGraphql;
  shopId: string;
  conversationId: string;
}): Promise<boolean> {
  const conversation = await findConversation(input.shopId, input.conversationId);
  if (!conversation || conversation.contact.shopifyCustomerId) return false;
  try {
    const matches = await searchCustomers(input.admin, `phone:${conversation.contact.phoneE164}`);
    const same = matches.filter((m) => {
      const phone = m.phone ? normalizePhone(m.phone) : null;
      return phone?.ok === true && phone.e164 === conversation.contact.phoneE164;
    });
    if (same.length !== 1) return false;
    const customer = await fetchCustomer(input.admin, same[0]!.id);
    if (!customer) return false;
    await recordLink({ shopId: input.shopId, staffMemberId: null }, conversation, customer, false);
    return true;
  } catch (error) {
    if (error instanceof Response) throw error; // the session's token was refused: let authenticate's redirect through
    log.warn("automatic customer link by phone failed", { shopId: input.shopId, error });
    return false;
  }
}

async function findConversation(shopId: string, conversationId: string) {
  return prisma.conversation.findFirst({
    where: { id: conversationId, shopId },
    select: {
      id: true,
      contact: {
        select: { id: true, phoneE164: true, firstName: true, lastName: true, email: true, shopifyCustomerId: true },
      },
    },
  });
}

export type LinkResult =
  | { ok: true; customerId: string; created: boolean }
  | { ok: false; error: "not_found" }
  | { ok: false; error: "customer_not_found" }
  | { ok: false; error: "user_errors"; userErrors: ShopifyUserError[] };

/** Links the conversation's contact to an existing Shopify customer of this shop. */
export async function linkContactToCustomer(
  input: Actor & { admin: AdminGraphql; conversationId: string; customerId: string },
): Promise<LinkResult> {
  const conversation = await findConversation(input.shopId, input.conversationId);
  if (!conversation) return { ok: false, error: "not_found" };
  // The id comes from the browser: ask this shop's Shopify whether it is one of its customers.
  const customer = await fetchCustomer(input.admin, input.customerId);
  if (!customer) return { ok: false, error: "customer_not_found" };
  await recordLink(input, conversation, customer, false);
  return { ok: true, customerId: customer.id, created: false };
}

/** Creates a Shopify customer from the contact (phone, names, email; tagged "parley") and links it. */
export async function createCustomerForContact(
  input: Actor & { admin: AdminGraphql; conversationId: string },
): Promise<LinkResult> {
  const conversation = await findConversation(input.shopId, input.conversationId);
  if (!conversation) return { ok: false, error: "not_found" };
  const { contact } = conversation;
  const result = await createCustomer(input.admin, {
    phone: contact.phoneE164,
    firstName: contact.firstName,
    lastName: contact.lastName,
    email: contact.email,
    tags: [PARLEY_CUSTOMER_TAG],
  });
  if (!result.ok) return { ok: false, error: "user_errors", userErrors: result.userErrors };
  await recordLink(input, conversation, { ...result.customer, firstName: null, lastName: null }, true);
  return { ok: true, customerId: result.customer.id, created: true };
}

async function recordLink(
  actor: Actor,
  conversation: NonNullable<Awaited<ReturnType<typeof findConversation>>>,
  customer: CustomerMatch & { firstName: string | null; lastName: string | null },
  created: boolean,
) {
  const { contact } = conversation;
  await transaction(async (tx) => {
    await tx.contact.updateMany({
      where: { id: contact.id, shopId: actor.shopId },
      data: {
        shopifyCustomerId: customer.id,
        // Names and email the contact lacks come from the customer; what staff or the shopper gave wins.
        ...(!contact.firstName && customer.firstName ? { firstName: customer.firstName } : {}),
        ...(!contact.lastName && customer.lastName ? { lastName: customer.lastName } : {}),
        ...(!contact.email && customer.email ? { email: customer.email } : {}),
      },
    });
    // Also notifies open inbox pages (on commit).
    await recordConversationEvent(tx, {
      shopId: actor.shopId,
      conversationId: conversation.id,
      event: { kind: "customer_linked", data: { customerId: customer.id, created } },
      actorKind: actor.staffMemberId ? "STAFF" : "SYSTEM",
      actorStaffId: actor.staffMemberId,
    });
  });
  invalidateStoreContext(actor.shopId, contact.shopifyCustomerId);
  invalidateStoreContext(actor.shopId, customer.id);
}
