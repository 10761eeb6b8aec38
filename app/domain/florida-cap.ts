import type { QuietHoursCandidate } from "./quiet-hours";

// Florida (FTSA, compliance.md §7): at most 3 commercial messages on the same subject per rolling 24 hours.
export const FLORIDA_SAME_SUBJECT_LIMIT = 3;
const WINDOW_MS = 24 * 60 * 60 * 1000;

export type RecentSend = { sentAt: Date; subject: string };

export type FloridaCapDecision = { allowed: true; remaining: number } | { allowed: false; releaseAt: Date };

/**
 * The cap follows the same "could be" rule as quiet hours: a recipient who might be in Florida (the state is
 * known to be FL, or unknown for a US number) is treated as a Floridian.
 */
export function floridaCapApplies(candidates: QuietHoursCandidate[]): boolean {
  if (candidates.length === 0) return true;
  return candidates.some((c) => c.region === undefined || c.region === "US" || c.region === "US-FL");
}

/**
 * `subject` is whatever the caller groups sends by (campaign, flow, product); the law leaves "same subject"
 * to judgement, so the caller decides and this only counts.
 */
export function withinFloridaCap(recentSends: readonly RecentSend[], now: Date, subject: string): FloridaCapDecision {
  const since = now.getTime() - WINDOW_MS;
  const inWindow = recentSends
    .filter((s) => s.subject === subject && s.sentAt.getTime() > since && s.sentAt.getTime() <= now.getTime())
    .map((s) => s.sentAt.getTime())
    .sort((a, b) => a - b);
  if (inWindow.length < FLORIDA_SAME_SUBJECT_LIMIT) {
    return { allowed: true, remaining: FLORIDA_SAME_SUBJECT_LIMIT - inWindow.length };
  }
  // The next send is allowed once enough of the oldest sends have left the 24-hour window.
  const mustExpire = inWindow.length - FLORIDA_SAME_SUBJECT_LIMIT;
  return { allowed: false, releaseAt: new Date(inWindow[mustExpire] + WINDOW_MS) };
}
