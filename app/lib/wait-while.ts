/**
 * Waits while `busy()` holds, looking again every `pollMs`, for at most `maxMs`; resolves with how long it waited.
 * For background work that gives way to more urgent work in the same process without ever stopping for good.
 */
export async function waitWhile(busy: () => boolean, options: { maxMs: number; pollMs?: number }): Promise<number> {
  const started = Date.now();
  while (busy() && Date.now() - started < options.maxMs) {
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 50));
  }
  return Date.now() - started;
}
