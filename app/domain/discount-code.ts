import { randomInt } from "node:crypto";

// Codes a shopper reads off a text and may type on a phone: a prefix from the brand ("ACME-7KQ2M9") and six
// characters from an alphabet without the look-alikes 0/O and 1/I. 32^6 ≈ 10^9 codes per prefix, so a clash with
// an existing code is rare; Shopify refuses a duplicate (TAKEN) and the caller then simply tries another.

export const CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
export const CODE_RANDOM_LENGTH = 6;
const PREFIX_MAX = 8;
const FALLBACK_PREFIX = "SAVE";

/** "Acme Outfitters" → "ACME"; "L'Atelier" → "LATELIER"; nothing usable → "SAVE". */
export function codePrefix(brand: string): string {
  const words = brand
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "") // accents: "Café" → "Cafe"
    .toUpperCase()
    .split(/\s+/)
    .map((word) => word.replace(/[^A-Z0-9]/g, ""))
    .filter(Boolean);
  const first = words[0] ?? "";
  // A one- or two-letter first word ("A Good Shop") says little: take the initials of the whole name instead.
  const initials = words.map((w) => w[0]).join("");
  const prefix = first.length < 3 && initials.length > first.length ? initials : first;
  return prefix.slice(0, PREFIX_MAX) || FALLBACK_PREFIX;
}

/** A fresh code for this brand. `pick(n)` returns an integer in [0, n) (crypto by default; tests pass their own). */
export function generateDiscountCode(brand: string, pick: (n: number) => number = randomInt): string {
  let random = "";
  for (let i = 0; i < CODE_RANDOM_LENGTH; i++) random += CODE_ALPHABET[pick(CODE_ALPHABET.length)];
  return `${codePrefix(brand)}-${random}`;
}
