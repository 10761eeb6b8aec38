import { GSM_SAFE_REPLACEMENTS } from "./gsm-safe";

// GSM 03.38 default alphabet, without ESC (0x1B), which only introduces the extension table below.
export const GSM_BASIC =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
  "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
// Extension table: each costs two septets (ESC + the character).
export const GSM_EXTENSION = "\f^{}\\[~]|€";

const BASIC = new Set(GSM_BASIC);
const EXTENSION = new Set(GSM_EXTENSION);

const LIMITS = {
  "GSM-7": { single: 160, multi: 153 }, // a concatenated part loses 7 septets to its 6-byte UDH
  "UCS-2": { single: 70, multi: 67 },
} as const;

export type Encoding = keyof typeof LIMITS;

export type NonGsmChar = { char: string; index: number; replacement?: string };

export type TextAnalysis = {
  encoding: Encoding;
  characters: number; // what a person counts: grapheme clusters ("👍🏽" is one)
  units: number; // septets for GSM-7, UTF-16 code units for UCS-2
  segments: number;
  perSegment: number;
  remainingInSegment: number;
  nonGsmChars: NonGsmChar[];
};

const graphemes = new Intl.Segmenter("en", { granularity: "grapheme" });

/**
 * Packs symbols of the given sizes into parts. A symbol never straddles two parts: encoders keep an
 * escape and its character together (GSM) and a surrogate pair together (UCS-2), leaving the slot unused,
 * so a part may hold one unit less than its nominal size.
 */
function pack(sizes: number[], perPart: number): { parts: number; usedInLast: number } {
  let parts = 1;
  let used = 0;
  for (const size of sizes) {
    if (used + size > perPart) {
      parts++;
      used = 0;
    }
    used += size;
  }
  return { parts, usedInLast: used };
}

/** `encoding: "UCS-2"` forces UCS-2 (Telnyx's `encoding: "ucs2"`); otherwise the cheapest that fits is used. */
export function analyzeText(text: string, options: { encoding?: Encoding } = {}): TextAnalysis {
  const nonGsmChars: NonGsmChar[] = [];
  const septets: number[] = [];
  const codeUnits: number[] = [];
  let index = 0;
  for (const char of text) {
    if (BASIC.has(char)) septets.push(1);
    else if (EXTENSION.has(char)) septets.push(2);
    else {
      const replacement = GSM_SAFE_REPLACEMENTS.get(char);
      nonGsmChars.push(replacement === undefined ? { char, index } : { char, index, replacement });
    }
    codeUnits.push(char.length);
    index += char.length;
  }

  const encoding: Encoding = options.encoding === "UCS-2" || nonGsmChars.length > 0 ? "UCS-2" : "GSM-7";
  const sizes = encoding === "GSM-7" ? septets : codeUnits;
  const units = sizes.reduce((sum, n) => sum + n, 0);
  const characters = [...graphemes.segment(text)].length;
  const limits = LIMITS[encoding];

  if (units === 0) {
    return {
      encoding,
      characters,
      units,
      segments: 0,
      perSegment: limits.single,
      remainingInSegment: limits.single,
      nonGsmChars,
    };
  }
  if (units <= limits.single) {
    return {
      encoding,
      characters,
      units,
      segments: 1,
      perSegment: limits.single,
      remainingInSegment: limits.single - units,
      nonGsmChars,
    };
  }
  const { parts, usedInLast } = pack(sizes, limits.multi);
  return {
    encoding,
    characters,
    units,
    segments: parts,
    perSegment: limits.multi,
    remainingInSegment: limits.multi - usedInLast,
    nonGsmChars,
  };
}

export { toGsmSafe, type GsmReplacement } from "./gsm-safe";
