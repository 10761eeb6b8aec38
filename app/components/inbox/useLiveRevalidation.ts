import { useEffect, useRef } from "react";
import { useRevalidator } from "@remix-run/react";
import { type InboxEventNotice, useInboxEvents } from "./useInboxEvents";

const DEBOUNCE_MS = 300;

/**
 * Reloads the route's data when an inbox notice it `cares` about arrives: debounced, so a burst (a message, then its
 * sent and delivered receipts) is one reload, and never on top of a reload under way — starting one aborts the
 * other's requests — but once that one ends, so the last change is never missed.
 */
export function useLiveRevalidation(cares: (notice: InboxEventNotice) => boolean): void {
  const revalidator = useRevalidator();
  const state = useRef(revalidator);
  state.current = revalidator;
  const pending = useRef<ReturnType<typeof setTimeout>>();

  useInboxEvents((notice) => {
    if (!cares(notice)) return;
    clearTimeout(pending.current);
    const attempt = () => {
      if (state.current.state === "idle") state.current.revalidate();
      else pending.current = setTimeout(attempt, DEBOUNCE_MS);
    };
    pending.current = setTimeout(attempt, DEBOUNCE_MS);
  });
  useEffect(() => () => clearTimeout(pending.current), []);
}
