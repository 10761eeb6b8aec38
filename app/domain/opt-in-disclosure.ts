import { createHash } from "node:crypto";

// The opt-in disclosure compliance.md §2 requires beside the consent checkbox: the brand, what is sent and how often,
// that consent is not a condition of purchase, "Msg & data rates may apply", HELP and STOP, and links to the terms
// and the privacy policy. The server builds it; the storefront only displays it, so the consent record holds
// exactly the words the shopper saw, and the version (a hash of that text) tells whether the form was current.

export interface DisclosureInput {
  brandName: string;
  /** "Up to 4 msgs/month" — the program's stated frequency. */
  frequency: string;
  termsUrl: string;
  privacyUrl: string;
}

export interface DisclosureLink {
  label: "Terms" | "Privacy";
  url: string;
}

export interface Disclosure {
  /** What the form shows before the links, as plain text. */
  body: string;
  links: DisclosureLink[];
  /** The canonical text recorded as evidence: the body followed by each link's label and address. */
  text: string;
  /** A short, stable id of `text`: any change of wording, brand, frequency or link gives a new version. */
  version: string;
}

/** "Up to 4 msgs/month" → "Up to 4 msgs/month." (a sentence of its own, whatever the merchant typed). */
function sentence(text: string): string {
  const trimmed = text.trim().replace(/\s+/g, " ");
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

export function buildDisclosure(input: DisclosureInput): Disclosure {
  const brand = input.brandName.trim().replace(/\s+/g, " ");
  const body = [
    `By checking this box and submitting, you agree to receive recurring automated marketing text messages from ${brand} at the number provided.`,
    "Consent is not a condition of purchase.",
    sentence(input.frequency),
    "Msg & data rates may apply.",
    "Reply HELP for help, STOP to cancel.",
  ].join(" ");
  const links: DisclosureLink[] = [
    { label: "Terms", url: input.termsUrl },
    { label: "Privacy", url: input.privacyUrl },
  ];
  const text = `${body} ${links.map((link) => `${link.label}: ${link.url}`).join(" · ")}`;
  return { body, links, text, version: disclosureVersion(text) };
}

/** "d-" and the first 12 hex digits of the text's SHA-256: short enough for a hidden field, long enough to never collide in practice. */
export function disclosureVersion(text: string): string {
  return `d-${createHash("sha256").update(text, "utf8").digest("hex").slice(0, 12)}`;
}

/** Shopify's own policy pages, used when the shop has not given Parley its terms or privacy address. */
export function defaultPolicyUrls(shopDomain: string): { termsUrl: string; privacyUrl: string } {
  return {
    termsUrl: `https://${shopDomain}/policies/terms-of-service`,
    privacyUrl: `https://${shopDomain}/policies/privacy-policy`,
  };
}
