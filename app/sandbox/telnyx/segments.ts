import { analyzeText, type Encoding } from "~/domain/segments";

// The simulator answers `parts` and `encoding` like Telnyx, with the same arithmetic the engine uses.
export type SmsEncoding = Encoding;

export interface SegmentInfo {
  encoding: SmsEncoding;
  parts: number;
  /** Septets for GSM-7, UTF-16 code units for UCS-2. */
  units: number;
}

export function isGsm7(text: string): boolean {
  return analyzeText(text).encoding === "GSM-7";
}

export function countSegments(text: string, force?: "gsm7" | "ucs2"): SegmentInfo {
  const analysis = analyzeText(text, force === "ucs2" ? { encoding: "UCS-2" } : {});
  return { encoding: analysis.encoding, parts: analysis.segments, units: analysis.units };
}
