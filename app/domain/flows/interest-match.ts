import { readInbound } from "~/domain/inbound-text";

// What a shopper is waiting for ("the hoodies!", "let me know when the linen shirt is back"), matched to the
// shop's products or collections by their titles, handles and product types: plural or singular, a typo, a word
// split in two ("head lamp"). Pure; the catalogue comes from the Admin API search.
//
// A match has to be confident, because the shopper gets a promise naming it: most of what they said must match
// the target, and nothing else may match about as well — two hoodies for "the hoodies!" is a question for a
// person, unless a collection is called just that.

export type CatalogueEntry = {
  type: "product" | "collection";
  id: string;
  title: string;
  handle: string;
  productType?: string | null;
};

export type InterestMatch =
  | { outcome: "match"; target: CatalogueEntry; confidence: number }
  | { outcome: "ambiguous"; candidates: CatalogueEntry[] }
  | { outcome: "none" };

const set = (list: string) => new Set(list.trim().split(/\s+/));

// Words that say how or when, not what: conversation, the asking itself, sizes.
const NOISE = set(`
  the a an my me i im id ive your you u ur our we us it its is are was were be been being this that these those them
  they there their some any one ones all of to on for in at by with and or but so too also just really very pls plz
  please thanks thank thx ty yes yeah yep yess ya omg lol haha hi hey hello ok okay oh ooh no nope nah not nothing
  none maybe idk dunno sure cool nice great awesome
  let know tell text txt message msg notify ping hit alert remind email call when whenever once if as soon possible
  asap back stock instock restock restocks restocked restocking available availability again drop drops dropped
  release released releases launch launches launched live come comes coming out return returns arrive arrives new
  waiting wait waitin waited for about up get got getting buy want wanted need needed looking look love like would
  will can could should do does did have has had see excited interested dying still soon yet
  size sizes xs s m l xl xxl xxxl 2xl 3xl small medium large xsmall xlarge
  stuff things thing item items product products collection collections line range piece pieces style styles`);
// What a shopper may add that product titles rarely carry: it counts, but only half.
const DESCRIPTIVE = set(`
  black white grey gray blue navy red green pink purple yellow orange brown beige cream tan olive khaki charcoal
  mens womens kids women men boys girls cozy cosy warm soft`);

const MIN_COVERAGE = 0.6; // share of what the shopper said that the target must match
const CLOSE = 0.15; // another entry this close to the best makes it ambiguous…
const TITLE_MARGIN = 0.3; // …unless the best one's title is this much more fully named

/** Lower case, no accents, words as readInbound reads them. */
function tokens(text: string): string[] {
  const plain = text.normalize("NFKD").replace(/\p{M}/gu, "");
  return readInbound(plain).words.flatMap((w) => w.split(/(?<=\d)(?=[a-z])|(?<=[a-z])(?=\d)/));
}

/** Words that can name something: no noise, no bare numbers or letters ("3-Pack", "20°F", "in M"). */
const significant = (words: string[]) => words.filter((w) => w.length > 1 && !NOISE.has(w) && !/^\d+$/.test(w));

/** The meaningful words of what the shopper said they are waiting for. */
export function interestWords(text: string): string[] {
  return significant(tokens(text));
}

/** Forms a word may take: "hoodies" → hoodie, "dresses" → dress, "berries" → berry. */
function forms(word: string): string[] {
  const all = [word];
  if (word.length > 3 && word.endsWith("s") && !word.endsWith("ss")) all.push(word.slice(0, -1));
  if (word.length > 4 && word.endsWith("es")) all.push(word.slice(0, -2));
  if (word.length > 4 && word.endsWith("ies")) all.push(`${word.slice(0, -3)}y`);
  return all;
}

function distance(a: string, b: string): number {
  // Damerau–Levenshtein (adjacent swaps count once): "hoddie", "flanel", "beenie".
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

const commonPrefix = (a: string, b: string) => {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
};

/** How well one word the shopper said names one word of a title: 1 the same word, 0.8 close, 0 not. */
export function wordSimilarity(said: string, titled: string): number {
  const a = forms(said);
  const b = forms(titled);
  if (a.some((x) => b.includes(x))) return 1;
  const [x, y] = [a[a.length - 1], b[b.length - 1]];
  const shorter = Math.min(x.length, y.length);
  if (
    shorter >= 4 &&
    (commonPrefix(x, y) >= Math.max(4, shorter - 1) || (commonPrefix(said, titled) >= 4 && shorter >= 5))
  )
    return 0.8;
  // One slip in a long word; in a five-letter word only a letter missed or doubled ("jaket"), since swapping one
  // letter there makes another word ("shirt", "short").
  const slips = distance(said, titled);
  if (
    shorter >= 8 ? slips <= 2 : shorter >= 6 ? slips <= 1 : shorter === 5 && said.length !== titled.length && slips <= 1
  )
    return 0.8;
  return 0;
}

type Scored = { entry: CatalogueEntry; coverage: number; titleCoverage: number };

const PRODUCT_TYPE_WEIGHT = 0.6; // "jackets" naming the product type is weaker than naming the title

function score(said: string[], entry: CatalogueEntry): Scored {
  const titleWords = [...new Set(significant(tokens(`${entry.title} ${entry.handle}`)))];
  const typeWords = significant(tokens(entry.productType ?? ""));
  const best = said.map((w) =>
    Math.max(
      0,
      ...titleWords.map((t) => wordSimilarity(w, t)),
      ...typeWords.map((t) => wordSimilarity(w, t) * PRODUCT_TYPE_WEIGHT),
    ),
  );
  // "head lamp" names "Headlamp": two words said as one title word.
  const named = new Set<string>();
  for (let i = 0; i + 1 < said.length; i++) {
    const joined = said[i] + said[i + 1];
    const hit = titleWords.find((t) => wordSimilarity(joined, t) === 1);
    if (hit) {
      best[i] = best[i + 1] = 1;
      named.add(hit);
    }
  }
  const weight = (w: string) => (DESCRIPTIVE.has(w) ? 0.5 : 1);
  const total = said.reduce((sum, w) => sum + weight(w), 0);
  const coverage = said.reduce((sum, w, i) => sum + weight(w) * best[i], 0) / total;
  for (const t of titleWords) if (said.some((w) => wordSimilarity(w, t) >= 0.8)) named.add(t);
  return { entry, coverage, titleCoverage: titleWords.length ? named.size / titleWords.length : 0 };
}

const rounded = (n: number) => Math.round(n * 100) / 100;

export function matchInterest(text: string, catalogue: CatalogueEntry[]): InterestMatch {
  const said = interestWords(text);
  if (said.length === 0 || catalogue.length === 0) return { outcome: "none" };
  const ranked = catalogue
    .map((entry) => score(said, entry))
    .filter((s) => s.coverage >= MIN_COVERAGE)
    .sort((a, b) => b.coverage - a.coverage || b.titleCoverage - a.titleCoverage);
  if (ranked.length === 0) return { outcome: "none" };
  const [best] = ranked;
  const close = ranked.filter((s) => best.coverage - s.coverage <= CLOSE);
  const runnerUp = close.filter((s) => s !== best).sort((a, b) => b.titleCoverage - a.titleCoverage)[0] as
    Scored | undefined;
  if (!runnerUp || best.titleCoverage - runnerUp.titleCoverage >= TITLE_MARGIN)
    return { outcome: "match", target: best.entry, confidence: rounded(best.coverage) };
  // "the hoodies!" names the Hoodies collection exactly, whatever hoodies it holds.
  const collection = close.find((s) => s.entry.type === "collection" && s.titleCoverage === 1 && s.coverage === 1);
  if (collection) return { outcome: "match", target: collection.entry, confidence: 1 };
  return { outcome: "ambiguous", candidates: close.slice(0, 3).map((s) => s.entry) };
}

// ─── is this text about waiting for something? ───────────────────────────────────────────────────

// Unprompted, a text is about waiting for a product only when it says so.
const WAITING_CUES: RegExp[] = [
  /\b(let|lemme) me know (when|if|once)\b/,
  /\b(text|txt|tell|notify|ping|message|msg|alert|remind) me (when|if|once|as soon)\b/,
  /\bwaiting (on|for)\b/,
  /\b(is|are|be|comes?|coming|get|gets|getting)( \w+){0,3} back\b/,
  /\b(is|are|be|will|gets?|getting)( \w+)? (available|released|launched)\b/,
  /\bwhen (does|do|will|is|are)\b.*\b(drop|drops|dropping|release|released|launch|launching|available)\b/,
];
// Said of stock itself: these count whatever else the text is about.
const STOCK_CUE = /\b(back|be|in) stock\b|\brestock|\bsold out\b|\bout of stock\b|\bearly access\b/;
// "Still waiting for my order", "let me know when my refund comes back": about an order, not a product.
const ABOUT_AN_ORDER =
  /\b(order|orders|package|parcel|shipment|delivery|delivered|tracking|refund|money|exchange|return|reply|response|answer|email|call)\b/;
const NOT_WAITING =
  /\b(sent|send|sending|ship|shipped|bring|brought|return|returned|returning|give|call|write|text) (it|them|this|that)? ?back\b/;

/** Whether an unprompted text says the shopper is waiting for a product ("let me know when … is back"). */
export function saysWaitingFor(text: string): boolean {
  const plain = readInbound(text).words.join(" ");
  if (STOCK_CUE.test(plain)) return true;
  if (NOT_WAITING.test(plain) || ABOUT_AN_ORDER.test(plain)) return false;
  return WAITING_CUES.some((cue) => cue.test(plain));
}

// A text the shop sent that asks what the shopper is waiting for: any answer to it names something.
const ASKS = [
  /\bwhat (are|r) (you|u) (most )?(waiting|hoping|excited|dying|looking)\b/,
  /\bwhat (would|do) (you|u) (like|love|want) (to see|back|restocked|us to)\b/,
  /\bwhich (one|ones|items?|products?|styles?|pieces?|colou?rs?)\b.*\b(waiting|want|love|restock|back|excited)\b/,
  /\bearly access\b/,
  /\bback in stock\b|\brestock/,
  /\breply with\b.*\b(item|product|style|piece|what)\b/,
  /\bwhat should we (bring back|restock|drop|make)\b/,
];

export function asksWhatTheyAreWaitingFor(body: string): boolean {
  const plain = readInbound(body).words.join(" ");
  return ASKS.some((pattern) => pattern.test(plain));
}

/** The Admin API search for candidates: any of the shopper's words by its first letters ("hood*" finds hoodies). */
export function catalogueQuery(words: string[]): string | null {
  const prefixes = [...new Set(words.map((w) => `${w.slice(0, 4)}*`))];
  return prefixes.length > 0 ? prefixes.join(" OR ") : null;
}
