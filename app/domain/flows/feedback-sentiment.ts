import { readInbound } from "~/domain/inbound-text";

// Reads a shopper's answer to "How's the …? Anything we could do better?" as a sentiment and topic tags, for the
// Feedback page and for what the flow does next (negative → a person, with priority). Lexicon rules, not a model:
// replies are short, and a merchant must be able to see why a reply was read the way it was.
//
// Decisions:
// - Praise and complaint in one reply ("love it but the sleeves are too long") is NEUTRAL: the shopper is happy
//   enough, and the topic tags carry the complaint to the merchant.
// - A problem someone has to fix (arrived damaged, wrong item, never arrived, broken, refund) is NEGATIVE however
//   much praise surrounds it: it needs a person, and NEGATIVE is what hands the conversation over.
// - Negation flips the word it governs within three words of the same clause part ("not bad at all" is praise,
//   "wasn't happy" a complaint); a contrast word ("but", "though") ends its reach.

export const FEEDBACK_TOPICS = [
  "quality",
  "sizing",
  "shipping",
  "delivery_damage",
  "wrong_item",
  "price",
  "customer_service",
  "product_praise",
  "suggestion",
] as const;
export type FeedbackTopic = (typeof FEEDBACK_TOPICS)[number];
export type FeedbackSentiment = "POSITIVE" | "NEUTRAL" | "NEGATIVE";

export type FeedbackReading = {
  sentiment: FeedbackSentiment;
  topics: FeedbackTopic[];
  /** Weights of praise and complaint found; both > 0 is a mixed reply. */
  positive: number;
  negative: number;
  /** Something went wrong that a person has to fix (forces NEGATIVE). */
  problem: boolean;
};

type Cue = {
  polarity: -1 | 0 | 1;
  topic?: FeedbackTopic;
  /** Something a person has to fix. */
  problem?: boolean;
  /** Not reversed by a negation before it (the phrase carries its own). */
  fixed?: boolean;
  /** Counts only when nothing in its clause part complains. */
  dependent?: boolean;
};

const CUES = new Map<string, Cue>();
/** `phrases`: "|"-separated, each a phrase in the words readInbound produces (lower case, no apostrophes). */
function cue(phrases: string, value: Cue) {
  for (const phrase of phrases.split("|")) {
    const key = phrase.trim().replace(/\s+/g, " ");
    if (key) CUES.set(key, value);
  }
}
const words = (list: string) => list.trim().split(/\s+/).join("|");

// ─── praise ─────────────────────────────────────────────────────────────────────────────────────
cue(
  words(`
  love loved loves loving lovin luv luvvv lov adore adored great gr8 grt amazing amazin amazng amazeballs awesome
  awsome awesom perfect perfct perfection fantastic excellent good gud gooood goood nice happy beautiful gorgeous
  stunning pretty cute sweet lovely wonderful fabulous fab superb brilliant incredible impressed obsessed best fave fav
  favorite favourite recommend recommended satisfied pleased glad exceeded delighted thrilled wow stoked cozy cosy
  comfy comfortable soft sturdy durable solid legit sick fire lit dope slaps bussin goated elite insane stellar
  flawless yay woohoo ecstatic`),
  { polarity: 1 },
);
cue(
  "in love|a vibe|chefs kiss|chef kiss|hits different|top notch|so worth it|worth it|exceeded expectations|" +
    "as described|as expected|as pictured|10 out of 10|ten out of ten|a plus|thumbs up|well done|keep it up|" +
    "big fan|huge fan|biggest fan",
  { polarity: 1 },
);
cue("well made|high quality|good quality|great quality|holds up|holding up", { polarity: 1, topic: "quality" });
cue("true to size|fits perfectly|fits great|fits well|fit perfectly|fit great|fits like a glove|perfect fit", {
  polarity: 1,
  topic: "sizing",
});
// Praise that carries its own negation, or that a "no"/"nothing" before it does not reverse.
cue(
  "all good|all great|no complaints|cant complain|cannot complain|couldnt be happier|could not be happier|" +
    "couldnt be better|could not be better|cant stop wearing|cant wait|nothing to complain|nothing bad|" +
    "never disappoints|no regrets",
  { polarity: 1, fixed: true },
);
cue("worth every penny|great value|good value|great price|good price|great deal|good deal|affordable|bargain", {
  polarity: 1,
  topic: "price",
  fixed: true,
});
// "Fast" praises the shipping, unless something else went fast: "faded fast", "fell apart quickly".
cue("fast|quick|quickly|speedy|promptly|early|on time|right on time|arrived early", {
  polarity: 1,
  topic: "shipping",
  dependent: true,
});
cue("helpful|friendly|responsive|attentive|kind|lovely team|great service|great support|quick response", {
  polarity: 1,
  topic: "customer_service",
});

// ─── complaint ──────────────────────────────────────────────────────────────────────────────────
cue(
  words(`
  bad terrible terible awful aweful horrible horible hate hated hates disappointed disappointing dissapointed
  disapointed dissappointed disappointment disappoints poor worst unhappy upset annoyed frustrated frustrating
  useless sucks sucked crap crappy trash garbage junk lame mid yikes ugh ick underwhelming underwhelmed regret
  mediocre ugly weird wrong problem problems issue issues`),
  { polarity: -1 },
);
cue(
  "could be better|could have been better|couldve been better|not worth|not what i expected|nothing special|" +
    "not impressed|so so|kinda mid|not a fan|thumbs down|not for me|let down|a letdown|a let down",
  {
    polarity: -1,
    fixed: true,
  },
);
cue(
  words(`cheap flimsy thin itchy scratchy shrunk shrank shrinks shrink pilling pilled pills faded fades fading
  bleeds bled unraveling unravelling see through`),
  { polarity: -1, topic: "quality" },
);
cue(
  "broken|broke|brokn|defective|faulty|fell apart|falls apart|falling apart|came apart|coming apart|hole|holes|" +
    "ripped|torn|stain|stained|stains|doesnt work|dont work|didnt work|stopped working|not working|" +
    "no longer works|snapped|busted|cracked|came undone|seam split|seams split|zipper broke|leaking|leaks|leaked",
  { polarity: -1, topic: "quality", problem: true },
);
cue(
  "damaged|damage|crushed|dented|smashed|shattered|" +
    "arrived broken|came broken|showed up broken|arrived damaged|came damaged|arrived ripped|came ripped|" +
    "arrived torn|box was crushed|box was damaged|package was damaged|box was ripped|package was ripped",
  { polarity: -1, topic: "delivery_damage", problem: true },
);
cue(
  "wrong item|wrong size|wrong color|wrong colour|wrong one|wrong product|wrong order|missing item|missing items|" +
    "missing piece|missing|sent the wrong|got the wrong|received the wrong",
  { polarity: -1, topic: "wrong_item", problem: true },
);
cue("not what i ordered|didnt order|never ordered", { polarity: -1, topic: "wrong_item", problem: true, fixed: true });
cue(
  "never arrived|never came|never got|never received|didnt arrive|did not arrive|hasnt arrived|has not arrived|" +
    "not arrived|didnt get it|didnt receive|did not receive|still waiting|still havent|still hasnt|got lost|" +
    "lost in the mail|lost package|package was lost|package got lost|stolen",
  { polarity: -1, topic: "shipping", problem: true, fixed: true },
);
cue("refund|refunded|send it back|sent it back|sending it back|return it|returning it|want to return|scam|rip off", {
  polarity: -1,
  problem: true,
  fixed: true,
});
cue("slow|late|delayed|delay|took forever|taking forever|took ages|took weeks|took so long|took too long", {
  polarity: -1,
  topic: "shipping",
});
cue("overpriced|pricey|expensive|too expensive|too pricey|not worth the money|not worth the price|costly", {
  polarity: -1,
  topic: "price",
  fixed: true,
});
cue("rude|unhelpful|unresponsive|ignored|no response|no reply|never answered|never replied|never responded", {
  polarity: -1,
  topic: "customer_service",
  fixed: true,
});

// ─── topics without a feeling of their own ──────────────────────────────────────────────────────
cue(
  words(`size sizes sizing fit fits fitting fitted sleeves sleeve waist length inseam shoulders chest hips
  measurements`),
  { polarity: 0, topic: "sizing" },
);
cue(
  words(`quality material materials fabric stitching stitches seam seams zipper zip buttons button wash washed
  washing durability construction`),
  { polarity: 0, topic: "quality" },
);
cue(
  words(`shipping shipped ship delivery delivered deliver arrived arrive arrival arriving package parcel courier
  carrier ups usps fedex dhl tracking postage mail`),
  { polarity: 0, topic: "shipping" },
);
cue(words("price prices priced cost costs money value dollars bucks"), { polarity: 0, topic: "price" });
cue("service|support|customer service|customer support|team|staff|agent|rep|communication|response|reply|replies", {
  polarity: 0,
  topic: "customer_service",
});
cue(
  "wish it|wish they|wish you|wish there|would be nice|would love|wouldve loved|would have loved|should make|" +
    "should add|should have|should do|should offer|please make|pls make|plz make|more colors|more colours|" +
    "more sizes|other colors|other colours|another color|another colour|next time|suggestion|if you could|" +
    "could you make|hope you make|hope you add|add a|make one|make it in|make them in|bring back",
  { polarity: 0, topic: "suggestion", fixed: true },
);
cue(words("ok okay k fine decent alright aight average thanks thank thx ty"), { polarity: 0 });
cue("thumb hole|thumb holes|thumbholes|thumb loops", { polarity: 0 });

const MAX_PHRASE = Math.max(...[...CUES.keys()].map((k) => k.split(" ").length));

const NEGATORS = new Set(
  words(`not no never nothing dont didnt doesnt isnt wasnt arent werent aint cant cannot couldnt wouldnt wont
  hardly barely nor neither without`).split("|"),
);
const CONTRAST = new Set(words("but though although however except tho").split("|"));
// "It took way too long" is about the wait, not the fit.
const WAITING = new Set(words("took take takes taking wait waited waiting").split("|"));
// A size word with one of these near it is a complaint about the fit: "too long", "runs small", "a bit tight".
const SIZE_WORDS = new Set(
  words("small big large tight loose long short baggy snug wide narrow huge tiny boxy oversized").split("|"),
);
const SIZE_QUALIFIERS = new Set(
  words("too way bit little kinda kind slightly super very really runs run ran fits fit abit tad somewhat").split("|"),
);

const POSITIVE_EMOJI = /[😍🥰❤♥💕💖💗💓💞💘😊🙂😀😁😄😃👍🙌🔥💯⭐🌟🤩😎👌🎉✨😻🥳🤗☺😇💪🙏]/gu;
const NEGATIVE_EMOJI = /[😡😠🤬😞😔👎💔😤😒🙁☹😕😩🤮😫🤢😑😐]/gu;
const POSITIVE_MARKS =
  /(?:^|\s)(?::-?\)|:-?D|<3|;-?\))(?=\s|$)|\b(?:10\s*\/\s*10|(?:5|five)\s*(?:\/\s*5|stars?))\b|\bA\+/gi;
const NEGATIVE_MARKS = /(?:^|\s):-?\((?=\s|$)|\b(?:[0-4]\s*\/\s*10|(?:0|1|one|zero|no)\s*stars?)\b/gi;

/** A cue where it was found: its clause part, its word position, and whether a negation reversed it. */
type Hit = Cue & { part: number; at: number; flipped?: boolean };

function scanPart(partWords: string[], part: number, hits: Hit[]) {
  for (let i = 0; i < partWords.length;) {
    let matched = 0;
    for (let n = Math.min(MAX_PHRASE, partWords.length - i); n >= 1; n--) {
      const found = CUES.get(partWords.slice(i, i + n).join(" "));
      if (!found) continue;
      hits.push({ ...adjust(found, partWords, i), part, at: i });
      matched = n;
      break;
    }
    if (matched === 0 && SIZE_WORDS.has(partWords[i])) {
      const near = partWords.slice(Math.max(0, i - 2), i);
      if (near.some((w) => SIZE_QUALIFIERS.has(w)))
        hits.push({
          polarity: negated(partWords, i) ? 0 : -1,
          topic: partWords.some((w) => WAITING.has(w)) ? "shipping" : "sizing",
          part,
          at: i,
        });
    }
    i += Math.max(matched, 1);
  }
}

// "No it's perfect!" answers "anything we could do better?": a "no" or "nothing" opening the reply negates only
// the word right after it ("no problems", "nothing wrong").
const ANSWER_WORDS = new Set(["no", "nothing", "nah", "nope"]);

function negated(partWords: string[], at: number): boolean {
  for (let j = Math.max(0, at - 3); j < at; j++) {
    if (!NEGATORS.has(partWords[j])) continue;
    if (j === 0 && ANSWER_WORDS.has(partWords[j]) && at > 1) continue;
    return true;
  }
  return false;
}

/** A cue as it reads where it stands: negated ("not bad", "no problems") it flips and fixes nothing. */
function adjust(found: Cue, partWords: string[], at: number): Cue & { flipped?: boolean } {
  if (found.fixed || found.polarity === 0 || !negated(partWords, at)) return found;
  return { ...found, polarity: found.polarity === 1 ? -1 : 1, problem: false, flipped: true };
}

/** Clause parts: a contrast word starts a new part, so negation does not reach across it. */
function partsOf(text: string): string[][] {
  const parts: string[][] = [];
  for (const clause of readInbound(text).clauses) {
    let current: string[] = [];
    for (const word of clause.words) {
      if (CONTRAST.has(word) && current.length > 0) {
        parts.push(current);
        current = [];
      }
      current.push(word);
    }
    if (current.length > 0) parts.push(current);
  }
  return parts;
}

const count = (text: string, pattern: RegExp) => (text.match(pattern) ?? []).length;

// Praise shortly after a topic is about it ("service was great", "quality is amazing"); other praise is praise
// for the product.
const NOT_PRODUCT: ReadonlySet<FeedbackTopic | undefined> = new Set(
  FEEDBACK_TOPICS.filter((t) => t !== "product_praise" && t !== "suggestion"),
);
const PRAISE_REACH = 3;

/** Plain praise ("love", "gorgeous") not said of a topic (shipping, service, quality…), nor a reversed complaint. */
function praisesProduct(hit: Hit, hits: Hit[]): boolean {
  if (hit.polarity !== 1 || hit.topic || hit.flipped) return false;
  return !hits.some(
    (h) =>
      h.part === hit.part && !h.flipped && NOT_PRODUCT.has(h.topic) && h.at < hit.at && hit.at - h.at <= PRAISE_REACH,
  );
}

export function classifyFeedback(text: string): FeedbackReading {
  const found: Hit[] = [];
  partsOf(text).forEach((part, index) => scanPart(part, index, found));
  const hits = found.filter(
    (hit) => !hit.dependent || !found.some((other) => other.part === hit.part && other.polarity === -1),
  );

  const topics = new Set<FeedbackTopic>();
  // A reversed complaint ("no damage", "nothing wrong") is not about its topic.
  for (const hit of hits) if (hit.topic && !hit.flipped) topics.add(hit.topic);
  if (hits.some((hit) => praisesProduct(hit, hits))) topics.add("product_praise");

  const emojiPositive = count(text, POSITIVE_EMOJI) + count(text, POSITIVE_MARKS);
  const emojiNegative = count(text, NEGATIVE_EMOJI) + count(text, NEGATIVE_MARKS);
  const positive = hits.filter((h) => h.polarity === 1).length + Math.min(emojiPositive, 2);
  const negative = hits.filter((h) => h.polarity === -1).length + Math.min(emojiNegative, 2);
  const problem = hits.some((h) => h.problem && h.polarity === -1);
  if (positive > 0 && topics.size === 0 && negative === 0) topics.add("product_praise");

  const sentiment: FeedbackSentiment = problem
    ? "NEGATIVE"
    : positive > 0 && negative > 0
      ? "NEUTRAL"
      : positive > 0
        ? "POSITIVE"
        : negative > 0
          ? "NEGATIVE"
          : "NEUTRAL";
  return { sentiment, topics: FEEDBACK_TOPICS.filter((t) => topics.has(t)), positive, negative, problem };
}
