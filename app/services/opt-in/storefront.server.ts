import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js/max";
import { prisma } from "~/db.server";
import { buildDisclosure, defaultPolicyUrls, type Disclosure } from "~/domain/opt-in-disclosure";
import { maskPhone } from "~/domain/phone";
import {
  FORM_MESSAGES,
  outcomeMessage,
  resolveLink,
  validateSubscribeRequest,
  type FieldErrors,
  type OptInOutcome,
} from "~/domain/storefront-opt-in";
import { log } from "~/lib/log.server";
import { hitRateLimit, type RateLimitRule } from "~/services/rate-limit.server";
import { defaultSendingNumber, programOf } from "~/services/sms/shop-context.server";
import { OptInError, startOptIn } from "./start.server";

// The storefront sign-up behind the app proxy (/apps/parley/*): the form's configuration (the disclosure it must
// show and its version) and the submission itself — rate limits, validation, the disclosure check, then the
// opt-in with its evidence. The routes only authenticate the proxy signature and shape the answer.

/** Per shop: a shopper's address may try 10 times a minute; one number may be submitted 3 times an hour. */
export const STOREFRONT_LIMITS = {
  perIp: { limit: 10, windowSeconds: 60 },
  perNumber: { limit: 3, windowSeconds: 3600 },
} as const;

export interface LinkOverrides {
  termsUrl?: string | null;
  privacyUrl?: string | null;
}

export interface StorefrontConfig {
  enabled: boolean;
  brandName: string;
  defaultCountry: CountryCode;
  disclosure: Disclosure;
}

export type SubscribeResult =
  | { status: 200; ok: true; outcome: OptInOutcome; message: string }
  | { status: 400; ok: false; message: string; fieldErrors: FieldErrors; disclosure: Disclosure }
  | { status: 403; ok: false; message: string }
  | { status: 409; ok: false; message: string; disclosure: Disclosure }
  | { status: 429; ok: false; message: string; retryAfterSeconds: number };

export interface StorefrontSubmission {
  shopId: string;
  body: unknown;
  ipAddress: string | null;
  userAgent: string | null;
  /** The app proxy's logged_in_customer_id, already as a gid. */
  shopifyCustomerId: string | null;
}

async function loadShopProgram(shopId: string) {
  const [shop, settings, number] = await Promise.all([
    prisma.shop.findUnique({ where: { id: shopId }, select: { name: true, uninstalledAt: true } }),
    prisma.shopSettings.findUnique({ where: { shopId } }),
    defaultSendingNumber(prisma, shopId),
  ]);
  return { shop, settings, storeNumber: number?.phoneE164 ?? null };
}

/** The country the store texts from (its sending number's), else the US: the form's default country. */
function countryOf(storeNumber: string | null): CountryCode {
  return (storeNumber && parsePhoneNumberFromString(storeNumber)?.country) || "US";
}

function disclosureFor(
  shopId: string,
  settings: NonNullable<Awaited<ReturnType<typeof loadShopProgram>>["settings"]>,
  shopName: string | null | undefined,
  overrides: LinkOverrides,
): Disclosure {
  const program = programOf(settings, shopName);
  const defaults = defaultPolicyUrls(shopId);
  const override = (value: string | null | undefined) => (value ? resolveLink(value, shopId) : null);
  return buildDisclosure({
    brandName: program.brandName,
    frequency: program.frequency,
    termsUrl: override(overrides.termsUrl) ?? program.termsUrl ?? defaults.termsUrl,
    privacyUrl: override(overrides.privacyUrl) ?? program.privacyUrl ?? defaults.privacyUrl,
  });
}

/** GET /apps/parley/config: what the form needs to show before the shopper consents. */
export async function loadStorefrontConfig(
  shopId: string,
  overrides: LinkOverrides = {},
): Promise<StorefrontConfig | null> {
  const { shop, settings, storeNumber } = await loadShopProgram(shopId);
  if (!settings || !shop || shop.uninstalledAt) return null;
  const disclosure = disclosureFor(shopId, settings, shop?.name, overrides);
  return {
    enabled: settings.optInFormEnabled,
    brandName: programOf(settings, shop?.name).brandName,
    defaultCountry: countryOf(storeNumber),
    disclosure,
  };
}

function rule(kind: "ip" | "phone", shopId: string, value: string): RateLimitRule {
  const limits = kind === "ip" ? STOREFRONT_LIMITS.perIp : STOREFRONT_LIMITS.perNumber;
  return { key: `optin:${kind}:${shopId}:${value}`, ...limits };
}

/** POST /apps/parley/subscribe. */
export async function subscribeFromStorefront(input: StorefrontSubmission): Promise<SubscribeResult> {
  const { shopId } = input;
  // The address is charged first, before any other work, so a flood of garbage costs one upsert per request.
  const byIp = await hitRateLimit(rule("ip", shopId, input.ipAddress ?? "unknown"));
  if (!byIp.allowed)
    return { status: 429, ok: false, message: FORM_MESSAGES.tooMany, retryAfterSeconds: byIp.retryAfterSeconds };

  const { shop, settings, storeNumber } = await loadShopProgram(shopId);
  if (!settings?.optInFormEnabled || !shop || shop.uninstalledAt)
    return { status: 403, ok: false, message: FORM_MESSAGES.formOff };

  const validation = validateSubscribeRequest(input.body, {
    shopDomain: shopId,
    defaultCountry: countryOf(storeNumber),
  });
  const submitted = validation.ok ? validation.data : null;
  const disclosure = disclosureFor(shopId, settings, shop?.name, {
    termsUrl: submitted?.termsUrl,
    privacyUrl: submitted?.privacyUrl,
  });
  if (!validation.ok) {
    const message = Object.values(validation.fieldErrors)[0] ?? FORM_MESSAGES.consentMissing;
    return { status: 400, ok: false, message, fieldErrors: validation.fieldErrors, disclosure };
  }
  const data = validation.data;
  // The shopper agreed to the text their page showed; if that is not today's text, they must see the new one.
  if (data.disclosureVersion !== disclosure.version) {
    return { status: 409, ok: false, message: FORM_MESSAGES.termsChanged, disclosure };
  }

  const byNumber = await hitRateLimit(rule("phone", shopId, data.phoneE164));
  if (!byNumber.allowed) {
    return { status: 429, ok: false, message: FORM_MESSAGES.tooMany, retryAfterSeconds: byNumber.retryAfterSeconds };
  }

  let result: Awaited<ReturnType<typeof startOptIn>>;
  try {
    result = await startOptIn({
      shopId,
      phoneE164: data.phoneE164,
      source: data.source,
      evidence: {
        ipAddress: input.ipAddress,
        userAgent: input.userAgent,
        pageUrl: data.pageUrl,
        shopifyCustomerId: input.shopifyCustomerId,
        disclosureText: disclosure.text,
        disclosureVersion: disclosure.version,
      },
    });
  } catch (error) {
    if (!(error instanceof OptInError)) throw error;
    if (error.code === "unknown_shop") return { status: 403, ok: false, message: FORM_MESSAGES.formOff };
    return { status: 400, ok: false, message: error.message, fieldErrors: { phone: error.message }, disclosure };
  }
  log.info("storefront opt-in", {
    shopId,
    phone: maskPhone(data.phoneE164),
    source: data.source,
    outcome: result.outcome,
  });
  return { status: 200, ok: true, outcome: result.outcome, message: outcomeMessage(result.outcome, storeNumber) };
}
