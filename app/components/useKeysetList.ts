import { useSearchParams } from "@remix-run/react";

// A keyset-paginated list's URL state: `cursor` (where this page starts) and `trail` (the cursors of the pages
// before it, "-" for the first), so "previous" needs no backwards query. Changing a list's own params keeps the
// rest of the URL (the embedded app's host, shop…). Used by the Feedback page; the same shape as the Subscribers
// page's inline version.

const TRAIL_MAX = 20;

export function useKeysetList(nextCursor: string | null) {
  const [searchParams, setSearchParams] = useSearchParams();
  const trail = (searchParams.get("trail") ?? "").split(",").filter(Boolean);

  const update = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(searchParams);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    setSearchParams(next, { preventScrollReset: true });
  };

  const pagination = {
    hasPrevious: searchParams.has("cursor"),
    hasNext: nextCursor !== null,
    onPrevious: () => {
      const previous = trail.at(-1);
      update({ cursor: previous === "-" ? null : (previous ?? null), trail: trail.slice(0, -1).join(",") });
    },
    onNext: () => {
      const here = searchParams.get("cursor") ?? "-";
      update({ cursor: nextCursor, trail: [...trail, here].slice(-TRAIL_MAX).join(",") });
    },
  };
  /** A filter change starts again at the first page. */
  const filter = (changes: Record<string, string | null>) => update({ ...changes, cursor: null, trail: null });
  return { pagination, filter };
}
