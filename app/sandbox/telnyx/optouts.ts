// Telnyx's own opt-out handling, simulated: a whole-message STOP-family keyword from a shopper blocks that
// shopper at the messaging-profile level (every sending number of the profile), START/UNSTOP lifts it.
// A sentence that merely contains "stop" is not a keyword here, exactly as with the carrier — which is why the
// app must keep its own consent state and never rely on this.

export const OPT_OUT_KEYWORDS = ["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"] as const;
export const OPT_IN_KEYWORDS = ["START", "UNSTOP"] as const;

export interface OptOut {
  from: string;
  to: string;
  keyword: string | null;
  messaging_profile_id: string | null;
  created_at: string;
}

export function keywordOf(text: string): string {
  return text.trim().toUpperCase();
}

export class OptOutRegistry {
  // Keyed by the shopper's number: the block covers the whole profile, not one store number.
  private readonly entries = new Map<string, OptOut>();

  /** Applies a shopper's inbound text; returns what changed, if anything. */
  applyInbound(input: {
    shopper: string;
    storeNumber: string;
    text: string;
    profileId: string;
    at: string;
  }): "opted_out" | "opted_in" | undefined {
    const keyword = keywordOf(input.text);
    if ((OPT_OUT_KEYWORDS as readonly string[]).includes(keyword)) {
      this.entries.set(input.shopper, {
        from: input.storeNumber,
        to: input.shopper,
        keyword,
        messaging_profile_id: input.profileId,
        created_at: input.at,
      });
      return "opted_out";
    }
    if ((OPT_IN_KEYWORDS as readonly string[]).includes(keyword) && this.entries.delete(input.shopper))
      return "opted_in";
    return undefined;
  }

  isBlocked(shopper: string): boolean {
    return this.entries.has(shopper);
  }

  list(filter: { from?: string; messagingProfileId?: string } = {}): OptOut[] {
    return [...this.entries.values()].filter(
      (o) =>
        (!filter.from || o.from === filter.from) &&
        (!filter.messagingProfileId || o.messaging_profile_id === filter.messagingProfileId),
    );
  }

  clear() {
    this.entries.clear();
  }
}
