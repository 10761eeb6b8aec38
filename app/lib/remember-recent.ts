/**
 * `fn` with the results for its last `capacity` distinct keys kept, the oldest dropped first. For pure functions
 * that are called again and again with the same few inputs — a shopper's number, parsed on every text they send.
 */
export function rememberRecent<K, R>(fn: (key: K) => R, capacity: number): (key: K) => R {
  const kept = new Map<K, R>();
  return (key) => {
    if (kept.has(key)) return kept.get(key) as R;
    const result = fn(key);
    if (kept.size >= capacity) kept.delete(kept.keys().next().value as K);
    kept.set(key, result);
    return result;
  };
}
