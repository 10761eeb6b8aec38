import { shopifyApi, LogSeverity } from "@shopify/shopify-api";
import "@shopify/shopify-api/adapters/node";
import { decodeJwt } from "jose";
import { describe, expect, test } from "vitest";
import { adminHost, adminPathForAppPath, appPathForAdminPath, embeddedAppUrl } from "./admin-shell";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { allowSandboxFraming, withLocalAppBridgePreload, withSelfFrameAncestor } from "./frame-ancestors";
import { mintSessionToken } from "./session-token.server";

const shop = "parley-demo.myshopify.com";
const apiKey = "sandbox-key";
const apiSecret = "sandbox-secret-0123456789";

const api = shopifyApi({
  apiKey,
  apiSecretKey: apiSecret,
  hostName: "localhost:3000",
  hostScheme: "http",
  isEmbeddedApp: true,
  apiVersion: "2025-10" as never,
  logger: { level: LogSeverity.Error },
});

describe("mintSessionToken", () => {
  test("makes a token Shopify's own library accepts, with Shopify's claims", async () => {
    const token = await mintSessionToken({ shop, apiKey, apiSecret, userId: 42 });
    const payload = await api.session.decodeSessionToken(token);
    expect(payload).toMatchObject({ iss: `https://${shop}/admin`, dest: `https://${shop}`, aud: apiKey, sub: "42" });
    expect(payload.exp - payload.iat).toBe(60);
    expect(payload.nbf).toBe(payload.iat);
    expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(typeof payload.sid).toBe("string");
    expect(api.session.getJwtSessionId(new URL(payload.dest).hostname, payload.sub)).toBe(`${shop}_42`);
  });

  test("each token is unique (jti) and carries the given session id", async () => {
    const a = decodeJwt(await mintSessionToken({ shop, apiKey, apiSecret, userId: 1, sessionId: "sid-1" }));
    const b = decodeJwt(await mintSessionToken({ shop, apiKey, apiSecret, userId: 1, sessionId: "sid-1" }));
    expect(a.jti).not.toBe(b.jti);
    expect(a.sid).toBe("sid-1");
  });

  test("is refused when signed with another secret or expired", async () => {
    const forged = await mintSessionToken({ shop, apiKey, apiSecret: "another-secret", userId: 1 });
    await expect(api.session.decodeSessionToken(forged)).rejects.toThrow();
    const old = await mintSessionToken({
      shop,
      apiKey,
      apiSecret,
      userId: 1,
      issuedAt: Math.floor(Date.now() / 1000) - 600,
    });
    await expect(api.session.decodeSessionToken(old)).rejects.toThrow();
  });
});

describe("admin shell URLs", () => {
  test("host is what Shopify admin sends and the library accepts", () => {
    const host = adminHost(shop);
    expect(Buffer.from(host, "base64").toString()).toBe("admin.shopify.com/store/parley-demo");
    expect(api.utils.sanitizeHost(host)).toBe(host);
  });

  test("the iframe gets embedded=1, shop, host, id_token and locale", () => {
    const url = new URL(embeddedAppUrl({ appUrl: "http://localhost:3000", path: "/app/settings", shop, token: "t" }));
    expect(url.pathname).toBe("/app/settings");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      embedded: "1",
      shop,
      host: adminHost(shop),
      id_token: "t",
      locale: "en",
    });
  });

  test("admin paths map to app paths and back", () => {
    expect(appPathForAdminPath("")).toBe("/app");
    expect(appPathForAdminPath("/")).toBe("/app");
    expect(appPathForAdminPath("/settings")).toBe("/app/settings");
    expect(adminPathForAppPath("/app")).toBe("/sandbox/admin");
    expect(adminPathForAppPath("/app/settings?tab=2")).toBe("/sandbox/admin/settings?tab=2");
    expect(adminPathForAppPath("/auth/login")).toBe("/sandbox/admin");
  });
});

describe("withSelfFrameAncestor", () => {
  test("adds 'self' to the library's frame-ancestors and leaves the rest alone", () => {
    const policy =
      "frame-ancestors https://parley-demo.myshopify.com https://admin.shopify.com https://*.spin.dev https://admin.myshopify.io https://admin.shop.dev;";
    expect(withSelfFrameAncestor(policy)).toBe(
      "frame-ancestors 'self' https://parley-demo.myshopify.com https://admin.shopify.com https://*.spin.dev https://admin.myshopify.io https://admin.shop.dev;",
    );
    expect(withSelfFrameAncestor("default-src 'self'; frame-ancestors https://a.example")).toBe(
      "default-src 'self'; frame-ancestors 'self' https://a.example",
    );
    expect(withSelfFrameAncestor("frame-ancestors 'none';")).toBe("frame-ancestors 'self';");
    expect(withSelfFrameAncestor("frame-ancestors 'self' https://x")).toBe("frame-ancestors 'self' https://x");
    expect(withSelfFrameAncestor("default-src 'self'")).toBe("default-src 'self'");
  });
});

describe("withLocalAppBridgePreload", () => {
  test("points the library's preload hint at the stand-in", () => {
    expect(
      withLocalAppBridgePreload('<https://cdn.shopify.com/shopifycloud/app-bridge.js>; rel="preload"; as="script";'),
    ).toBe('</sandbox/app-bridge.js>; rel="preload"; as="script";');
    expect(withLocalAppBridgePreload("<https://example.com/x.css>; rel=preload")).toBe(
      "<https://example.com/x.css>; rel=preload",
    );
  });
});

describe("allowSandboxFraming", () => {
  test("patches the headers however the response writes them", async () => {
    const csp = "frame-ancestors https://parley-demo.myshopify.com https://admin.shopify.com;";
    const app = express();
    app.use(allowSandboxFraming());
    app.get("/set", (_req, res) => {
      res.set("Content-Security-Policy", csp);
      res.append("Link", '<https://cdn.shopify.com/shopifycloud/app-bridge.js>; rel="preload"; as="script";');
      res.send("ok");
    });
    app.get("/write-head", (_req, res) => {
      res.writeHead(200, { "content-security-policy": csp, "x-other": "kept" });
      res.end("ok");
    });
    app.get("/write-head-array", (_req, res) => {
      res.writeHead(200, ["Content-Security-Policy", csp]);
      res.end("ok");
    });
    const server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, "127.0.0.1", () => resolve(s));
    });
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const set = await fetch(`${base}/set`);
      expect(set.headers.get("content-security-policy")).toBe(
        "frame-ancestors 'self' https://parley-demo.myshopify.com https://admin.shopify.com;",
      );
      expect(set.headers.get("link")).toBe('</sandbox/app-bridge.js>; rel="preload"; as="script";');
      const head = await fetch(`${base}/write-head`);
      expect(head.headers.get("content-security-policy")).toContain("frame-ancestors 'self' ");
      expect(head.headers.get("x-other")).toBe("kept");
      const array = await fetch(`${base}/write-head-array`);
      expect(array.headers.get("content-security-policy")).toContain("frame-ancestors 'self' ");
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
