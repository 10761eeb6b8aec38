// The environment every test runs with: sandbox-style credentials that are fine to publish.
export const TEST_SHOPIFY_API_KEY = "parley-test-api-key";
export const TEST_SHOPIFY_API_SECRET = "parley-test-api-secret";
export const TEST_APP_URL = "https://parley.test";
export const TEST_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString("base64");

export function testEnvironment(): Record<string, string> {
  return {
    NODE_ENV: "test",
    SHOPIFY_API_KEY: TEST_SHOPIFY_API_KEY,
    SHOPIFY_API_SECRET: TEST_SHOPIFY_API_SECRET,
    SHOPIFY_APP_URL: TEST_APP_URL,
    PARLEY_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    PARLEY_RUN_WORKER: "0",
  };
}
