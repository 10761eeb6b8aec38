import { z } from "zod";
import { readInbound } from "~/domain/inbound-text";
import { classifyInbound } from "~/domain/keywords";

// The abandoned-cart flow asks "Anything I can help with?" and acts on the answer: free shipping for a shipping
// complaint, a code for price, product data for questions, a polite close for "just looking", staff for the rest.
// Replies are short, misspelt and full of emoji, so the text is first normalised into plain words, then read
// with an ordered table of cue patterns. Each cue that matches *consumes* its words, so a longer, more specific
// cue ("shipping is too expensive") takes the words a shorter one ("expensive") would otherwise count for
// another intent. Cues are strong (they decide) or weak (a hint used only when nothing strong matched).

export const CART_REPLY_INTENTS = [
  "shipping_cost",
  "price",
  "size_fit",
  "product_question",
  "delivery_time",
  "payment_problem",
  "just_browsing",
  "already_bought",
  "positive_intent",
  "opt_out",
  "unknown",
] as const;
export const CartReplyIntentSchema = z.enum(CART_REPLY_INTENTS);
export type CartReplyIntent = z.infer<typeof CartReplyIntentSchema>;

/** What a size or product question is about, so the flow can answer it from the product's data. */
export const CartReplyTopicSchema = z.enum(["colour", "size", "material", "stock", "dimensions", "care"]);
export type CartReplyTopic = z.infer<typeof CartReplyTopicSchema>;

export const CartReplyClassificationSchema = z.object({
  intent: CartReplyIntentSchema,
  confidence: z.enum(["high", "low"]),
  /** The normalised words that decided ("shipping is too expensive"), for the conversation timeline. */
  matched: z.string().nullable(),
  /** Other intents the reply clearly also expresses, most important first. */
  secondary: z.array(CartReplyIntentSchema),
  /** The subject of the reply's size or product question, whether that question is primary or secondary. */
  topic: CartReplyTopicSchema.optional(),
  /** The colour ("blue") or size ("M") the shopper asked about. */
  asked: z.string().optional(),
});
export type CartReplyClassification = z.infer<typeof CartReplyClassificationSchema>;

/**
 * Which intent leads when a reply expresses several with equal strength. Why this order:
 * - already_bought first: an offer or answer to someone who has bought is wasted, and the run should end.
 * - payment_problem next: the shopper tried to pay. A code or an answer would land on the same broken checkout;
 *   staff must look.
 * - shipping_cost before price: free shipping is the smaller, targeted concession, and a reply naming both is
 *   usually about shipping ("shipping is too expensive" is consumed whole by one cue anyway).
 * - price before the questions: the objection is why they left. The question can be answered alongside (it stays
 *   in `secondary`, with its topic), but answering "does it come in blue?" while ignoring "too expensive" loses
 *   the sale.
 * - delivery_time, size_fit, product_question: questions the flow answers.
 * - positive_intent after the questions: "I'll order tonight, does it run small?" still needs its answer.
 * - just_browsing last of all real intents: any objection or question beside it is something the flow can act
 *   on, where a polite close would waste it ("not right now, shipping is too much" → shipping_cost).
 * - unknown: only when nothing else is there.
 */
const PRIORITY: readonly CartReplyIntent[] = [
  "already_bought",
  "payment_problem",
  "shipping_cost",
  "price",
  "delivery_time",
  "size_fit",
  "product_question",
  "positive_intent",
  "just_browsing",
  "unknown",
];

const QUESTION_INTENTS: readonly CartReplyIntent[] = ["size_fit", "product_question"];

// ---------------------------------------------------------------------------------------------------------------
// Normalisation: "Sooo expensiveee 😭💸 $15 shippin?!" → "so expensive amount shipping ?"

// Emoji carry feeling, not meaning here: 😭💸 after "shipping" is still about shipping. Removing them (rather than
// letting them split clauses) keeps "shipping 😭 too much" one phrase.
const EMOJI = /\p{Extended_Pictographic}|\p{Emoji_Modifier}|\u200d|\ufe0f|\u20e3/gu;
// A money amount is one token, so "$12 shipping" and "shipping 12 bucks" read alike.
const MONEY = /[$€£]\s?\d+(?:[.,]\d+)?|\b\d+(?:[.,]\d+)?\s?(?:[$€£]|usd|dollars?|bucks|euros?|quid)(?![\p{L}])/gu;
// A height ("I'm 5'6") would lose its apostrophe to readInbound and become "56"; it is a size-advice cue.
const HEIGHT = /\b[4-7]\s?(?:'|’|ft|foot|feet)\s?(?:\d{1,2}\s?(?:"|”|''|in|inches)?)?(?![\p{L}\d])/gu;

// Elongated words ("sooo", "expensiveee") lose their repeats, except where the doubled letter belongs to the word.
const KEEP_DOUBLE = new Set(
  `too good free soon small all still well off need needed look looks looking cool feel week weeks keep green wool
  will ill sell full tall fee fees shipping shipped see seen book address less dress loose pass afford cotton happy
  sorry summer coffee feet fitting fitted bigger tee tees sweet bookmark apparel add added pull jeep wood boots boot
  too yall butt buttons zipper mood wanna gonna gotta kinda sooner`.split(/\s+/),
);

// Spellings shoppers type, mapped to the words the cues look for.
const SLANG: Readonly<Record<string, string>> = {
  u: "you",
  ya: "you",
  ur: "your",
  r: "are",
  rn: "right now",
  thx: "thanks",
  thnx: "thanks",
  thanx: "thanks",
  tx: "thanks",
  ty: "thanks",
  tysm: "thanks",
  pls: "please",
  plz: "please",
  cuz: "because",
  bc: "because",
  coz: "because",
  abt: "about",
  wat: "what",
  wut: "what",
  wen: "when",
  b4: "before",
  tmrw: "tomorrow",
  tmr: "tomorrow",
  tmrrw: "tomorrow",
  "2moro": "tomorrow",
  "2morrow": "tomorrow",
  tomoro: "tomorrow",
  "2nite": "tonight",
  tonite: "tonight",
  l8r: "later",
  latr: "later",
  rly: "really",
  sz: "size",
  k: "ok",
  kk: "ok",
  okay: "ok",
  oki: "ok",
  okie: "ok",
  shippin: "shipping",
  shiping: "shipping",
  shpping: "shipping",
  shippng: "shipping",
  shipng: "shipping",
  shippinh: "shipping",
  postage: "shipping",
  expencive: "expensive",
  expensiv: "expensive",
  expesive: "expensive",
  expansive: "expensive",
  expnsive: "expensive",
  exspensive: "expensive",
  xpensive: "expensive",
  expensve: "expensive",
  expinsive: "expensive",
  expenisve: "expensive",
  expensivee: "expensive",
  pricy: "pricey",
  colour: "color",
  colours: "colors",
  delievery: "delivery",
  delivary: "delivery",
  dilivery: "delivery",
  recieve: "receive",
  arive: "arrive",
  discout: "discount",
  dicount: "discount",
  disount: "discount",
  cupon: "coupon",
  coupn: "coupon",
  cheeper: "cheaper",
  checkout: "check out",
  xmas: "christmas",
  bday: "birthday",
};

// "2 much", "to expensive": a "2" or "to" before these is "too".
const AFTER_TOO = new Set(
  "much many expensive pricey costly high steep small big large tight loose long short slow".split(" "),
);

function unstretch(word: string): string {
  if (!/(\p{L})\1\1/u.test(word)) return word;
  const twice = word.replace(/(\p{L})\1{2,}/gu, "$1$1");
  return KEEP_DOUBLE.has(twice) ? twice : word.replace(/(\p{L})\1{2,}/gu, "$1");
}

function canonicalWords(words: string[]): string[] {
  const out: string[] = [];
  words.forEach((raw, i) => {
    const word = unstretch(raw);
    const next = words[i + 1] === undefined ? "" : unstretch(words[i + 1]);
    if ((word === "2" || word === "to") && AFTER_TOO.has(SLANG[next] ?? next)) out.push("too");
    else out.push(...(SLANG[word] ?? word).split(" "));
  });
  return out;
}

/** Clauses of plain lower-case words, " | " between clauses, and a "?" token closing each question. */
export function normaliseCartReply(text: string): string {
  const prepared = text
    .normalize("NFKC")
    .toLowerCase()
    .replace(EMOJI, " ")
    .replace(HEIGHT, " bodyheight ")
    .replace(MONEY, " amount ")
    .replace(/\${2,}/g, " pricey ")
    .replace(/%/g, " percent ")
    .replace(/\bs\s?&\s?h\b/g, " shipping ")
    .replace(/&/g, " and ");
  return readInbound(prepared)
    .clauses.map((clause) => [...canonicalWords(clause.words), ...(clause.question ? ["?"] : [])].join(" "))
    .join(" | ");
}

// ---------------------------------------------------------------------------------------------------------------
// Cue patterns. They run on the normalised text, whose tokens are separated by single spaces; every cue is
// anchored to whole tokens. Consumed words become "~".

const NEGATIONS = new Set(
  "not isnt arent wasnt werent aint never havent hasnt hadnt didnt dont doesnt wont wouldnt nothing without".split(" "),
);
const NEG = [...NEGATIONS].join("|");
// Words a "near" gap may not cross: a negation flips the meaning, a conjunction starts another thought
// ("shipping takes forever and it's too expensive" is not about shipping cost).
const GAP_WORD = `(?!(?:${NEG}|and|but|plus|also|tho|though|then|or)(?![^ ]))[^ |?~]+`;
const gap = (n: number) => `(?: ${GAP_WORD}){0,${n}}`;
const WORD = "[^ |?~]+";
const near = (a: string, b: string, n = 4) => `(?:${a})${gap(n)} (?:${b})`;
// Short replies that mean something only as the whole clause ("no", "shipping?"), with politeness around them.
const CLAUSE_FILLER = "ok|oh|um|umm|hmm|well|honestly|actually|sorry|haha|lol|lmao|thanks|thank you|tho|hey|hi|so";
const clauseOnly = (src: string) =>
  `(?<=^|\\| )(?:(?:${CLAUSE_FILLER}) )*(?:${src})(?: (?:${CLAUSE_FILLER}|for now|right now|atm))*(?: \\?)?(?= \\||$)`;

const SHIP = "shipping|delivery";
const COST_ADJ = `expensive|pricey|costly|overpriced|steep|high|much|crazy|insane|ridiculous|outrageous|absurd|nuts|
  wild|a lot|alot|more than|as much as|kills|killed|killing|rip off|ripoff|robbery`.replace(/\n\s*/g, "");
const DELIVERY_VERB =
  `ship|ships|shipping|shipped|deliver|delivers|delivered|delivery|arrive|arrives|arrival|take|takes|
  get here|get there|get to me|get it|be here|be there|come|comes|receive|receive it|dispatch|dispatched`.replace(
    /\n\s*/g,
    "",
  );
const OCCASION = `christmas|birthday|holidays|holiday|thanksgiving|valentines|mothers day|fathers day|easter|wedding|
  the weekend|weekend|monday|tuesday|wednesday|thursday|friday|saturday|sunday|next week|tomorrow|tonight|vacation|
  trip|party|the \\d+(?:st|nd|rd|th)?|\\d+(?:st|nd|rd|th)`.replace(/\n\s*/g, "");
const SIZE = `extra small|extra large|x large|x small|xxxl|xxl|xxs|[2-5]xl|xlarge|xsmall|xl|xs|small|medium|med|large|
  lg|petite|plus size|s|m|l`.replace(/\n\s*/g, "");
const COLOUR = `(?:(?:light|dark|pale|baby|royal|sky|forest|hot|dusty|bright|off) )?(?:black|white|blue|navy|red|green|
  yellow|pink|purple|orange|brown|beige|grey|gray|cream|ivory|tan|khaki|olive|teal|turquoise|burgundy|maroon|gold|
  silver|charcoal|sage|lilac|lavender|mint|coral|rust|mustard|camel|nude|indigo|magenta|peach|oatmeal|
  multicolor)`.replace(/\n\s*/g, "");
const MATERIAL = `cotton|linen|wool|merino|polyester|poly|silk|leather|suede|cashmere|nylon|rayon|viscose|spandex|
  elastane|lycra|bamboo|hemp|denim|modal|acrylic|fleece|velvet|satin|canvas|organic|synthetic`.replace(/\n\s*/g, "");
const PROPERTY = `waterproof|water proof|water resistant|water repellent|breathable|see through|sheer|stretchy|stretch|
  itchy|scratchy|soft|thick|thin|heavy|lightweight|light weight|warm|lined|opaque|vegan|windproof|
  durable`.replace(/\n\s*/g, "");
const RUNS_OR_FITS = `runs? (?:small|big|large|true|tight|narrow|wide|long|short)|fits? (?:small|big|large|true|tight|loose|snug|well|ok|me|right)`;
const THING = `it|this|that|they|these|them|the ${WORD}`;
// "I ordered one last year, does it run small?" is about an earlier order, not this cart.
const NOT_EARLIER = `(?!(?: ${WORD}){0,4} (?:last time|before|previously|last year|last month|in the past|wrong))`;

type Strength = "strong" | "weak";

type Cue = {
  intent: CartReplyIntent | null; // null: the words are dismissed ("price is fine") and count for nothing
  strength: Strength;
  pattern: RegExp;
  // Whether "not"/"isn't"/"haven't" just before the cue cancels it ("not expensive at all", "haven't bought it
  // yet"). Off where the negation is the message ("card didn't go through", "I don't need it anymore").
  negatable: boolean;
  topic?: CartReplyTopic;
  asked?: (groups: Record<string, string | undefined>) => string | undefined;
};

type CueOptions = Pick<Cue, "topic" | "asked"> & { negatable?: boolean };

function cue(intent: CartReplyIntent | null, strength: Strength, src: string, options: CueOptions = {}): Cue {
  const pattern = new RegExp(`(?<![^ ])(?:${src})(?![^ ])`, "g");
  return {
    intent,
    strength,
    pattern,
    negatable: options.negatable ?? true,
    topic: options.topic,
    asked: options.asked,
  };
}

const strong = (intent: CartReplyIntent | null, src: string, options?: CueOptions) =>
  cue(intent, "strong", src, options);
const weak = (intent: CartReplyIntent, src: string, options?: CueOptions) => cue(intent, "weak", src, options);
const fixed = { negatable: false };

const SIZE_CODES: Readonly<Record<string, string>> = {
  "extra small": "XS",
  "x small": "XS",
  xsmall: "XS",
  small: "S",
  medium: "M",
  med: "M",
  large: "L",
  lg: "L",
  "extra large": "XL",
  "x large": "XL",
  xlarge: "XL",
};
const askedSize = (g: Record<string, string | undefined>) => {
  const size = g.size;
  if (size === undefined) return undefined;
  return SIZE_CODES[size] ?? (/^\d+$/.test(size) || size.includes(" ") ? size : size.toUpperCase());
};
const askedColour = (g: Record<string, string | undefined>) => g.colour;
const sizeAsked = { topic: "size" as const, asked: askedSize };
const colourAsked = { topic: "colour" as const, asked: askedColour };

// The table, read top to bottom. Order matters only where two cues can claim the same words: the one that reads
// them correctly comes first (dismissals before the words they dismiss, "how long does shipping take" before the
// bare "shipping", "is it in stock in a medium" before "in stock").
const CUES: readonly Cue[] = [
  // Dismissals: what the shopper says is *not* the problem.
  strong(
    null,
    `(?:price|prices|pricing|cost|the price) (?:is |s |seems |looks |was )?(?:fine|ok|reasonable|fair|good|great|not bad|no problem|(?:not|isnt) (?:the |an )?(?:problem|issue))`,
  ),
  strong(null, `(?:not|isnt|wasnt) (?:about |because of |really )?the (?:price|money|cost)`),
  strong(
    null,
    `(?:${SHIP}) (?:is |was |seems |looks )?(?:fine|ok|reasonable|fair|not bad|no problem|(?:not|isnt) (?:the |an )?(?:problem|issue))`,
  ),
  strong(null, `(?:${SHIP}) (?:was|has been|is always|always) (?:super |really |very )?(?:fast|quick|great|good)`),
  strong(
    null,
    `(?:${SHIP}) (?:isnt|is not|wasnt|not|aint) (?:too |that |so |very |really )?(?:expensive|pricey|bad|much|high|an issue|a problem|the problem|the issue)`,
  ),
  strong(null, `not (?:about |because of )?the (?:${SHIP})`),
  strong(null, `(?:size|sizing|fit) (?:is |was )?(?:fine|ok|perfect|good|not the (?:problem|issue))`),

  // Replies the flow cannot act on, whatever else they say; named so the hand-over says why.
  strong(
    "unknown",
    `who (?:is|s|are) (?:this|you)|whos (?:this|dis)|who dis|who this|how (?:did|do) you (?:get|have) (?:my|this) (?:number|#|info|contact)|(?:what|which) (?:cart|shirt|order) \\?|not my cart|i (?:dont|didnt) (?:have|leave|add|put) (?:anything|a cart)`,
    fixed,
  ),
  strong(
    "unknown",
    `(?:is this|are you) (?:a |an )?(?:bot|robot|real person|real human|real|human|person|automated|ai)|(?:talk|speak|chat) (?:to|with) (?:a |an )?(?:someone|somebody|person|human|real person|staff|agent|manager)|call me`,
    fixed,
  ),

  // already_bought
  strong(
    "already_bought",
    `already (?:ordered|bought|purchased|paid|got|checked out|placed|have|own|did|grabbed|picked)`,
  ),
  strong(
    "already_bought",
    `(?:bought|ordered|purchased|got|grabbed|picked up|picked (?:it|one|them) up)(?: it| one| them| that| this| the ${WORD})?(?: already| yesterday| last night| earlier| today| this morning| in store| instore| in person| at the store| in the store| elsewhere| somewhere else| on amazon| online| from ${WORD})`,
  ),
  strong(
    "already_bought",
    `(?:i|we|just|actually|finally)(?: just| actually)? (?:ordered|bought|purchased|checked out|placed (?:the |an |my )?order|did (?:buy|order|purchase|check out))${NOT_EARLIER}`,
  ),
  strong("already_bought", `(?:bought|purchased|ordered) (?:it|one|them)${NOT_EARLIER}`),
  strong("already_bought", `just did|did already|done already|(?:my )?order (?:number|#|confirmation)`),
  strong("already_bought", clauseOnly(`(?:just )?(?:ordered|bought|purchased)(?: it| one)?`)),

  // "I can't pay until Friday" is about money, not a broken checkout.
  strong(
    "price",
    `(?:cant|cannot|can not) pay (?:for it )?(?:till|til|until|right now|yet|this week|this month|before)`,
    fixed,
  ),

  // payment_problem: the shopper tried to pay, or asks how they can.
  strong(
    "payment_problem",
    near(
      `(?:discount |promo |coupon )?codes?|coupon|discount`,
      `not working|isnt working|wont work|doesnt work|didnt work|invalid|expired|wont apply|didnt apply|not applying|doesnt apply|isnt applying|rejected|error`,
      2,
    ),
    fixed,
  ),
  strong("payment_problem", `declined|decline|declining|rejected`, fixed),
  strong(
    "payment_problem",
    `afterpay|after pay|klarna|sezzle|affirm|zip pay|zippay|quadpay|pay in (?:4|four|installments|instalments)|installments|instalments|payment plan|layaway|buy now pay later|bnpl`,
    fixed,
  ),
  strong(
    "payment_problem",
    `paypal|pay pal|apple pay|applepay|google pay|gpay|shop pay|shoppay|venmo|cash app|cashapp|amex|american express|mastercard|visa|gift card|giftcard|crypto`,
    fixed,
  ),
  strong(
    "payment_problem",
    near(
      `check out|payment|card|site|website|page|app|cart|link|button|it`,
      `error|erroring|errors|broken|broke|crash|crashed|crashing|glitch|glitched|glitching|glitchy|failed|fails|failing|not working|isnt working|wont work|doesnt work|didnt work|stopped working|not going through|wont go through|didnt go through|wouldnt go through|stuck|froze|frozen|freezes|freezing|wont load|doesnt load|didnt load|not loading|bugged|buggy`,
      3,
    ),
    fixed,
  ),
  strong("payment_problem", `error|errors|erroring|glitch|glitching|glitchy|bug|buggy|crashed|crashing`, fixed),
  strong(
    "payment_problem",
    `(?:cant|couldnt|unable to|cannot|can not|wont let me|wouldnt let me|doesnt let me|didnt let me|not letting me) (?:check out|pay|complete|finish|place|submit|add|use)`,
    fixed,
  ),
  strong("payment_problem", `(?:how|where|can) (?:do |can )?(?:i|we) pay|pay (?:with|by|using|via)`, fixed),

  // shipping_cost. The whole complaint first, so "expensive" in it is not also read as price.
  strong("shipping_cost", `(?:${SHIP}) (?:is |was )?(?:not|isnt|wasnt|aint) free`, fixed),
  strong("shipping_cost", near(SHIP, COST_ADJ)),
  strong("shipping_cost", `(?:${COST_ADJ}|too much) (?:for |on |in |with )?(?:the )?(?:${SHIP})`),
  strong("shipping_cost", `free (?:${SHIP})|(?:${SHIP}) (?:is )?free|ship (?:it )?(?:for )?free`),
  strong(
    "shipping_cost",
    `(?:${SHIP}) (?:cost|costs|fee|fees|price|prices|charge|charges|rate|rates|amount|total)|(?:cost|costs|price|fee|fees|charge|charges|rate|rates) (?:of|for|on) (?:the )?(?:${SHIP})`,
  ),
  strong("shipping_cost", `how much${gap(3)} (?:${SHIP})`),
  strong(
    "shipping_cost",
    `amount (?:just )?(?:for |in |of )?(?:${SHIP})|amount (?:just )?(?:to|for) ship|(?:${SHIP}) (?:is |was |of |for |costs? |at |alone )?amount`,
  ),
  // "I don't want to pay for shipping" complains about shipping; its "don't" is the complaint.
  strong("shipping_cost", `(?:pay|paying|spend|spending)${gap(3)} (?:for |on )?(?:the )?(?:${SHIP})`, fixed),
  strong("shipping_cost", `(?:its|it was|it is|just|mostly|only) (?:the|your) shipping`),
  strong("shipping_cost", clauseOnly(`(?:the )?shipping`)),

  // "When will the blue come back?" asks about stock, not delivery.
  strong("product_question", `back in stock|restock|restocking|(?:come|comes|be) back`, { topic: "stock" }),

  // delivery_time
  strong("delivery_time", `how (?:long|soon|fast|quick|quickly)${gap(5)} (?:${DELIVERY_VERB})`, fixed),
  strong("delivery_time", `when (?:will|would|does|do|can|could|is|might|should)${gap(4)} (?:${DELIVERY_VERB})`, fixed),
  strong(
    "delivery_time",
    `(?:arrive|arrives|arriving|get here|be here|get there|deliver|delivered|ship|shipped|ships|make it|get it|receive it|have it|need it|need them|need this|come|come in) (?:by|before|in time|until|til|till)`,
    fixed,
  ),
  strong("delivery_time", `(?:in time for|before|by) (?:the |my |her |his |our |a )?(?:${OCCASION})`, fixed),
  strong(
    "delivery_time",
    `(?:${SHIP}|transit|processing|turnaround) (?:time|times|speed|estimate|window|eta|duration)|eta|(?:express|expedited|overnight|next day|2 day|two day|same day|rush|priority|faster|fast|quick|quicker|speedy) (?:${SHIP})`,
    fixed,
  ),
  strong(
    "delivery_time",
    `ship (?:fast|quickly|quick|today|tomorrow|same day|overnight)|how many (?:days|weeks|business days)|(?:days|weeks) (?:to|for|until|til) (?:ship|arrive|deliver|delivery|get)`,
    fixed,
  ),
  strong(
    "delivery_time",
    `(?:${SHIP}) (?:takes |take |took |is |was |seems )?(?:too |so |really |very )?(?:slow|long|forever|ages|fast|quick)`,
    fixed,
  ),

  // price
  strong("price", `(?:cant|cannot|couldnt|unable to|not able to|can not) afford`, fixed),
  strong(
    "price",
    `(?:dont|not|wont) (?:want to |wanna |gonna |going to )?(?:pay|spend) (?:that|this|so|more|over|amount)|(?:dont|do not|not enough|short on|low on|no) (?:have )?(?:the )?(?:money|cash|funds)`,
    fixed,
  ),
  strong("price", `(?:its|it is|just|mostly|only|honestly|tbh) the (?:price|cost|money|budget)`),
  strong("price", clauseOnly(`(?:the )?(?:price|cost)`)),
  strong(
    "price",
    `(?:(?:too|so|really|very|kinda|a bit|bit|a little|way too|just|super|pretty) )?(?:expensive|pricey|costly|overpriced|spendy|steep)`,
  ),
  strong("price", near(`price|prices|pricing|cost|costs`, `high|crazy|insane|ridiculous|steep|much|a lot`, 3)),
  strong("price", `too much|too high|too rich|(?:thats|its|it is|seems|bit|kinda) a lot|not cheap`),
  strong("price", `cheaper|less expensive|lower price|better price|price match|better deal|found it for less`),
  strong(
    "price",
    `(?:discount|discounts|coupon|coupons|promo|promos|promotion|promotions|voucher|vouchers)(?: codes?)?|percent off|amount off|sale|sales|deal|deals|markdown|clearance`,
  ),
  strong("price", `(?:any|got a|have a|get a) (?:codes?|offers?)`),
  strong("price", `budget|broke|payday|pay day|paycheck|money (?:is |s )?tight|tight on (?:money|cash)|strapped`),

  // size_fit; a question naming a size is answered from that variant (its fit, its stock).
  strong(
    "size_fit",
    `(?:(?:is|are|does|do) )?(?:the |a |an )?(?:size )?(?<size>${SIZE}|(?<=size )\\d{1,2}) (?:true to size|tts|${RUNS_OR_FITS}|runs?|fits?|left|available|in stock|still available|sold out|back in stock)`,
    { ...sizeAsked, negatable: false },
  ),
  strong(
    "size_fit",
    `(?<!(?:usually|normally|typically|always) )(?:have|has|got|come|comes|carry|stock|available|avail|get|order|make|sell|is there|any)(?: it| this| that| these| them| one| the ${WORD})? (?:in )?(?:a |an |size )?(?<size>${SIZE})`,
    { ...sizeAsked, negatable: false },
  ),
  strong("size_fit", `(?<!(?:im|am|wear|usually|normally|typically)(?: a| an)? )size (?<size>${SIZE}|\\d{1,2})`, {
    ...sizeAsked,
    negatable: false,
  }),
  strong("size_fit", `should i (?:get|go|order|buy) (?:a |an |the )?(?<size>${SIZE})`, {
    ...sizeAsked,
    negatable: false,
  }),
  strong(
    "size_fit",
    `what size|which size|whats my size|size should|sizing|size chart|size guide|size up|size down|sized up|sized down|between sizes|a size (?:up|down|bigger|smaller)|(?:go|get|order) (?:up|down) a size|true to size|tts|(?:${SIZE}) or (?:a |an )?(?:${SIZE})`,
    { topic: "size", negatable: false },
  ),
  strong(
    "size_fit",
    `${RUNS_OR_FITS}|how (?:does|do|will|would) (?:${THING}) fit|(?:will|would|does|do) (?:${THING}) fit|(?:too|very|kinda|bit) (?:small|big|large|tight|loose|snug|baggy|short|long)`,
    { topic: "size", negatable: false },
  ),

  // The shopper's own size ("I'm usually a medium", "I'm 5'6") is advice input, not the size asked about.
  strong(
    "size_fit",
    `(?:im|i am|i wear|usually|normally|typically)(?: usually| normally| typically| a| an| size)* (?:${SIZE}|\\d{1,2}|bodyheight|between)|bodyheight|\\d+ ?(?:lbs|lb|pounds|kg)|(?:chest|waist|hips|bust) (?:is|are|size)`,
    { topic: "size", negatable: false },
  ),

  // product_question, with what it is about.
  strong("product_question", `in (?:a |an |the )?(?<colour>${COLOUR})`, colourAsked),
  strong("product_question", `(?<colour>${COLOUR}) (?:one|ones|version|option|color|colorway|variant)`, colourAsked),
  strong("product_question", `(?<=^|\\| )(?<colour>${COLOUR}) \\?`, colourAsked),
  strong("product_question", `colors?|color ways?|colorways?|shades?`, { topic: "colour" }),
  strong(
    "product_question",
    `in stock|out of stock|sold out|availability|available|any left|how many (?:left|in stock)|still have (?:it|any|them|one)|low stock|\\d+ left`,
    { topic: "stock" },
  ),
  strong(
    "product_question",
    `dimensions|measurements|measurement|how (?:long|big|wide|tall|heavy|large|deep|thick) (?:is|are) (?:${THING})|(?:the )?(?:length|width|inseam|sleeve length|depth)|how many (?:inches|cm|centimeters)|weigh|weight`,
    { topic: "dimensions" },
  ),
  strong(
    "product_question",
    `machine wash(?:able)?|washable|wash (?:it|them|this|in)|washing (?:machine|instructions)|dry clean(?:ing)?|hand wash|tumble dry|dryer|iron|ironing|shrink|shrinks|shrinkage|shrunk|care (?:instructions|label|guide)|how (?:do|to|should|can) (?:i|you) (?:wash|clean|care)|wrinkle|wrinkles|pilling`,
    { topic: "care" },
  ),
  strong(
    "product_question",
    `made (?:of|from|out of|with)|what (?:material|fabric)|materials?|fabrics?|composition|blend|what (?:is|s) it made|(?:is|are|will|would|does|do) (?:${THING})(?: (?:a|an|very|too|really|kinda|kind of|fully|real|pure|100 percent))* (?:${MATERIAL}|${PROPERTY})|(?:100 percent|pure|real|genuine) (?:${MATERIAL})|waterproof|water proof|water resistant|breathable|see through`,
    { topic: "material" },
  ),
  strong(
    "product_question",
    `(?:does|do|will|would) (?:${THING}) (?:have|come with|include|has)|pockets|unisex|for (?:men|women|kids)|quality|(?:any|more|real) (?:photos|pics|pictures|reviews)`,
  ),

  // just_browsing, before positive_intent so "not gonna buy it" is read as a no.
  strong(
    "just_browsing",
    `(?:wont|not|not gonna|not going to|no longer)(?: be)? (?:buy|buying|order|ordering|getting|purchase|purchasing)|(?:dont|not|wont|no longer) (?:need|want|needed) (?:it|this|that|them|one|anything)(?! to)|(?:dont|do not) think (?:ill|i will|im gonna|i want to) (?:buy|order|get|purchase)`,
    fixed,
  ),
  strong(
    "just_browsing",
    `just (?:looking|browsing|window shopping|saving)|only looking|window shopping|browsing|looking around|not interested in (?:buying|ordering|it|this|that)|changed my mind|change of heart|decided (?:not to|against)|not for me|found (?:something|one) else|went with (?:something|another)`,
    fixed,
  ),
  strong(
    "just_browsing",
    `no (?:thanks|thank you|need|worries)|nothing (?:thanks|right now|for now|atm|at the moment)|not (?:right now|now|today|yet|at the moment|atm|this time)`,
    fixed,
  ),
  strong(
    "just_browsing",
    `maybe (?:later|another time|next time|some other time|ill|i will|i might|next month|next week)|another time|some other time|later maybe|(?:ill|i will|i may|i might|may|might) (?:come back|think|look|check back|return|get back|wait)|(?:i may|i might|may|might) (?:buy|get|order)|(?:still )?(?:thinking|deciding)(?: about it)?|think (?:about it|it over)|sleep on it|on the fence|undecided|(?:saving|saved) (?:it )?for later|wish ?list|(?:ill|i will) pass|pass for now|no need`,
    fixed,
  ),
  strong(
    "just_browsing",
    clauseOnly(`(?:nah |no |nope )?(?:im|were|i am|we are|all|im all) (?:good|ok|fine|set|all set|alright)`),
    fixed,
  ),

  // positive_intent: the shopper says they will finish; no offer needed.
  strong(
    "positive_intent",
    `(?:ill|i will|im gonna|gonna|im going to|going to|about to|will|we will|planning to|plan to|i want to|wanna|need to|gotta)(?: go ahead and| just| still| probably| definitely| def| totally| now| be)? (?:buy|order|get(?! back)|grab|purchase|check out|finish|complete|place|pick (?:it )?up|cop|snag|take|pay)`,
  ),
  strong(
    "positive_intent",
    `(?:buying|ordering|checking out|purchasing|completing|finishing|placing|grabbing|getting)(?: it| one| them| the order| my order| the ${WORD})?(?: now| tonight| today| right now| later| soon| this weekend| tomorrow| after work| in a bit| asap| later today)`,
  ),
  strong("positive_intent", `(?:finish|complete|finishing|completing) (?:my |the |up )?(?:check out|order|purchase)`),
  strong(
    "positive_intent",
    `will do|on it|doing it (?:now|tonight|today|right now)|(?:thanks|thank you) for (?:the )?(?:reminder|reminding|heads up|nudge)|forgot (?:about it|about that|i had|to (?:check out|finish|order|buy|complete)|it was in)|(?:still|definitely|def|totally) (?:want|planning|interested)|ill take (?:it|one|them)`,
  ),

  // Weak hints: a word that leans one way, used only when no strong cue matched anything.
  weak("shipping_cost", `shipping`),
  weak("delivery_time", `delivery|deliver|delivered|arrive|arrival|arrives|ship|ships|shipped|tracking`),
  weak(
    "price",
    `price|prices|pricing|cost|costs|how much|money|cheap|afford|dollars|amount|codes?|offers?|save|savings`,
  ),
  weak("payment_problem", `card|payment|pay|paying|check out`),
  weak("size_fit", `size|sizes|fit|fits|fitting|small|large|medium|big|tight|loose|baggy|petite`, { topic: "size" }),
  weak("product_question", `look like|feel like|photos|pictures|reviews|made`),
  weak("positive_intent", `(?:want|love|like|need|luv) (?:it|this|them|that)|cute|gorgeous|obsessed`),
  weak("already_bought", clauseOnly(`(?:i )?(?:did|did it|done)`)),
  weak("just_browsing", clauseOnly(`no|nah|nope|na|nvm|never ?mind|nothing`), fixed),
  weak("just_browsing", `later|maybe|looking|thinking`),
];

// ---------------------------------------------------------------------------------------------------------------

type Hit = { cue: Cue; text: string; asked?: string };

/** A negation among the three words before, in the same clause. "not sure" is doubt, not a negation. */
function isNegated(text: string, index: number): boolean {
  const before = text.slice(0, index);
  const words = before
    .slice(before.lastIndexOf("|") + 1)
    .split(" ")
    .filter(Boolean);
  return words.some((word, i) => i >= words.length - 3 && NEGATIONS.has(word) && words[i + 1] !== "sure");
}

function consume(text: string, start: number, length: number): string {
  const masked = text
    .slice(start, start + length)
    .split(" ")
    .map((token) => (token === "|" || token === "?" ? token : "~"))
    .join(" ");
  return text.slice(0, start) + masked + text.slice(start + length);
}

/** Runs the table over the text; returns the hits that count (not negated, not dismissals), in table order. */
function readCues(normalised: string): Hit[] {
  let text = normalised;
  const hits: Hit[] = [];
  for (const c of CUES) {
    const matches = [...text.matchAll(c.pattern)];
    for (const m of matches) {
      if (c.intent === null || (c.negatable && isNegated(text, m.index))) continue;
      hits.push({ cue: c, text: m[0], asked: c.asked?.(m.groups ?? {}) });
    }
    // From the last match back, so the earlier matches' positions still hold.
    text = matches.reduceRight((masked, m) => consume(masked, m.index, m[0].length), text);
  }
  return hits;
}

function byPriority(a: CartReplyIntent, b: CartReplyIntent): number {
  return PRIORITY.indexOf(a) - PRIORITY.indexOf(b);
}

/** The topic (and asked value) of the reply's first size or product question among the chosen intents. */
function questionTopic(hits: Hit[], intents: CartReplyIntent[]): Pick<CartReplyClassification, "topic" | "asked"> {
  const question = intents.find((intent) => QUESTION_INTENTS.includes(intent));
  if (question === undefined) return {};
  const own = hits.filter((h) => h.cue.intent === question && h.cue.topic !== undefined);
  const topic = own[0]?.cue.topic;
  if (topic === undefined) return {};
  const asked = own.find((h) => h.cue.topic === topic && h.asked !== undefined)?.asked;
  return asked === undefined ? { topic } : { topic, asked };
}

export function classifyCartReply(text: string): CartReplyClassification {
  // The SMS engine acts on opt-outs before a flow sees the text; reading them again here is a safety net, with
  // the engine's own rules so the two can never disagree.
  const inbound = classifyInbound(text);
  if (inbound.kind === "opt_out") {
    return { intent: "opt_out", confidence: "high", matched: inbound.keyword.toLowerCase(), secondary: [] };
  }

  const hits = readCues(normaliseCartReply(text));
  const strongHits = hits.filter((h) => h.cue.strength === "strong");
  const deciding = strongHits.length > 0 ? strongHits : hits;
  const intents = [...new Set(deciding.map((h) => h.cue.intent as CartReplyIntent))].sort(byPriority);
  const intent = intents[0];
  if (intent === undefined) return { intent: "unknown", confidence: "low", matched: null, secondary: [] };

  const matched = deciding.find((h) => h.cue.intent === intent)?.text ?? null;
  const confidence = deciding === strongHits ? "high" : "low";
  // Only strong cues make a secondary intent: a weak hint beside a clear answer is usually a passing word
  // ("shipping was fast last time, is the linen one cheaper?").
  const secondary = deciding === strongHits ? intents.slice(1).filter((i) => i !== "unknown") : [];
  return { intent, confidence, matched, secondary, ...questionTopic(hits, [intent, ...secondary]) };
}
