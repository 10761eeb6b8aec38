// Inbound texts read as words, split into clauses. People punctuate texts with emoji and line breaks as often as
// with full stops, so any symbol ends a clause; apostrophes vanish ("don't" → "dont") so typed and autocorrected
// spellings meet; hyphens and slashes join words loosely ("opt-out" → "opt out", "stop-motion" → "stop motion").

export type Clause = { words: string[]; question: boolean };

export type InboundText = {
  clauses: Clause[];
  words: string[]; // every clause's words in order
};

// Multi-word forms of one keyword become one token, so rules need not look for both spellings.
const JOINED: [RegExp, string][] = [
  [/\bopt out\b/g, "optout"],
  [/\bun subscribe\b/g, "unsubscribe"],
  [/\bstop all\b/g, "stopall"],
];

export function readInbound(text: string): InboundText {
  const cleaned = text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/['’‘`´ʼ]/g, "")
    .replace(/[-‐‑–—_/\\]+/g, " ");
  const clauses: Clause[] = [];
  const pieces = cleaned.split(/([^\p{L}\p{N}\s#]+)/u);
  for (let i = 0; i < pieces.length; i += 2) {
    let joined = pieces[i].trim().replace(/\s+/g, " ");
    for (const [pattern, token] of JOINED) joined = joined.replace(pattern, token);
    const words = joined.split(" ").filter(Boolean);
    if (words.length === 0) continue;
    clauses.push({ words, question: (pieces[i + 1] ?? "").includes("?") });
  }
  return { clauses, words: clauses.flatMap((c) => c.words) };
}

/** The words with politeness and emphasis removed and repeats collapsed: "ok STOP stop please" → "stop". */
export function coreOf(words: string[], fillers: ReadonlySet<string>): string {
  const core: string[] = [];
  for (const w of words) {
    if (fillers.has(w)) continue;
    if (core[core.length - 1] !== w) core.push(w);
  }
  return core.join(" ");
}
