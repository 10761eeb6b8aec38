import tsconfigPaths from "vite-tsconfig-paths";
import { defineConfig } from "vitest/config";

// Unit tests sit beside the code (*.test.ts); integration tests (*.integration.test.ts) run against a real
// PostgreSQL that the suite starts itself, one fresh database per test file; e2e tests (*.e2e.ts) drive Chromium.
export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    include: ["app/**/*.test.ts", "test/**/*.test.ts", "test/**/*.e2e.ts"],
    globalSetup: ["test/setup/global-setup.ts"],
    setupFiles: ["test/setup/per-file-database.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    reporters: process.env.CI ? ["default"] : ["default"],
  },
});
