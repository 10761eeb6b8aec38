import {
  type CodeDiscountInput,
  codeIsTaken,
  createCodeDiscount,
  createCustomer,
} from "~/adapters/shopify/admin-queries.server";
import {
  addCustomerTags,
  type AdminGraphql,
  describeUserErrors,
  findCustomerByPhone,
  phoneIsTaken,
  type ShopifyUserError,
} from "~/adapters/shopify/customer-consent.server";
import { prisma } from "~/db.server";
import { generateDiscountCode } from "~/domain/discount-code";
import type { Contact } from "~/generated/prisma/client.ts";

// The Admin API building blocks every customer-locked code needs (the composer's codes, the welcome code, a
// flow's offer): the contact's Shopify customer — linked, found by phone, or created — and a fresh code that
// only that customer can redeem, retried with another code when Shopify says the code is taken.

const CODE_ATTEMPTS = 3;

/** Shopify answered, and the answer is no (userErrors): retrying will not help. */
export class ShopifyRefused extends Error {}

/**
 * The contact's Shopify customer id, tagged with `tags`: the linked one, else the shop's customer with that
 * phone (then linked), else a new one made from the phone and names (then linked).
 */
export async function ensureShopifyCustomer(admin: AdminGraphql, contact: Contact, tags: string[]): Promise<string> {
  if (contact.shopifyCustomerId) {
    if (tags.length) await addCustomerTags(admin, contact.shopifyCustomerId, tags);
    return contact.shopifyCustomerId;
  }
  let customerId = (await findCustomerByPhone(admin, contact.phoneE164))?.id ?? null;
  if (customerId) {
    if (tags.length) await addCustomerTags(admin, customerId, tags);
  } else {
    const created = await createCustomer(admin, {
      phone: contact.phoneE164,
      firstName: contact.firstName,
      lastName: contact.lastName,
      tags,
    });
    if (created.ok) customerId = created.customer.id;
    // The consent sync created the customer meanwhile: use that one.
    else if (phoneIsTaken(created.userErrors))
      customerId = (await findCustomerByPhone(admin, contact.phoneE164))?.id ?? null;
    if (!customerId)
      throw new ShopifyRefused(
        `customerCreate: ${created.ok ? "no customer" : describeUserErrors(created.userErrors)}`,
      );
    if (!created.ok && tags.length) await addCustomerTags(admin, customerId, tags);
  }
  await prisma.contact.updateMany({
    where: { id: contact.id, shopId: contact.shopId, shopifyCustomerId: null },
    data: { shopifyCustomerId: customerId },
  });
  contact.shopifyCustomerId = customerId;
  return customerId;
}

export type UniqueCodeResult = { ok: true; id: string; code: string } | { ok: false; userErrors: ShopifyUserError[] };

/** What a code is, without its name: kept per kind (Omit over the union would drop `percent` and `amountCents`). */
export type CodeTerms = CodeDiscountInput extends infer T
  ? T extends unknown
    ? Omit<T, "code" | "title">
    : never
  : never;

/** A single-use, customer-locked code with a fresh name (`title` names the discount in Shopify's admin). */
export async function createUniqueCode(
  admin: AdminGraphql,
  input: CodeTerms & { brand: string; title: (code: string) => string },
): Promise<UniqueCodeResult> {
  const { brand, title, ...discount } = input;
  for (let attempt = 1; ; attempt++) {
    const code = generateDiscountCode(brand);
    const result = await createCodeDiscount(admin, { ...discount, code, title: title(code) } as CodeDiscountInput);
    if (result.ok) return { ok: true, id: result.id, code };
    if (!codeIsTaken(result.userErrors) || attempt >= CODE_ATTEMPTS)
      return { ok: false, userErrors: result.userErrors };
  }
}
