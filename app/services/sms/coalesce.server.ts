// Group commit for the engine's hot statements. Calls that arrive while a batch is on its way to PostgreSQL (or
// in the same tick) wait for the next one and go together: one round trip for many rows instead of one each.
// A lone call goes out at once, so light traffic waits for nothing; the busier the engine, the bigger the batches.
// Each caller gets its own result, and only once the statement that carried its row has completed.

export type Coalesced<I, O> = (item: I) => Promise<O>;

/** A batch's answer for one item that failed on its own (see eachOnFailure). */
export class ItemFailed {
  constructor(readonly error: unknown) {}
}

export function coalescing<I, O>(
  run: (items: I[]) => Promise<(O | ItemFailed)[]>,
  options: { maxBatch: number; maxInFlight: number },
): Coalesced<I, O> {
  const queue: { item: I; resolve(value: O): void; reject(error: unknown): void }[] = [];
  let inFlight = 0;
  let scheduled = false;

  const flush = () => {
    scheduled = false;
    while (inFlight < options.maxInFlight && queue.length > 0) {
      const batch = queue.splice(0, options.maxBatch);
      inFlight++;
      run(batch.map((b) => b.item))
        .then(
          (results) =>
            batch.forEach((b, i) => {
              const result = results[i];
              if (result instanceof ItemFailed) b.reject(result.error);
              else b.resolve(result);
            }),
          (error) => batch.forEach((b) => b.reject(error)),
        )
        .finally(() => {
          inFlight--;
          if (queue.length > 0) schedule();
        });
    }
  };
  // Flushing in a microtask lets every call made in the same tick (e.g. a claimed batch starting) join one batch.
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    queueMicrotask(flush);
  };

  return (item) =>
    new Promise<O>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      schedule();
    });
}

/** Runs a batch; if the batch statement fails, runs each item alone, so one bad row cannot fail its neighbours. */
export async function eachOnFailure<I, O>(
  items: I[],
  batch: (items: I[]) => Promise<O[]>,
): Promise<(O | ItemFailed)[]> {
  try {
    return await batch(items);
  } catch (error) {
    if (items.length === 1) return [new ItemFailed(error)];
    return Promise.all(
      items.map((item) =>
        batch([item]).then(
          (results) => results[0],
          (failure: unknown) => new ItemFailed(failure),
        ),
      ),
    );
  }
}
