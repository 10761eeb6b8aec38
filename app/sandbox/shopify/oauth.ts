import { randomBytes, timingSafeEqual } from "node:crypto";
import { jwtVerify } from "jose";
import type { ShopifyStore } from "./store";
import type { AccessTokenRecord } from "./types";

// Shopify's token endpoint (`POST /admin/oauth/access_token`) as @shopify/shopify-api calls it: token exchange of a
// session token (id_token) for an offline or online access token, migration of a non-expiring offline token to an
// expiring one, and the refresh_token grant. Errors use OAuth's shape ({ error, error_description }) and the
// statuses the library reacts to: 400 `invalid_subject_token` makes shopify-app-remix ask App Bridge for a new
// session token, anything else surfaces as a failed request.

export const TOKEN_EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
export const ID_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:id_token";
export const ONLINE_TOKEN_TYPE = "urn:shopify:params:oauth:token-type:online-access-token";
export const OFFLINE_TOKEN_TYPE = "urn:shopify:params:oauth:token-type:offline-access-token";

/** Expiring offline tokens live an hour; refresh tokens 90 days; online tokens a day. */
export const OFFLINE_TOKEN_TTL_SECONDS = 3600;
export const REFRESH_TOKEN_TTL_SECONDS = 90 * 24 * 3600;
export const ONLINE_TOKEN_TTL_SECONDS = 86_399;

export interface OAuthConfig {
  apiKey: string;
  apiSecret: string;
  scopes: string;
}

export interface OAuthResult {
  status: number;
  body: Record<string, unknown>;
}

const oauthError = (status: number, error: string, description: string): OAuthResult => ({
  status,
  body: { error, error_description: description },
});

function sameSecret(given: unknown, expected: string): boolean {
  if (typeof given !== "string") return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

const secondsFrom = (now: Date, seconds: number) => new Date(now.getTime() + seconds * 1000).toISOString();
const newToken = (prefix: string) => `${prefix}${randomBytes(16).toString("hex")}`;

function issueOffline(store: ShopifyStore, shop: string, scope: string, expiring: boolean): AccessTokenRecord {
  const now = store.now();
  if (!expiring) {
    // Shopify hands back the same non-expiring offline token on every exchange until it is revoked.
    const existing = store.state.accessTokens.find(
      (t) => t.shop === shop && t.kind === "offline" && !t.expiresAt && !t.revoked,
    );
    if (existing) return existing;
  }
  const record: AccessTokenRecord = {
    token: newToken("shpat_"),
    shop,
    kind: "offline",
    scope,
    issuedAt: now.toISOString(),
    expiresAt: expiring ? secondsFrom(now, OFFLINE_TOKEN_TTL_SECONDS) : null,
    refreshToken: expiring ? newToken("shprt_") : null,
    refreshTokenExpiresAt: expiring ? secondsFrom(now, REFRESH_TOKEN_TTL_SECONDS) : null,
    userId: null,
    revoked: false,
  };
  store.state.accessTokens.push(record);
  store.changed();
  return record;
}

function offlineBody(record: AccessTokenRecord, now: Date): Record<string, unknown> {
  return {
    access_token: record.token,
    scope: record.scope,
    ...(record.expiresAt && record.refreshToken && record.refreshTokenExpiresAt
      ? {
          expires_in: Math.round((Date.parse(record.expiresAt) - now.getTime()) / 1000),
          refresh_token: record.refreshToken,
          refresh_token_expires_in: Math.round((Date.parse(record.refreshTokenExpiresAt) - now.getTime()) / 1000),
        }
      : {}),
  };
}

function onlineBody(store: ShopifyStore, record: AccessTokenRecord): Record<string, unknown> {
  const userId = record.userId ?? 0;
  // The sandbox has one staff account; its name is the shop owner's so the inbox shows a believable assignee.
  const [firstName, ...rest] = store.shop.shopOwner.split(" ");
  return {
    access_token: record.token,
    scope: record.scope,
    expires_in: ONLINE_TOKEN_TTL_SECONDS,
    associated_user_scope: record.scope,
    session: randomBytes(16).toString("hex"),
    account_number: 1,
    associated_user: {
      id: userId,
      first_name: firstName,
      last_name: rest.join(" "),
      email: store.shop.email,
      email_verified: true,
      account_owner: true,
      locale: "en",
      collaborator: false,
    },
  };
}

async function exchangeSessionToken(
  store: ShopifyStore,
  shop: string,
  params: Record<string, unknown>,
  config: OAuthConfig,
): Promise<OAuthResult> {
  let payload: Record<string, unknown>;
  try {
    const verified = await jwtVerify(String(params.subject_token ?? ""), new TextEncoder().encode(config.apiSecret), {
      algorithms: ["HS256"],
      audience: config.apiKey,
      clockTolerance: 10,
      currentDate: store.now(),
    });
    payload = verified.payload as Record<string, unknown>;
  } catch (error) {
    return oauthError(
      400,
      "invalid_subject_token",
      `The session token could not be verified: ${(error as Error).message}`,
    );
  }
  let destHost = "";
  try {
    destHost = new URL(String(payload.dest)).hostname;
  } catch {
    // handled below
  }
  if (destHost !== shop)
    return oauthError(400, "invalid_subject_token", "The session token was issued for another shop.");

  const requested = params.requested_token_type ?? OFFLINE_TOKEN_TYPE;
  const now = store.now();
  if (requested === OFFLINE_TOKEN_TYPE) {
    const record = issueOffline(
      store,
      shop,
      config.scopes,
      params.expiring === "1" || params.expiring === 1 || params.expiring === true,
    );
    return { status: 200, body: offlineBody(record, now) };
  }
  if (requested === ONLINE_TOKEN_TYPE) {
    const userId = Number(payload.sub);
    if (!Number.isSafeInteger(userId))
      return oauthError(400, "invalid_subject_token", "The session token has no user (sub).");
    const record: AccessTokenRecord = {
      token: newToken("shpua_"),
      shop,
      kind: "online",
      scope: config.scopes,
      issuedAt: now.toISOString(),
      expiresAt: secondsFrom(now, ONLINE_TOKEN_TTL_SECONDS),
      refreshToken: null,
      refreshTokenExpiresAt: null,
      userId,
      revoked: false,
    };
    store.state.accessTokens.push(record);
    store.changed();
    return { status: 200, body: onlineBody(store, record) };
  }
  return oauthError(400, "invalid_request", `Unsupported requested_token_type: ${String(requested)}`);
}

function migrateOfflineToken(store: ShopifyStore, shop: string, params: Record<string, unknown>): OAuthResult {
  const old = store.state.accessTokens.find(
    (t) => t.token === params.subject_token && t.shop === shop && t.kind === "offline" && !t.revoked,
  );
  if (!old) return oauthError(400, "invalid_subject_token", "The offline access token is not valid for this shop.");
  if (old.expiresAt)
    return oauthError(400, "invalid_subject_token", "The offline access token is already an expiring token.");
  old.revoked = true;
  const record = issueOffline(store, shop, old.scope, true);
  return { status: 200, body: offlineBody(record, store.now()) };
}

function refresh(store: ShopifyStore, shop: string, params: Record<string, unknown>): OAuthResult {
  const now = store.now();
  const old = store.state.accessTokens.find(
    (t) => t.refreshToken !== null && t.refreshToken === params.refresh_token && t.shop === shop,
  );
  if (!old || old.revoked || !old.refreshTokenExpiresAt || Date.parse(old.refreshTokenExpiresAt) <= now.getTime()) {
    return oauthError(400, "invalid_grant", "The refresh token is invalid, expired or already used.");
  }
  // Rotation: the refresh token works once. The old access token keeps working until it expires, so requests
  // already in flight when the app refreshed do not fail.
  old.refreshToken = null;
  old.refreshTokenExpiresAt = null;
  store.changed();
  const record = issueOffline(store, shop, old.scope, true);
  return { status: 200, body: offlineBody(record, now) };
}

export async function handleAccessTokenRequest(
  store: ShopifyStore,
  shop: string,
  params: Record<string, unknown>,
  config: OAuthConfig,
): Promise<OAuthResult> {
  if (params.client_id !== config.apiKey || !sameSecret(params.client_secret, config.apiSecret)) {
    return oauthError(401, "invalid_client", "Client authentication failed: unknown client_id or wrong client_secret.");
  }
  switch (params.grant_type) {
    case TOKEN_EXCHANGE_GRANT:
      if (params.subject_token_type === ID_TOKEN_TYPE) return exchangeSessionToken(store, shop, params, config);
      if (params.subject_token_type === OFFLINE_TOKEN_TYPE) return migrateOfflineToken(store, shop, params);
      return oauthError(400, "invalid_request", `Unsupported subject_token_type: ${String(params.subject_token_type)}`);
    case "refresh_token":
      return refresh(store, shop, params);
    default:
      return oauthError(400, "unsupported_grant_type", `Unsupported grant_type: ${String(params.grant_type)}`);
  }
}

/** The access token record behind an `X-Shopify-Access-Token` header, if it is current for this shop. */
export function authenticateAccessToken(
  store: ShopifyStore,
  shop: string,
  token: string | undefined,
): AccessTokenRecord | null {
  if (!token) return null;
  const record = store.state.accessTokens.find((t) => t.token === token);
  if (!record || record.revoked || record.shop !== shop) return null;
  if (record.expiresAt && Date.parse(record.expiresAt) <= store.now().getTime()) return null;
  return record;
}
