import { spawn, type ChildProcess } from "node:child_process";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type BrowserContext, type FrameLocator, type Page } from "playwright-core";

// End-to-end tests run the real server (`tsx server.ts`) in sandbox mode on a free port, against the test file's
// own database, and drive Debian's Chromium with playwright-core.

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const SCREENSHOT_DIR = path.join(ROOT, "test-results", "screenshots");

export interface RunningParley {
  baseUrl: string;
  port: number;
  /** Everything the server printed so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
}

async function waitForHealth(baseUrl: string, child: ChildProcess, output: () => string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer yet";
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`Parley exited with code ${child.exitCode} before it was healthy:\n${output()}`);
    try {
      const response = await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(5000) });
      if (response.status === 200) return;
      last = `HTTP ${response.status}: ${(await response.text()).slice(0, 300)}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`Parley was not healthy within ${timeoutMs / 1000} s (last: ${last}):\n${output()}`);
}

/**
 * Starts `tsx server.ts` with PARLEY_SANDBOX=1 on a free port, PARLEY_DATA_DIR in a temp dir, and DATABASE_URL
 * from this test file's environment; resolves once GET /health answers 200.
 */
export async function startParley(
  options: { env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<RunningParley> {
  const port = await freePort();
  const hmrPort = await freePort();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "parley-e2e-"));
  const baseUrl = `http://localhost:${port}`;
  // Only what the server needs: the test runner's own variables (test Shopify credentials among them) would make
  // sandbox mode refuse to start.
  const env: Record<string, string> = {
    PATH: `${path.join(ROOT, "node_modules", ".bin")}${path.delimiter}${process.env.PATH ?? ""}`,
    HOME: process.env.HOME ?? os.homedir(),
    TMPDIR: process.env.TMPDIR ?? os.tmpdir(),
    LANG: process.env.LANG ?? "C.UTF-8",
    NODE_ENV: "development",
    PORT: String(port),
    PARLEY_HMR_PORT: String(hmrPort),
    PARLEY_DATA_DIR: dataDir,
    PARLEY_SANDBOX: "1",
    LOG_LEVEL: process.env.PARLEY_E2E_LOG_LEVEL ?? "warn",
    ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
    ...options.env,
  };
  const child = spawn(path.join(ROOT, "node_modules", ".bin", "tsx"), ["server.ts"], {
    cwd: ROOT,
    env: env as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true, // its own process group: stop() ends tsx and the node process it runs together
  });
  let log = "";
  const append = (chunk: Buffer) => {
    log += chunk.toString();
    if (log.length > 200_000) log = log.slice(-100_000);
    if (process.env.PARLEY_E2E_VERBOSE) process.stderr.write(chunk);
  };
  child.stdout!.on("data", append);
  child.stderr!.on("data", append);
  const output = () => log;

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null && child.pid) {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        /* already gone */
      }
      const killed = await Promise.race([
        exited(child).then(() => true),
        new Promise<boolean>((r) => setTimeout(() => r(false), 15_000)),
      ]);
      if (!killed) {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          /* already gone */
        }
        await exited(child);
      }
    }
    await rm(dataDir, { recursive: true, force: true });
  };

  try {
    await waitForHealth(baseUrl, child, output, options.timeoutMs ?? 120_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, port, output, stop };
}

/**
 * Headless Chromium announces itself as "HeadlessChrome", which isbot (and so `authenticate.admin`, answering
 * 410 Gone) treats as a crawler. Pages that open the embedded app use a regular desktop Chrome user agent.
 */
export const BROWSER_USER_AGENT =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36";

export function newBrowserContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: 1440, height: 900 }, userAgent: BROWSER_USER_AGENT });
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

export async function screenshotPath(name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  return path.join(SCREENSHOT_DIR, `${name}.png`);
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: await screenshotPath(name) });
}

/** The embedded app inside the sandbox admin shell. */
export function appFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe[name="app-iframe"]');
}

/** Collects what a user would see go wrong: page errors, console errors, failed requests and 4xx/5xx answers. */
export function watchProblems(
  page: Page,
  problems: string[],
  options: { allowStatus?: (url: string) => boolean } = {},
) {
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()}`);
  });
  page.on("requestfailed", (request) => {
    // Aborted is not failed: Remix cancels a fetcher's load that a newer one supersedes, and a navigation ends the
    // inbox's live-update stream.
    if (request.failure()?.errorText === "net::ERR_ABORTED") return;
    problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`);
  });
  page.on("response", (response) => {
    if (response.status() >= 400 && !options.allowStatus?.(response.url()))
      problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
}

/**
 * On a machine with a cold Vite cache the first page load makes Vite pre-bundle dependencies and reload the page
 * once; absorb that here so a test measures the app, not the dev server's first start.
 */
/**
 * Opens an admin page and waits for its heading. A cold Vite cache pre-bundles on the first load and reloads the
 * page once: one more try is allowed.
 */
export async function openAdminPage(page: Page, url: string, heading: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    await page.goto(url);
    try {
      await appFrame(page).getByRole("heading", { name: heading, exact: true }).waitFor({ timeout: 90_000 });
      return;
    } catch (error) {
      if (attempt === 1) throw error;
    }
  }
}

export async function warmUpAdmin(context: BrowserContext, baseUrl: string): Promise<void> {
  const page = await context.newPage();
  try {
    for (let attempt = 0; attempt < 2; attempt++) {
      await page.goto(`${baseUrl}/sandbox/admin`);
      try {
        await appFrame(page).getByRole("heading", { name: "Setup guide" }).waitFor({ timeout: 90_000 });
        return;
      } catch (error) {
        if (attempt === 1) throw error;
      }
    }
  } finally {
    await page.close();
  }
}

export interface AdminSession {
  parley: RunningParley;
  browser: Browser;
  context: BrowserContext;
  close(): Promise<void>;
}

/** A sandbox server and a desktop Chromium context for it; `warmUp` waits for the admin home to load once. */
export async function startAdminSession(options: { warmUp?: boolean } = {}): Promise<AdminSession> {
  const [parley, browser] = await Promise.all([startParley(), launchChromium()]);
  const context = await newBrowserContext(browser);
  if (options.warmUp ?? true) await warmUpAdmin(context, parley.baseUrl);
  return {
    parley,
    browser,
    context,
    async close() {
      await context.close();
      await browser.close();
      await parley.stop();
    },
  };
}
