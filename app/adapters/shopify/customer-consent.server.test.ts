import {
  GraphqlQueryError,
  HttpInternalError,
  HttpMaxRetriesError,
  HttpRequestError,
  HttpResponseError,
  HttpThrottlingError,
} from "@shopify/shopify-api";
import { SessionNotFoundError } from "@shopify/shopify-app-remix/server";
import { describe, expect, test } from "vitest";
import { classifyShopifyError, customerIsGone, describeUserErrors, phoneIsTaken } from "./customer-consent.server";

const graphqlError = (code: string, extensions: object = {}) =>
  new GraphqlQueryError({
    message: code,
    response: {} as Response,
    headers: {},
    body: { errors: { graphQLErrors: [{ message: code, extensions: { code } }] }, extensions },
  } as unknown as ConstructorParameters<typeof GraphqlQueryError>[0]);

const http = (code: number, body: unknown = {}) => ({
  message: `HTTP ${code}`,
  code,
  statusText: "",
  body: body as Record<string, unknown>,
  headers: {},
});

describe("classifyShopifyError", () => {
  test.each<[string, unknown, string]>([
    ["THROTTLED", graphqlError("THROTTLED"), "throttled"],
    ["HTTP 429", new HttpThrottlingError({ ...http(429), retryAfter: 2 }), "throttled"],
    ["HTTP 503", new HttpInternalError(http(503)), "transient"],
    ["GraphQL INTERNAL_SERVER_ERROR", graphqlError("INTERNAL_SERVER_ERROR"), "transient"],
    ["retries exhausted", new HttpMaxRetriesError("Attempted the maximum number of retries"), "transient"],
    ["no response", new HttpRequestError("Http request error, no response available"), "transient"],
    ["connection refused", new TypeError("fetch failed"), "transient"],
    ["no offline session", new SessionNotFoundError("Could not find a session for shop x"), "not_installed"],
    ["token refused", new HttpResponseError(http(401)), "not_installed"],
    ["refresh refused after uninstall", new HttpResponseError(http(400, { error: "invalid_grant" })), "not_installed"],
    ["missing scope", graphqlError("ACCESS_DENIED"), "permanent"],
    ["bad request", new HttpResponseError(http(422)), "permanent"],
    ["a bug", new Error("Cannot read properties of undefined"), "permanent"],
  ])("%s → %s", (_name, error, kind) => {
    expect(classifyShopifyError(error).kind).toBe(kind);
  });

  test("THROTTLED carries how long the cost bucket needs", () => {
    const error = graphqlError("THROTTLED", {
      cost: {
        requestedQueryCost: 310,
        throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 10, restoreRate: 100 },
      },
    });
    expect(classifyShopifyError(error)).toMatchObject({ kind: "throttled", retryAfterMs: 3_000 });
  });

  test("HTTP 429 honours Retry-After", () => {
    expect(classifyShopifyError(new HttpThrottlingError({ ...http(429), retryAfter: 2.5 }))).toMatchObject({
      retryAfterMs: 2_500,
    });
  });
});

describe("userErrors", () => {
  test("a linked customer that no longer exists", () => {
    expect(customerIsGone([{ field: ["input", "customerId"], message: "Customer not found" }])).toBe(true);
    expect(
      customerIsGone([
        {
          field: ["input", "smsMarketingConsent"],
          message: "A phone number is required to set the SMS consent state.",
        },
      ]),
    ).toBe(false);
  });

  test("a phone someone took meanwhile", () => {
    expect(phoneIsTaken([{ field: ["phone"], message: "Phone has already been taken" }])).toBe(true);
    expect(phoneIsTaken([{ field: ["phone"], message: "Phone is invalid" }])).toBe(false);
  });

  test("are described with their fields", () => {
    expect(
      describeUserErrors([
        { field: ["input", "smsMarketingConsent"], message: "A phone number is required" },
        { field: null, message: "Something else" },
      ]),
    ).toBe("input.smsMarketingConsent: A phone number is required; Something else");
  });
});
