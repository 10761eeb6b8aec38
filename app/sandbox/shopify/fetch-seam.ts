// Every @shopify/shopify-api adapter calls setAbstractFetchFunc(fetch) when its module is first evaluated, so a
// seam installed before that is silently replaced. The app's adapter is the web-api one: @shopify/shopify-app-remix
// imports it (not the node adapter, whose request converters expect IncomingMessage and would break Remix's
// authenticate.*). Evaluating it here, before the seam is set, makes the order safe: ES modules run once, so the
// Remix build importing it later (server.ts loads the build after mounting the sandbox) cannot undo the seam.
import "@shopify/shopify-api/adapters/web-api";
import { abstractFetch, setAbstractFetchFunc, type AbstractFetchFunc } from "@shopify/shopify-api/runtime";

// Routes every HTTP call the Shopify libraries make to a shop's admin (token exchange, refresh, Admin GraphQL and
// REST) to the simulated store, by the library's own seam: @shopify/shopify-api sends all of them through the
// fetch function registered with setAbstractFetchFunc. App code is not touched and does not know.
//
// Note: GraphQL clients capture the fetch function when they are constructed, so install the seam at startup,
// before any client exists. It is a process-wide setting, like the adapter itself.

let installed: { origin: string; previous: AbstractFetchFunc; seam: AbstractFetchFunc } | undefined;

/** https://{shop}.myshopify.com/admin/… → {origin}/sandbox/shopify/{shop}.myshopify.com/admin/…; other URLs unchanged. */
export function rewriteShopifyUrl(url: string, simulatorOrigin: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  if (
    parsed.protocol !== "https:" ||
    !parsed.hostname.endsWith(".myshopify.com") ||
    !parsed.pathname.startsWith("/admin/")
  ) {
    return url;
  }
  return `${simulatorOrigin.replace(/\/$/, "")}/sandbox/shopify/${parsed.hostname}${parsed.pathname}${parsed.search}`;
}

function requestUrl(input: Parameters<AbstractFetchFunc>[0]): string {
  if (typeof input === "string") return input;
  if (input instanceof URL) return input.href;
  return input.url;
}

/**
 * Installs the seam (idempotent; a second call with another origin re-targets it). Returns a function that puts
 * back the fetch the seam replaced, for tests.
 */
export function installShopifyFetchSeam(simulatorOrigin: string): () => void {
  const previous = installed?.previous ?? abstractFetch;
  const seam: AbstractFetchFunc = (input, init) => {
    const original = requestUrl(input);
    const target = rewriteShopifyUrl(original, simulatorOrigin);
    if (target === original) return previous(input, init);
    return input instanceof Request ? previous(new Request(target, input), init) : previous(target, init);
  };
  installed = { origin: simulatorOrigin, previous, seam };
  setAbstractFetchFunc(seam);
  return () => {
    setAbstractFetchFunc(previous);
    installed = undefined;
  };
}

/** Whether Shopify's HTTP still goes through the seam (false if an adapter evaluated later replaced it). */
export function isShopifyFetchSeamActive(): boolean {
  return installed !== undefined && abstractFetch === installed.seam;
}
