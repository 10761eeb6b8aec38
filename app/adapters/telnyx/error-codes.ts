// Readable reasons for the Telnyx error codes Parley meets, for staff-facing message status and logs.
// Sources: the "Opt-out and errors" part of docs/api-facts.md and Telnyx's public error tables
// (developers.telnyx.com: API error codes 10xxx, messaging delivery errors 40xxx).
// `retryable` says whether sending the same text again later can reasonably succeed; it informs the engine's
// choice, it does not make one (a 40300 is never retried: the shopper said STOP).

export interface TelnyxErrorInfo {
  title: string;
  reason: string;
  retryable: boolean;
}

const CODES: Record<string, TelnyxErrorInfo> = {
  // API request errors: answered synchronously by POST /v2/messages.
  "10001": { title: "Inactive phone number", reason: "The phone number is inactive.", retryable: false },
  "10002": { title: "Invalid phone number", reason: "The phone number is invalid.", retryable: false },
  "10003": {
    title: "Invalid URL",
    reason: "A URL in the request (media or webhook) is invalid, malformed or too long.",
    retryable: false,
  },
  "10004": {
    title: "Missing required parameter",
    reason: "A required parameter was missing from the request.",
    retryable: false,
  },
  "10005": { title: "Resource not found", reason: "The requested resource could not be found.", retryable: false },
  "10007": {
    title: "Unexpected error",
    reason: "Telnyx had an unexpected error; trying again later usually works.",
    retryable: true,
  },
  "10008": { title: "Request timeout", reason: "The request to Telnyx timed out.", retryable: true },
  "10009": { title: "Authentication failed", reason: "The Telnyx API key is missing or invalid.", retryable: false },
  "10010": {
    title: "Authorization failed",
    reason: "The Telnyx API key may not perform this action.",
    retryable: false,
  },
  "10011": {
    title: "Too many requests",
    reason: "Telnyx API rate limit reached; wait and send again.",
    retryable: true,
  },
  "10015": { title: "Bad request", reason: "Telnyx could not read the request.", retryable: false },
  "10016": {
    title: "Phone number must be in +E.164 format",
    reason: "A phone number is not in +E.164 format.",
    retryable: false,
  },
  // Opt-out block at the messaging-profile level.
  "40300": {
    title: "Blocked due to STOP message",
    reason: "The recipient replied STOP; Telnyx blocks texts to this number until they reply START.",
    retryable: false,
  },
  // Delivery errors: reported in message.finalized after Telnyx accepted the message.
  "40001": {
    title: "Not routable",
    reason: "The number cannot receive texts (a landline or non-routable number).",
    retryable: false,
  },
  "40002": {
    title: "Blocked as spam (temporary)",
    reason: "A carrier spam filter blocked the message; slow down and review the content.",
    retryable: true,
  },
  "40003": {
    title: "Blocked as spam (permanent)",
    reason: "The carrier permanently blocked the sending number as spam.",
    retryable: false,
  },
  "40004": {
    title: "Rejected by destination",
    reason: "The recipient's carrier rejected the message.",
    retryable: true,
  },
  "40005": { title: "Message expired", reason: "The message expired on its way to the recipient.", retryable: true },
  "40006": { title: "Recipient unavailable", reason: "The recipient's carrier is unavailable.", retryable: true },
  "40008": { title: "Undeliverable", reason: "The recipient's carrier did not accept the message.", retryable: false },
  "40009": { title: "Invalid message body", reason: "The carrier rejected the message content.", retryable: false },
  "40011": {
    title: "Too many requests (carrier)",
    reason: "The carrier's throughput limit was exceeded; send more slowly.",
    retryable: true,
  },
  "40012": {
    title: "Invalid destination number",
    reason: "The carrier rejected the destination number.",
    retryable: false,
  },
  "40013": {
    title: "Invalid source number",
    reason: "The carrier rejected the sending number (inactive or not enabled for messaging).",
    retryable: false,
  },
  "40014": {
    title: "Expired in queue",
    reason: "The message waited in the queue past its validity; sending is too fast for the number's throughput.",
    retryable: true,
  },
  "40015": { title: "Internal spam filter", reason: "Telnyx's own spam filter blocked the message.", retryable: false },
};

export function errorInfo(code: string | number | null | undefined): TelnyxErrorInfo | undefined {
  return code === null || code === undefined ? undefined : CODES[String(code)];
}

/** A sentence a merchant can read for a Telnyx error code; unknown codes still say which code it was. */
export function errorReason(code: string | number | null | undefined, fallbackTitle?: string): string {
  const info = errorInfo(code);
  if (info) return info.reason;
  if (code === null || code === undefined || code === "") return fallbackTitle ?? "Telnyx reported an error.";
  return fallbackTitle ? `${fallbackTitle} (Telnyx error ${code})` : `Telnyx error ${code}.`;
}
