import { randomUUID } from "node:crypto";
import type { RequestHandler } from "express";
import { SignJWT } from "jose";
import { SANDBOX_SHOP } from "./environment.server";

// Shopify admin hands the embedded app a session token (an "ID token"): an HS256 JWT signed with the app's
// API secret. The sandbox mints the same token with the sandbox secret, so `authenticate.admin` runs its real
// validation and token-exchange path instead of a sandbox shortcut.

export const SESSION_TOKEN_TTL_SECONDS = 60; // what Shopify issues
/** The sandbox admin's one staff account (a Shopify user id: a positive integer). */
export const SANDBOX_STAFF_USER_ID = 80740123401;

export interface MintSessionTokenInput {
  shop: string;
  apiKey: string;
  apiSecret: string;
  /** The staff member's Shopify user id (the token's `sub`). */
  userId: string | number;
  /** Shopify's per-user-and-app session id (`sid`); a stable one is derived when omitted. */
  sessionId?: string;
  /** Unix seconds; defaults to now (tests use it to mint expired tokens). */
  issuedAt?: number;
}

export async function mintSessionToken({
  shop,
  apiKey,
  apiSecret,
  userId,
  sessionId,
  issuedAt,
}: MintSessionTokenInput): Promise<string> {
  const iat = issuedAt ?? Math.floor(Date.now() / 1000);
  return new SignJWT({
    iss: `https://${shop}/admin`,
    dest: `https://${shop}`,
    aud: apiKey,
    sub: String(userId),
    exp: iat + SESSION_TOKEN_TTL_SECONDS,
    nbf: iat,
    iat,
    jti: randomUUID(),
    sid: sessionId ?? `sandbox-${shop}-${userId}`,
  })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .sign(new TextEncoder().encode(apiSecret));
}

export interface SessionTokenHandlerConfig {
  apiKey: string;
  apiSecret: string;
  /** The shops the sandbox plays admin for (default: the sandbox shop); tokens for any other are refused. */
  shops?: string[];
  /** The staff member the sandbox admin is signed in as (default: SANDBOX_STAFF_USER_ID). */
  userId?: string | number;
}

/** `GET /sandbox/session-token?shop=…` → `{ token }`: the App Bridge stand-in's source of fresh tokens. */
export function sessionTokenHandler(config: SessionTokenHandlerConfig): RequestHandler {
  const shops = config.shops ?? [SANDBOX_SHOP];
  const userId = config.userId ?? SANDBOX_STAFF_USER_ID;
  return async (req, res, next) => {
    try {
      const shop = typeof req.query.shop === "string" && req.query.shop ? req.query.shop : shops[0];
      if (!shops.includes(shop)) {
        res.status(400).json({ error: `The sandbox admin only signs in to ${shops.join(", ")}.` });
        return;
      }
      const token = await mintSessionToken({ shop, apiKey: config.apiKey, apiSecret: config.apiSecret, userId });
      res.set("Cache-Control", "no-store").json({ token });
    } catch (error) {
      next(error);
    }
  };
}
