// SMS segment arithmetic, as carriers apply it, so the simulator answers `parts` and `encoding` like Telnyx.
// GSM-7 (3GPP TS 23.038): 160 septets in one part, 153 per part once concatenated (the UDH takes 7);
// characters of the extension table cost two septets and never straddle two parts.
// UCS-2: 70 UTF-16 units in one part, 67 per part; a surrogate pair (emoji) never straddles two parts.

const GSM_BASIC =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM_EXTENSION = "\f^{}\\[~]|€";

const basic = new Set(GSM_BASIC);
const extension = new Set(GSM_EXTENSION);

export type SmsEncoding = "GSM-7" | "UCS-2";

export interface SegmentInfo {
  encoding: SmsEncoding;
  parts: number;
  /** Septets for GSM-7, UTF-16 code units for UCS-2. */
  units: number;
}

export function isGsm7(text: string): boolean {
  for (const ch of text) if (!basic.has(ch) && !extension.has(ch)) return false;
  return true;
}

function gsmParts(text: string): SegmentInfo {
  let units = 0;
  for (const ch of text) units += extension.has(ch) ? 2 : 1;
  if (units <= 160) return { encoding: "GSM-7", parts: units === 0 ? 0 : 1, units };
  let parts = 1;
  let used = 0;
  for (const ch of text) {
    const cost = extension.has(ch) ? 2 : 1;
    if (used + cost > 153) {
      parts++;
      used = 0;
    }
    used += cost;
  }
  return { encoding: "GSM-7", parts, units };
}

function ucs2Parts(text: string): SegmentInfo {
  const units = text.length;
  if (units <= 70) return { encoding: "UCS-2", parts: units === 0 ? 0 : 1, units };
  let parts = 1;
  let used = 0;
  for (const ch of text) {
    const cost = ch.length; // 2 for astral characters (surrogate pairs)
    if (used + cost > 67) {
      parts++;
      used = 0;
    }
    used += cost;
  }
  return { encoding: "UCS-2", parts, units };
}

export function countSegments(text: string, force?: "gsm7" | "ucs2"): SegmentInfo {
  if (force === "ucs2") return ucs2Parts(text);
  return isGsm7(text) ? gsmParts(text) : ucs2Parts(text);
}
