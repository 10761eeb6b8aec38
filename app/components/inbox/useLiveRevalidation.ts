import { useEffect, useRef } from "react";
import { useFetchers, useNavigation, useRevalidator } from "@remix-run/react";
import { type InboxEventNotice, useInboxEvents } from "./useInboxEvents";

const DEBOUNCE_MS = 300;

/**
 * Reloads the route's data when an inbox notice it `cares` about arrives: debounced, so a burst (a message, then its
 * sent and delivered receipts) is one reload, and never while a reload, a navigation or a fetcher's load is under
 * way — starting one aborts their requests — but once they end, so the last change is never missed.
 */
export function useLiveRevalidation(cares: (notice: InboxEventNotice) => boolean): void {
  const revalidator = useRevalidator();
  const navigation = useNavigation();
  const fetchers = useFetchers();
  const busy = revalidator.state !== "idle" || navigation.state !== "idle" || fetchers.some((f) => f.state !== "idle");
  const state = useRef({ busy, revalidate: revalidator.revalidate });
  state.current = { busy, revalidate: revalidator.revalidate };
  const pending = useRef<ReturnType<typeof setTimeout>>();

  useInboxEvents((notice) => {
    if (!cares(notice)) return;
    clearTimeout(pending.current);
    const attempt = () => {
      if (!state.current.busy) state.current.revalidate();
      else pending.current = setTimeout(attempt, DEBOUNCE_MS);
    };
    pending.current = setTimeout(attempt, DEBOUNCE_MS);
  });
  useEffect(() => () => clearTimeout(pending.current), []);
}
