import "@shopify/shopify-app-remix/adapters/node";
import { ApiVersion, AppDistribution, shopifyApp } from "@shopify/shopify-app-remix/server";
import { PrismaSessionStorage } from "./adapters/shopify/session-storage.server";
import { prisma } from "./db.server";
import { env } from "./env.server";
import { canRegisterWebPixel, registerWebPixel } from "./services/browse-events.server";
import { onShopAuthenticated } from "./services/shops.server";

const config = env();

const shopify = shopifyApp({
  apiKey: config.SHOPIFY_API_KEY,
  apiSecretKey: config.SHOPIFY_API_SECRET,
  apiVersion: ApiVersion.October25,
  scopes: config.SCOPES.split(","),
  appUrl: config.SHOPIFY_APP_URL,
  authPathPrefix: "/auth",
  sessionStorage: new PrismaSessionStorage(prisma),
  distribution: AppDistribution.AppStore,
  useOnlineTokens: true,
  future: {
    unstable_newEmbeddedAuthStrategy: true,
    expiringOfflineAccessTokens: true,
  },
  hooks: {
    afterAuth: async ({ session, admin }) => {
      await onShopAuthenticated(session);
      // Browse context: connect the storefront web pixel to this shop's token. Not awaited: auth never waits on it,
      // and it logs its own failure (the next auth tries again).
      if (canRegisterWebPixel(session.scope)) {
        void registerWebPixel(admin, session.shop, config.SHOPIFY_APP_URL).catch(() => {});
      }
    },
  },
});

export default shopify;
export const apiVersion = ApiVersion.October25;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = shopify.authenticate;
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const registerWebhooks = shopify.registerWebhooks;
export const sessionStorage = shopify.sessionStorage;
