import { normalizePhone } from "~/domain/phone";
import type { Prisma } from "~/generated/prisma/client.ts";

// Who a checkout or an order belongs to, as Parley knows shoppers: the Shopify customer, else any of the phones
// on it (the SMS phone, the order's, the customer's, the addresses').

export type Buyer = { customerId: string | null; phones: string[] };

type RestCustomer = { id: string; admin_graphql_api_id?: string | null } | null | undefined;

export function buyerOf(customer: RestCustomer, rawPhones: (string | null | undefined)[]): Buyer {
  const customerId = customer ? customer.admin_graphql_api_id || `gid://shopify/Customer/${customer.id}` : null;
  const phones = rawPhones.map((raw) => (raw ? normalizePhone(raw) : null)).flatMap((p) => (p?.ok ? [p.e164] : []));
  return { customerId, phones: [...new Set(phones)] };
}

/** The shop's contacts for that buyer, oldest first (the oldest contact of a customer wins, as everywhere). */
export async function contactsOfBuyer(tx: Prisma.TransactionClient, shopId: string, buyer: Buyer) {
  if (!buyer.customerId && buyer.phones.length === 0) return [];
  return tx.contact.findMany({
    where: {
      shopId,
      OR: [
        ...(buyer.customerId ? [{ shopifyCustomerId: buyer.customerId }] : []),
        ...(buyer.phones.length ? [{ phoneE164: { in: buyer.phones } }] : []),
      ],
    },
    orderBy: { createdAt: "asc" },
    select: { id: true },
  });
}
