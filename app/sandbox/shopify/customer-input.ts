import type { NewCustomer, ShopifyStore } from "./store";
import type { ConsentCollectedFrom, MarketingOptInLevel, SmsMarketingState } from "./types";

// Checks customerCreate input like Shopify: a customer needs a name, email or phone; email and phone must be valid
// and unique in the shop; SMS consent needs a phone. Phones are stored in E.164, as Shopify normalises them.

export interface UserErrorShape {
  field: string[] | null;
  message: string;
}

export interface SmsConsentInput {
  marketingState: SmsMarketingState;
  marketingOptInLevel?: MarketingOptInLevel | null;
  consentUpdatedAt?: string | null;
  sourceLocationId?: string | null;
}

export interface CustomerInput {
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  phone?: string | null;
  tags?: string[] | null;
  note?: string | null;
  locale?: string | null;
  addresses?: Array<{
    address1?: string | null;
    address2?: string | null;
    city?: string | null;
    countryCode?: string | null;
    firstName?: string | null;
    lastName?: string | null;
    phone?: string | null;
    provinceCode?: string | null;
    zip?: string | null;
  }> | null;
  smsMarketingConsent?: SmsConsentInput | null;
  emailMarketingConsent?: { marketingState: NewCustomer["emailMarketingState"] } | null;
}

/** E.164 for US/Canada-style input ("(305) 555-0101", "13055550101") or an already-international "+…" number. */
export function normalizePhone(raw: string): string | null {
  const trimmed = raw.trim();
  const digits = trimmed.replace(/\D/g, "");
  if (trimmed.startsWith("+")) return digits.length >= 8 && digits.length <= 15 ? `+${digits}` : null;
  if (digits.length === 10) return `+1${digits}`;
  if (digits.length === 11 && digits.startsWith("1")) return `+${digits}`;
  return null;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function validateCustomerCreate(
  input: CustomerInput,
  store: ShopifyStore,
  collectedFrom: ConsentCollectedFrom,
): { ok: true; customer: NewCustomer } | { ok: false; userErrors: UserErrorShape[] } {
  const errors: UserErrorShape[] = [];
  const email = input.email?.trim() || null;
  let phone: string | null = null;
  if (!email && !input.phone?.trim() && !input.firstName?.trim() && !input.lastName?.trim()) {
    errors.push({ field: null, message: "A name, phone number, or email address must be present" });
  }
  if (email) {
    if (!EMAIL.test(email)) errors.push({ field: ["email"], message: "Email is invalid" });
    else if (store.state.customers.some((c) => c.email?.toLowerCase() === email.toLowerCase())) {
      errors.push({ field: ["email"], message: "Email has already been taken" });
    }
  }
  if (input.phone?.trim()) {
    phone = normalizePhone(input.phone);
    if (!phone) errors.push({ field: ["phone"], message: "Phone is invalid" });
    else if (store.customerByPhone(phone)) errors.push({ field: ["phone"], message: "Phone has already been taken" });
  }
  if (input.smsMarketingConsent && !input.phone?.trim()) {
    errors.push({
      field: ["smsMarketingConsent"],
      message: "A phone number is required to set the SMS consent state.",
    });
  }
  if (errors.length) return { ok: false, userErrors: errors };
  const address = input.addresses?.[0];
  return {
    ok: true,
    customer: {
      firstName: input.firstName ?? "",
      lastName: input.lastName ?? "",
      email,
      phone,
      tags: input.tags ?? [],
      note: input.note ?? null,
      locale: input.locale ?? "en",
      smsConsent: input.smsMarketingConsent
        ? {
            marketingState: input.smsMarketingConsent.marketingState,
            marketingOptInLevel: input.smsMarketingConsent.marketingOptInLevel ?? "SINGLE_OPT_IN",
            consentUpdatedAt: input.smsMarketingConsent.consentUpdatedAt
              ? new Date(input.smsMarketingConsent.consentUpdatedAt).toISOString()
              : null,
            consentCollectedFrom: collectedFrom,
          }
        : undefined,
      emailMarketingState: input.emailMarketingConsent?.marketingState ?? "NOT_SUBSCRIBED",
      address: address
        ? {
            firstName: address.firstName ?? input.firstName ?? "",
            lastName: address.lastName ?? input.lastName ?? "",
            address1: address.address1 ?? "",
            address2: address.address2 ?? null,
            city: address.city ?? "",
            province: address.provinceCode ?? "",
            provinceCode: address.provinceCode ?? "",
            country: address.countryCode === "US" || !address.countryCode ? "United States" : address.countryCode,
            countryCode: address.countryCode ?? "US",
            zip: address.zip ?? "",
            phone: address.phone ? normalizePhone(address.phone) : phone,
          }
        : null,
    },
  };
}
