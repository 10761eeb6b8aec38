import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig, mergeConfig, type UserConfig } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";
import rootConfig from "../vite.config";

// The app's production build, written somewhere else (BENCH_BUILD_DIR) so the bench never touches build/.
// Same Remix options as ../vite.config.ts; only the build directory differs.
const { plugins: _plugins, ...rest } = rootConfig as UserConfig;

export default defineConfig(
  mergeConfig(rest, {
    root: new URL("..", import.meta.url).pathname,
    plugins: [
      remix({
        appDirectory: new URL("../app", import.meta.url).pathname,
        buildDirectory: process.env.BENCH_BUILD_DIR ?? "/tmp/parley-bench-build",
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
  }),
);
