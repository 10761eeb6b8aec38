// Pre-bundles the browser dependencies (node_modules/.vite/deps) once, before the end-to-end tests start their dev
// servers. On a cold cache each dev server would optimise them while its first pages are already open, and Vite
// then reloads those pages: an embedded page reloaded mid-test loses its session-token parameters. Several e2e
// files starting at once would also race on the same cache directory. Warm, every server finds it ready.
import { existsSync } from "node:fs";
import path from "node:path";
import { createServer } from "vite";

const metadata = path.resolve("node_modules/.vite/deps/_metadata.json");
if (!existsSync(metadata)) {
  const started = Date.now();
  const vite = await createServer({ server: { middlewareMode: true, hmr: false }, logLevel: "warn" });
  while (!existsSync(metadata)) {
    if (Date.now() - started > 120_000) throw new Error("Vite did not pre-bundle the dependencies within 120 s");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await vite.close();
  console.log(`pre-bundled the browser dependencies in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
