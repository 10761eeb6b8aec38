import { mintSessionToken } from "~/sandbox/session-token.server";
import { TEST_APP_URL, TEST_SHOPIFY_API_KEY, TEST_SHOPIFY_API_SECRET } from "./test-env";

// Calling an embedded-app route's loader or action the way Remix does on a data request from the admin: a Bearer
// session token for the shop and staff member, a browser's User-Agent (a bot's gets 410), JSON for actions.

const BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36";

export async function adminRouteArgs(
  shop: string,
  path: string,
  options: { body?: unknown; userId?: number; params?: Record<string, string> } = {},
) {
  const token = await mintSessionToken({
    shop,
    apiKey: TEST_SHOPIFY_API_KEY,
    apiSecret: TEST_SHOPIFY_API_SECRET,
    userId: options.userId ?? 1,
  });
  const json = options.body !== undefined;
  const request = new Request(`${TEST_APP_URL}${path}`, {
    method: json ? "POST" : "GET",
    headers: {
      Authorization: `Bearer ${token}`,
      "User-Agent": BROWSER_UA,
      ...(json ? { "Content-Type": "application/json" } : {}),
    },
    body: json ? JSON.stringify(options.body) : undefined,
  });
  return { request, params: options.params ?? {}, context: {} };
}

/** A loader's or action's answer as status and body: a plain object, `data(body, init)`, or a thrown Response. */
export async function routeAnswer<T = Record<string, unknown>>(
  call: Promise<unknown>,
): Promise<{ status: number; body: T }> {
  let result: unknown;
  try {
    result = await call;
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown;
    result = thrown;
  }
  if (result instanceof Response) {
    const text = await result.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      /* not JSON: keep the text */
    }
    return { status: result.status, body: body as T };
  }
  if (result && typeof result === "object" && "init" in result && "data" in result) {
    const wrapped = result as { data: T; init: { status?: number } | null };
    return { status: wrapped.init?.status ?? 200, body: wrapped.data };
  }
  return { status: 200, body: result as T };
}
