import { register } from "@shopify/web-pixels-extension";
import { startPixel } from "./pixel";

// Shopify loads this in the strict pixel sandbox (a web worker) on every storefront page and checkout, once the
// shopper allows analytics (see [customer_privacy] in shopify.extension.toml).
register((api) => startPixel(api));
