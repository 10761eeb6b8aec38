import type { RequestHandler, Response } from "express";
import { SANDBOX_APP_BRIDGE_PATH } from "./app-bridge-standin";

// `addDocumentResponseHeaders` answers every embedded document with
//   Content-Security-Policy: frame-ancestors https://{shop} https://admin.shopify.com …;
// which is right in production and forbids the sandbox admin shell (same origin as the app) from framing it.
// In sandbox mode only, this adds 'self' to that directive as the header is written, wherever it comes from
// (Remix's response, the library's bounce page). The same documents carry
//   Link: <https://cdn.shopify.com/shopifycloud/app-bridge.js>; rel="preload"; as="script";
// which offline can only fail: it is pointed at the local App Bridge stand-in instead. Nothing else changes.

const CSP = "content-security-policy";
const LINK = "link";
const CDN_APP_BRIDGE = "https://cdn.shopify.com/shopifycloud/app-bridge.js";

export function withSelfFrameAncestor(policy: string): string {
  return policy.replace(/(^|;)(\s*frame-ancestors)([^;]*)/i, (whole, start: string, name: string, sources: string) => {
    const list = sources.trim().split(/\s+/).filter(Boolean);
    if (list.includes("'self'")) return whole;
    const rest = list.filter((source) => source !== "'none'"); // 'none' cannot be combined with other sources
    return `${start}${name} 'self'${rest.length ? ` ${rest.join(" ")}` : ""}`;
  });
}

export function withLocalAppBridgePreload(link: string, standInPath = SANDBOX_APP_BRIDGE_PATH): string {
  return link.split(CDN_APP_BRIDGE).join(standInPath);
}

function patchValue(name: string, value: unknown): unknown {
  const lower = name.toLowerCase();
  const patch =
    lower === CSP ? withSelfFrameAncestor : lower === LINK ? (v: string) => withLocalAppBridgePreload(v) : null;
  if (!patch) return value;
  if (typeof value === "string") return patch(value);
  if (Array.isArray(value)) return value.map((v) => (typeof v === "string" ? patch(v) : v));
  return value;
}

export function allowSandboxFraming(): RequestHandler {
  return (_req, res, next) => {
    const setHeader = res.setHeader.bind(res);
    res.setHeader = ((name: string, value: number | string | readonly string[]) =>
      setHeader(name, patchValue(name, value) as string)) as Response["setHeader"];

    const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => Response;
    res.writeHead = ((...args: unknown[]) => {
      // writeHead(status, [reason], [headers]): headers may be an object or a flat [name, value, …] array.
      const index = args.findIndex((arg, i) => i > 0 && typeof arg === "object" && arg !== null);
      if (index > 0) {
        const headers = args[index];
        if (Array.isArray(headers)) {
          args[index] = headers.map((entry: unknown, i: number) =>
            i % 2 === 1 ? patchValue(String(headers[i - 1]), entry) : entry,
          );
        } else {
          args[index] = Object.fromEntries(
            Object.entries(headers as Record<string, unknown>).map(([name, value]) => [name, patchValue(name, value)]),
          );
        }
      }
      return writeHead(...args);
    }) as Response["writeHead"];

    next();
  };
}
