import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

export default defineConfig({
  server: {
    hmr: process.env.PARLEY_HMR_PORT ? { port: Number(process.env.PARLEY_HMR_PORT) } : undefined,
    fs: { allow: ["app", "node_modules"] },
  },
  plugins: [
    remix({
      buildDirectory: process.env.PARLEY_BUILD_DIR ?? "build",
      ignoredRouteFiles: ["**/.*", "**/*.test.*"],
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_lazyRouteDiscovery: true,
        v3_singleFetch: true,
        v3_routeConfig: false,
      },
    }),
    tsconfigPaths(),
  ],
  build: { assetsInlineLimit: 0 },
  // The browser's dependencies, listed rather than discovered: discovery also crawls `.server` modules (pg-boss,
  // Prisma…), finishes after the first page load, and then reloads it mid-hydration ("Invalid hook call").
  optimizeDeps: {
    noDiscovery: true,
    include: [
      "react",
      "react/jsx-runtime",
      "react/jsx-dev-runtime",
      "react-dom",
      "react-dom/client",
      "@remix-run/react",
      "@shopify/polaris",
      "@shopify/polaris-icons",
      "@shopify/app-bridge-react",
      "@shopify/shopify-app-remix/react",
      "@shopify/shopify-app-remix/server",
    ],
  },
});
