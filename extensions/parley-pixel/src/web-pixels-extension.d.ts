// The one export of @shopify/web-pixels-extension this extension uses, typed for the app's own type check: the
// package is a dependency of the extension (its package.json, built by the Shopify CLI), not of the app.
declare module "@shopify/web-pixels-extension" {
  import type { PixelApi } from "./pixel";
  export function register(extend: (api: PixelApi) => void): void;
}
