import {
  GraphqlQueryError,
  HttpMaxRetriesError,
  HttpRequestError,
  HttpResponseError,
  HttpRetriableError,
  HttpThrottlingError,
} from "@shopify/shopify-api";
import { SessionNotFoundError } from "@shopify/shopify-app-remix/server";
import { z } from "zod";
import { log } from "~/lib/log.server";
import {
  SHOPIFY_OPT_IN_LEVELS,
  SHOPIFY_SMS_STATES,
  type ShopifyConsentTarget,
  type ShopifySmsConsent,
  throttledForMs,
} from "~/domain/shopify-consent";

// The Admin GraphQL calls the consent sync makes, and what their failures mean. Callers pass the `admin` from
// `unauthenticated.admin(shop)` (the shop's offline session); tests pass the same thing pointed at the simulated store.

export interface AdminGraphql {
  graphql(query: string, options?: { variables?: Record<string, unknown> }): Promise<Response>;
}

export type ShopifyUserError = { field: string[] | null; message: string; code?: string | null };
export type ShopifyCustomer = { id: string; smsMarketingConsent: ShopifySmsConsent | null };
export type MutationResult = { ok: true; customer: ShopifyCustomer } | { ok: false; userErrors: ShopifyUserError[] };

const SmsConsent = z
  .object({ marketingState: z.enum(SHOPIFY_SMS_STATES), marketingOptInLevel: z.enum(SHOPIFY_OPT_IN_LEVELS).nullish() })
  .nullish()
  .transform((c) =>
    c ? { marketingState: c.marketingState, marketingOptInLevel: c.marketingOptInLevel ?? null } : null,
  );
const Customer = z.object({ id: z.string(), smsMarketingConsent: SmsConsent });
/** A mutation's `userErrors`, as Shopify sends them. */
export const UserErrors = z.array(
  z.object({
    field: z
      .array(z.string())
      .nullish()
      .transform((f) => f ?? null),
    message: z.string(),
    code: z.string().nullish(),
  }),
);

/** Runs an Admin GraphQL document and parses its `data` (client errors — THROTTLED, 5xx, network — are thrown). */
export async function runAdminQuery<S extends z.ZodType>(
  admin: AdminGraphql,
  query: string,
  variables: Record<string, unknown>,
  schema: S,
): Promise<z.infer<S>> {
  const response = await admin.graphql(query, { variables });
  const body = (await response.json()) as { data?: unknown };
  return schema.parse(body.data) as z.infer<S>;
}
const run = runAdminQuery;

const CUSTOMER_FIELDS = "id smsMarketingConsent { marketingState marketingOptInLevel }";

/** The shop's customer with this phone (E.164), if any. Shopify keeps phones unique per shop. */
export async function findCustomerByPhone(admin: AdminGraphql, phoneE164: string): Promise<ShopifyCustomer | null> {
  const data = await run(
    admin,
    `query ParleyCustomerByPhone($query: String!) { customers(first: 1, query: $query) { nodes { ${CUSTOMER_FIELDS} } } }`,
    { query: `phone:${phoneE164}` },
    z.object({ customers: z.object({ nodes: z.array(Customer) }) }),
  );
  return data.customers.nodes[0] ?? null;
}

export async function createCustomerWithConsent(
  admin: AdminGraphql,
  input: {
    phone: string;
    firstName?: string | null;
    lastName?: string | null;
    email?: string | null;
    consent: ShopifyConsentTarget;
    consentUpdatedAt: string;
  },
): Promise<MutationResult> {
  const data = await run(
    admin,
    `mutation ParleyCustomerCreate($input: CustomerInput!) {
      customerCreate(input: $input) { customer { ${CUSTOMER_FIELDS} } userErrors { field message } }
    }`,
    {
      input: {
        phone: input.phone,
        ...(input.firstName ? { firstName: input.firstName } : {}),
        ...(input.lastName ? { lastName: input.lastName } : {}),
        ...(input.email ? { email: input.email } : {}),
        smsMarketingConsent: { ...input.consent, consentUpdatedAt: input.consentUpdatedAt },
      },
    },
    z.object({ customerCreate: z.object({ customer: Customer.nullish(), userErrors: UserErrors }) }),
  );
  return settle(data.customerCreate);
}

export async function updateSmsConsent(
  admin: AdminGraphql,
  customerId: string,
  consent: ShopifyConsentTarget,
  consentUpdatedAt: string,
): Promise<MutationResult> {
  const data = await run(
    admin,
    `mutation ParleySmsConsentUpdate($input: CustomerSmsMarketingConsentUpdateInput!) {
      customerSmsMarketingConsentUpdate(input: $input) { customer { ${CUSTOMER_FIELDS} } userErrors { field code message } }
    }`,
    { input: { customerId, smsMarketingConsent: { ...consent, consentUpdatedAt } } },
    z.object({ customerSmsMarketingConsentUpdate: z.object({ customer: Customer.nullish(), userErrors: UserErrors }) }),
  );
  return settle(data.customerSmsMarketingConsentUpdate);
}

function settle(payload: { customer?: ShopifyCustomer | null; userErrors: ShopifyUserError[] }): MutationResult {
  if (payload.userErrors.length > 0 || !payload.customer) {
    return {
      ok: false,
      userErrors: payload.userErrors.length
        ? payload.userErrors
        : [{ field: null, message: "Shopify returned no customer" }],
    };
  }
  return { ok: true, customer: payload.customer };
}

/** "Customer not found" on the customer id: the linked customer was deleted or merged away. */
export function customerIsGone(userErrors: ShopifyUserError[]): boolean {
  return userErrors.some((e) => e.field?.includes("customerId") && /not (be )?found|does not exist/i.test(e.message));
}

/** customerCreate refused the phone as taken: someone created the customer meanwhile. */
export function phoneIsTaken(userErrors: ShopifyUserError[]): boolean {
  return userErrors.some((e) => e.field?.includes("phone") && /taken/i.test(e.message));
}

export function describeUserErrors(userErrors: ShopifyUserError[]): string {
  return userErrors.map((e) => (e.field?.length ? `${e.field.join(".")}: ${e.message}` : e.message)).join("; ");
}

export type ShopifyFailure =
  | { kind: "throttled"; retryAfterMs: number | null; reason: string }
  | { kind: "transient"; reason: string }
  | { kind: "not_installed"; reason: string } // no offline session, or its token is refused
  | { kind: "permanent"; reason: string };

/** What an error thrown by the Admin client means for a retry. */
export function classifyShopifyError(error: unknown): ShopifyFailure {
  if (error instanceof SessionNotFoundError)
    return { kind: "not_installed", reason: "the shop has no offline session (app uninstalled?)" };
  if (error instanceof GraphqlQueryError) {
    const body = error.body as
      | { errors?: { graphQLErrors?: Array<{ extensions?: { code?: string } }> }; extensions?: { cost?: unknown } }
      | undefined;
    const code = body?.errors?.graphQLErrors?.[0]?.extensions?.code;
    if (code === "THROTTLED")
      return {
        kind: "throttled",
        retryAfterMs: throttledForMs(body?.extensions?.cost),
        reason: "Shopify answered THROTTLED",
      };
    if (code === "INTERNAL_SERVER_ERROR")
      return { kind: "transient", reason: `Shopify GraphQL error: ${error.message}` };
    return { kind: "permanent", reason: `Shopify GraphQL error${code ? ` ${code}` : ""}: ${error.message}` };
  }
  if (error instanceof HttpThrottlingError) {
    const seconds = error.response.retryAfter as number | undefined;
    return { kind: "throttled", retryAfterMs: seconds ? seconds * 1000 : null, reason: "Shopify answered HTTP 429" };
  }
  if (error instanceof HttpRetriableError)
    return { kind: "transient", reason: `Shopify answered HTTP ${error.response.code}` };
  if (error instanceof HttpResponseError) {
    const code = error.response.code;
    if (code === 401 || code === 403)
      return { kind: "not_installed", reason: `Shopify refused the shop's access token (HTTP ${code})` };
    // The token refresh answers 400 invalid_grant once the app is uninstalled.
    if (code === 400 && /invalid_grant|invalid_subject_token/.test(JSON.stringify(error.response.body ?? ""))) {
      return { kind: "not_installed", reason: "Shopify refused to refresh the shop's access token" };
    }
    return code >= 500 || code === 408 || code === 429
      ? { kind: "transient", reason: `Shopify answered HTTP ${code}` }
      : { kind: "permanent", reason: `Shopify answered HTTP ${code}: ${error.message}` };
  }
  if (error instanceof HttpMaxRetriesError || error instanceof HttpRequestError)
    return { kind: "transient", reason: error.message };
  // fetch failures (connection refused, reset, DNS) and timeouts reach us as plain errors.
  if (error instanceof Error && /ECONN|ETIMEDOUT|EAI_AGAIN|socket hang up|fetch failed|network/i.test(error.message)) {
    return { kind: "transient", reason: error.message };
  }
  return { kind: "permanent", reason: error instanceof Error ? error.message : String(error) };
}

const TAGS_ADD = /* GraphQL */ `
  mutation ParleyTagsAdd($id: ID!, $tags: [String!]!) {
    tagsAdd(id: $id, tags: $tags) {
      userErrors {
        field
        message
      }
    }
  }
`;

/**
 * Labels the customer (e.g. where they signed up). Tags are for the merchant, never a condition for anything:
 * Shopify refusing them is logged, not thrown (client errors — THROTTLED, 5xx — still are).
 */
export async function addCustomerTags(admin: AdminGraphql, customerId: string, tags: string[]): Promise<void> {
  const data = await runAdminQuery(
    admin,
    TAGS_ADD,
    { id: customerId, tags },
    z.object({ tagsAdd: z.object({ userErrors: UserErrors }).nullish() }),
  );
  const errors = data.tagsAdd?.userErrors ?? [];
  if (errors.length > 0) log.warn("tagsAdd refused", { customerId, errors: errors.map((e) => e.message) });
}
