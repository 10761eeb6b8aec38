import path from "node:path";
import type { Express } from "express";
import type { Env } from "~/env.server";
import { allowSandboxFraming } from "./frame-ancestors";
import { sandboxDataDir, SANDBOX_SHOP, SANDBOX_STORE_NUMBER, SANDBOX_TELNYX_API_KEY } from "./environment.server";
import { renderSandboxHome } from "./home-page";
import { adminShellHandler } from "./admin-shell";
import { appBridgeStandInSource, SANDBOX_APP_BRIDGE_PATH } from "./app-bridge-standin";
import { sessionTokenHandler } from "./session-token.server";
import { createShopifySimulator } from "./shopify/router";
import { installShopifyFetchSeam } from "./shopify/fetch-seam";
import { renderStoreControlPanel } from "./shopify/control-panel";
import { createTelnyxSimulator } from "./telnyx/router";
import { renderPhoneSimulator } from "./telnyx/phone-page";
import { ensureSandboxShop } from "./seed-app.server";
import { createStorefrontRouter } from "./storefront/router";
import { createFlowsSandboxRouter } from "./flows.server";

// Sandbox mode: the simulated store, phone network and admin shell share the app's port, under /sandbox.
export async function mountSandbox(app: Express, config: Env) {
  const dir = sandboxDataDir();
  const appUrl = config.SHOPIFY_APP_URL;
  const internalOrigin = `http://127.0.0.1:${config.PORT}`;

  app.use(allowSandboxFraming());

  const shopify = createShopifySimulator({
    apiKey: config.SHOPIFY_API_KEY,
    apiSecret: config.SHOPIFY_API_SECRET,
    appUrl: internalOrigin,
    dataFile: path.join(dir, "store.json"),
  });
  installShopifyFetchSeam(internalOrigin);

  const telnyx = createTelnyxSimulator({
    apiKey: SANDBOX_TELNYX_API_KEY,
    webhookUrl: `${internalOrigin}/webhooks/telnyx`,
    keysFile: path.join(dir, "telnyx-keys.json"),
    env: {
      TELNYX_PUBLIC_KEY: process.env.TELNYX_PUBLIC_KEY,
      SANDBOX_TELNYX_PRIVATE_KEY: process.env.SANDBOX_TELNYX_PRIVATE_KEY,
    },
    storeNumbers: () => [SANDBOX_STORE_NUMBER],
  });

  app.use("/sandbox/shopify", shopify.router);
  app.use("/sandbox/telnyx", telnyx.router);
  app.use("/sandbox/flows", createFlowsSandboxRouter(SANDBOX_SHOP));

  app.get("/sandbox", (_req, res) =>
    res.type("html").send(
      renderSandboxHome({
        shop: SANDBOX_SHOP,
        storeName: shopify.store.shop.name,
        storeNumber: SANDBOX_STORE_NUMBER,
        appUrl,
      }),
    ),
  );
  app.get(SANDBOX_APP_BRIDGE_PATH, (_req, res) => res.type("application/javascript").send(appBridgeStandInSource));
  app.get(
    "/sandbox/session-token",
    sessionTokenHandler({ apiKey: config.SHOPIFY_API_KEY, apiSecret: config.SHOPIFY_API_SECRET }),
  );
  app.get(
    ["/sandbox/admin", "/sandbox/admin/*"],
    adminShellHandler({
      shop: SANDBOX_SHOP,
      appUrl,
      apiKey: config.SHOPIFY_API_KEY,
      apiSecret: config.SHOPIFY_API_SECRET,
      storeName: () => shopify.store.shop.name,
    }),
  );
  app.get("/sandbox/phone", (_req, res) =>
    res.type("html").send(
      renderPhoneSimulator({
        shopperNumbers: shopify.store.customers
          .filter((c) => c.phone)
          .map((c) => ({ phone: c.phone!, name: `${c.firstName} ${c.lastName}` })),
        storeNumbers: [SANDBOX_STORE_NUMBER],
      }),
    ),
  );
  app.get("/sandbox/store", (_req, res) => res.type("html").send(renderStoreControlPanel(shopify.store)));
  const storefront = createStorefrontRouter({
    shop: SANDBOX_SHOP,
    store: shopify.store,
    appOrigin: internalOrigin,
    apiSecret: config.SHOPIFY_API_SECRET,
  });
  app.use("/sandbox/storefront", storefront.router);
  app.use("/apps/parley", storefront.proxy); // Shopify's app proxy, signed with the app's secret

  await ensureSandboxShop({
    shop: SANDBOX_SHOP,
    storeNumber: SANDBOX_STORE_NUMBER,
    storeName: shopify.store.shop.name,
  });

  return {
    shopify,
    telnyx,
    async close() {
      await shopify.close?.();
      await telnyx.close?.();
    },
  };
}
