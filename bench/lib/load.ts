import { performance } from "node:perf_hooks";
import { Pool } from "undici";
import type { SignedWebhook } from "./telnyx-payloads";

// Load generators over keep-alive connections (undici Pool, one request per connection at a time).
// closedLoop: a fixed number of requests in flight (concurrency), as fast as the server answers.
// openLoop: requests started on a fixed schedule whatever the answers, so a slow server cannot slow the load.

export type LoadResult = {
  latencies: number[];
  elapsedMs: number;
  statuses: Map<number, number>;
  errors: number;
  firstError?: string;
};

export function createPool(origin: string, connections: number) {
  return new Pool(origin, { connections, pipelining: 1, keepAliveTimeout: 60_000, keepAliveMaxTimeout: 600_000 });
}

async function post(pool: Pool, path: string, hook: SignedWebhook): Promise<number> {
  const { statusCode, body } = await pool.request({ method: "POST", path, headers: hook.headers, body: hook.body });
  await body.dump();
  return statusCode;
}

export async function closedLoop(options: {
  pool: Pool;
  path: string;
  requests: SignedWebhook[];
  concurrency: number;
}): Promise<LoadResult> {
  const latencies = new Array<number>(options.requests.length);
  const statuses = new Map<number, number>();
  let errors = 0;
  let firstError: string | undefined;
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < options.requests.length) {
      const i = next++;
      const t0 = performance.now();
      try {
        const status = await post(options.pool, options.path, options.requests[i]);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      } catch (error) {
        errors++;
        firstError ??= String(error);
      }
      latencies[i] = performance.now() - t0;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return { latencies, elapsedMs: performance.now() - started, statuses, errors, firstError };
}

/** Starts request i at t0 + i / rate; `onSent(i, t)` gets the moment it was handed to the socket layer. */
export async function openLoop(options: {
  pool: Pool;
  path: string;
  requests: SignedWebhook[];
  ratePerSecond: number;
  onStart?: (i: number, at: number) => void;
}): Promise<LoadResult> {
  const latencies = new Array<number>(options.requests.length);
  const statuses = new Map<number, number>();
  let errors = 0;
  let firstError: string | undefined;
  const interval = 1000 / options.ratePerSecond;
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < options.requests.length; i++) {
    const due = started + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const t0 = performance.now();
    options.onStart?.(i, t0);
    inFlight.push(
      post(options.pool, options.path, options.requests[i]).then(
        (status) => {
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          latencies[i] = performance.now() - t0;
        },
        (error) => {
          errors++;
          firstError ??= String(error);
          latencies[i] = performance.now() - t0;
        },
      ),
    );
  }
  await Promise.all(inFlight);
  return { latencies, elapsedMs: performance.now() - started, statuses, errors, firstError };
}
