// Typographic characters that phones and word processors insert on their own and that GSM-7 lacks. One of them
// turns a 160-character message into a 70-per-segment UCS-2 one, so staff are offered these plain equivalents.
// Letters are deliberately absent: "está" → "esta" changes the text, a curly quote → ' does not.
const REPLACEMENTS: [string, string][] = [
  ["\u2018", "'"], // ‘ left single quote
  ["\u2019", "'"], // ’ right single quote / apostrophe (iOS "smart punctuation")
  ["\u201A", "'"], // ‚ low single quote
  ["\u201B", "'"], // ‛
  ["\u2032", "'"], // ′ prime
  ["\u02BC", "'"], // ʼ modifier apostrophe
  ["\uFF07", "'"], // ＇ full-width apostrophe
  ["\u201C", '"'], // “
  ["\u201D", '"'], // ”
  ["\u201E", '"'], // „
  ["\u201F", '"'], // ‟
  ["\u2033", '"'], // ″ double prime
  ["\u00AB", '"'], // «
  ["\u00BB", '"'], // »
  ["\uFF02", '"'], // ＂
  ["\u2010", "-"], // ‐ hyphen
  ["\u2011", "-"], // ‑ non-breaking hyphen
  ["\u2012", "-"], // ‒ figure dash
  ["\u2013", "-"], // – en dash
  ["\u2014", "-"], // — em dash
  ["\u2015", "-"], // ― horizontal bar
  ["\u2212", "-"], // − minus sign
  ["\u2026", "..."], // … ellipsis
  ["\u2022", "-"], // • bullet
  ["\u00B7", "-"], // · middle dot
  ["\u02C6", "^"], // ˆ modifier circumflex
  ["\u02DC", "~"], // ˜ small tilde
  ["\u2044", "/"], // ⁄ fraction slash
  ["\t", " "],
  ["\u00A0", " "], // no-break space
  ["\u2000", " "],
  ["\u2001", " "],
  ["\u2002", " "],
  ["\u2003", " "],
  ["\u2004", " "],
  ["\u2005", " "],
  ["\u2006", " "],
  ["\u2007", " "],
  ["\u2008", " "],
  ["\u2009", " "], // thin space
  ["\u200A", " "], // hair space
  ["\u202F", " "], // narrow no-break space (macOS puts it before AM/PM)
  ["\u205F", " "],
  ["\u3000", " "], // ideographic space
  ["\u2028", "\n"], // line separator
  ["\u2029", "\n"], // paragraph separator
  ["\u200B", ""], // zero-width space
  ["\u2060", ""], // word joiner
  ["\uFEFF", ""], // byte-order mark pasted from files
  ["\u00AD", ""], // soft hyphen
];

export const GSM_SAFE_REPLACEMENTS: ReadonlyMap<string, string> = new Map(REPLACEMENTS);

export type GsmReplacement = { char: string; index: number; replacement: string };

/** The text with every known typographic character swapped for its GSM-7 equivalent, and what was swapped. */
export function toGsmSafe(text: string): { text: string; replaced: GsmReplacement[] } {
  const replaced: GsmReplacement[] = [];
  let out = "";
  let index = 0;
  for (const char of text) {
    const replacement = GSM_SAFE_REPLACEMENTS.get(char);
    if (replacement === undefined) out += char;
    else {
      out += replacement;
      replaced.push({ char, index, replacement });
    }
    index += char.length;
  }
  return { text: out, replaced };
}
