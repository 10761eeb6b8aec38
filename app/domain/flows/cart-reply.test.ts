import { describe, expect, test } from "vitest";
import { classifyInbound } from "~/domain/keywords";
import {
  CART_REPLY_INTENTS,
  CartReplyClassificationSchema,
  type CartReplyIntent,
  classifyCartReply,
  normaliseCartReply,
} from "./cart-reply";

// Replies to "Hi Ana, it's Sam from Acme — saw you left the Linen Shirt in your cart. Anything I can help with?",
// written the way shoppers text: slang, typos, emoji, no punctuation or too much of it.
const POSITIVES: Record<CartReplyIntent, string[]> = {
  shipping_cost: [
    "shipping is too expensive",
    "$12 shipping?? lol",
    "shippin costs 2 much",
    "free shipping?",
    "shipping 😭💸",
    "$15 shipping?!",
    "SHIPPING IS TOOOO MUCH",
    "why is shipping so high",
    "the shipping was more than the shirt lol",
    "how much is shipping to texas?",
    "do u do free shipping",
    "12 bucks for shipping is crazy",
    "shipping cost killed it for me",
    "didn't want to pay $9.99 for shipping",
    "dont want to pay shipping",
    "postage is a lot",
    "$$$ shipping 😬",
    "delivery fee too high",
    "is shipping free over $50?",
    "shipping isnt free??",
    "shipping???",
    "$20 to ship?? 😳",
    "thx but shipping 2 expensive",
    "cost of shipping tho 🙄",
  ],
  price: [
    "too expensive",
    "Sooo expensiveee 😭",
    "can't afford rn",
    "is there a discount code?",
    "found it cheaper elsewhere",
    "any coupons?? 🙏",
    "bit pricey for me tbh",
    "$$$",
    "its a lot for a shirt",
    "waiting for payday lol",
    "will it go on sale?",
    "expencive",
    "do you price match?",
    "kinda out of my budget rn",
    "i cant pay till friday",
    "got any promo codes for first order",
    "100 is too much for linen",
    "im broke 😂",
    "is there a student discount",
    "soooo cute but sooo pricy",
    "honestly the price",
  ],
  size_fit: [
    "does it run small",
    "what size should I get, I'm 5'6",
    "is M true to size",
    "do you have it in a large?",
    "how does it fit? im usually a medium",
    "should i size up",
    "will it fit a 5'2 person",
    "does the XL fit big",
    "is size 10 available",
    "im between sizes, S or M?",
    "whats the sizing like",
    "is it tts",
    "any M left?",
    "the M was too small last time",
    "is it long enough for someone 6'2",
  ],
  product_question: [
    "does this come in blue?",
    "is it waterproof",
    "what's it made of",
    "is it 100% cotton",
    "can i machine wash it",
    "does it shrink in the wash?",
    "what colours does it come in",
    "is it see through",
    "how long is the shirt",
    "will you restock the navy?",
    "does it have pockets",
    "got it in black?",
    "what are the dimensions",
    "is it sold out?",
    "is it itchy?",
    "can it go in the dryer",
  ],
  delivery_time: [
    "how long does shipping take",
    "will it arrive before xmas",
    "when would it get here",
    "need it by friday, possible?",
    "how fast do u ship to canada",
    "do you have express shipping",
    "whats the eta",
    "how many days to get to NYC",
    "shipping takes forever tho",
    "when can i get it",
    "will it be here in time for my bday",
    "wen will it ship",
    "the shipping is fast right?",
  ],
  payment_problem: [
    "card got declined",
    "paypal not working",
    "checkout keeps erroring",
    "can I pay with afterpay?",
    "klarna?",
    "my card didnt go through",
    "it wont let me check out",
    "the discount code isnt working",
    "site crashed when i tried to pay 😤",
    "do you take apple pay",
    "payment failed twice",
    "error at checkout smh",
  ],
  just_browsing: [
    "just looking",
    "changed my mind",
    "nah I'm good",
    "not right now",
    "maybe later",
    "no thanks",
    "im good thx",
    "i'll think about it",
    "dont need it anymore",
    "was just window shopping 😅",
    "not gonna buy it",
    "still deciding",
    "maybe I'll buy it later",
    "i won't be ordering",
    "I'll get back to you",
    "nope not interested in buying rn",
    "nah",
  ],
  already_bought: [
    "I already ordered it",
    "bought it yesterday",
    "already purchased in store",
    "i ordered it last night",
    "just did!",
    "already got one thx",
    "my wife bought it for me already",
    "got it in store yesterday",
    "i actually checked out already lol",
    "ordered!",
  ],
  positive_intent: [
    "yes I'll finish checkout",
    "ok buying now",
    "thanks I'll order tonight",
    "gonna grab it after work",
    "will do!",
    "👍 will do",
    "omg i forgot about it, thanks for the reminder",
    "yes ill check out later tonight",
    "im getting it tomorrow",
    "ill take it",
    "still want it, just got busy",
    "i'll pay for it friday",
  ],
  opt_out: [
    "stop texting me",
    "STOP",
    "please remove me from this list",
    "not interested",
    "unsubscribe 🙄",
    "stop texting me, too expensive anyway",
  ],
  unknown: [
    "who is this?",
    "asdfghjkl",
    "how did you get my number",
    "r u a bot",
    "yes",
    "ok",
    "k thx",
    "👍",
    "💸💸💸",
    "can I talk to someone",
    "do you have a store in Austin?",
    "what's the return policy",
    "",
  ],
};

// Replies that mention another intent's words but must not be read as it.
const TRICKY: [text: string, expected: CartReplyIntent, notThis: CartReplyIntent][] = [
  ["shipping is too expensive", "shipping_cost", "price"],
  ["price is fine, it's the shipping", "shipping_cost", "price"],
  ["it's not the price, it's the shipping", "shipping_cost", "price"],
  ["I want to buy it but shipping is too expensive", "shipping_cost", "positive_intent"],
  ["can you do free shipping if I order 2?", "shipping_cost", "positive_intent"],
  ["shipping was fast last time, is the linen one cheaper?", "price", "shipping_cost"],
  ["not the shipping, the price", "price", "shipping_cost"],
  ["shipping isn't too bad, just the price", "price", "shipping_cost"],
  ["shipping takes forever and it's too expensive", "price", "shipping_cost"],
  ["how long does shipping take", "delivery_time", "shipping_cost"],
  ["can't stop smiling, when does it ship?", "delivery_time", "opt_out"],
  ["when does the sale end?", "price", "opt_out"],
  ["cancel my order, I already bought it in store", "already_bought", "opt_out"],
  ["not expensive at all, just browsing", "just_browsing", "price"],
  ["I'm not broke lol just browsing", "just_browsing", "price"],
  ["i don't think it's too expensive, what size should I get", "size_fit", "price"],
  ["I haven't bought it yet", "unknown", "already_bought"],
  ["haven't ordered yet, does it come in green?", "product_question", "already_bought"],
  ["haven't ordered yet, still thinking", "just_browsing", "already_bought"],
  ["i never ordered anything", "unknown", "already_bought"],
  ["I ordered the wrong size last time, what size should I get?", "size_fit", "already_bought"],
  ["bought one for my sister last year, does it come in red", "product_question", "already_bought"],
  ["I don't think I'll buy it", "just_browsing", "positive_intent"],
  ["not gonna buy it", "just_browsing", "positive_intent"],
  ["It's fine, I'll just get it later", "positive_intent", "just_browsing"],
  ["maybe I'll buy it later", "just_browsing", "positive_intent"],
  ["how long is the shirt", "product_question", "delivery_time"],
  ["when will the blue come back?", "product_question", "delivery_time"],
  ["I'll order tonight, does it run small?", "size_fit", "positive_intent"],
  ["i cant pay till friday", "price", "payment_problem"],
  ["i tried to order but my card was declined", "payment_problem", "already_bought"],
  ["the discount code isnt working", "payment_problem", "price"],
  ["no, it's too expensive", "price", "just_browsing"],
  ["maybe later, does it come in blue?", "product_question", "just_browsing"],
  ["wow shipping was fast last time", "unknown", "shipping_cost"],
  ["yes please", "unknown", "positive_intent"],
];

const ALL_REPLIES = [...Object.values(POSITIVES).flat(), ...TRICKY.map(([text]) => text)];

describe("classifyCartReply: the test corpus covers the issue's minimum", () => {
  test("at least 100 replies, and at least 6 positives for every intent", () => {
    const total = Object.values(POSITIVES).reduce((n, list) => n + list.length, 0) + TRICKY.length;
    expect(total).toBeGreaterThanOrEqual(100);
    for (const intent of CART_REPLY_INTENTS) expect(POSITIVES[intent].length, intent).toBeGreaterThanOrEqual(6);
  });
});

describe.each(CART_REPLY_INTENTS)("classifyCartReply: %s", (intent) => {
  test.each(POSITIVES[intent])("%j", (text) => {
    expect(classifyCartReply(text).intent).toBe(intent);
  });
});

describe("classifyCartReply: replies that must not be read as the intent their words suggest", () => {
  test.each(TRICKY)("%j is %s, not %s", (text, expected, notThis) => {
    const { intent } = classifyCartReply(text);
    expect(intent).not.toBe(notThis);
    expect(intent).toBe(expected);
  });
});

describe("classifyCartReply: opt-outs follow the SMS engine's own reading", () => {
  // Every reply in the corpus: the flow's opt_out and the engine's must agree, both ways.
  test.each(ALL_REPLIES)("%j", (text) => {
    const engineOptOut = classifyInbound(text).kind === "opt_out";
    expect(classifyCartReply(text).intent === "opt_out").toBe(engineOptOut);
  });
});

describe("classifyCartReply: matched names the words that decided", () => {
  test.each([
    ["shipping is too expensive", "shipping is too expensive"],
    ["Shippin costs 2 much!!", "shipping costs too much"],
    ["$12 shipping?? lol", "amount shipping"],
    ["price is fine, it's the shipping", "its the shipping"],
    ["Sooo expensiveee 😭", "so expensive"],
    ["can't afford rn", "cant afford"],
    ["card got declined", "declined"],
    ["I already ordered it", "already ordered"],
    ["nah I'm good", "nah im good"],
    ["how long does shipping take", "how long does shipping take"],
    ["who is this?", "who is this"],
    ["STOP", "stop"],
    ["please stop texting me", "please stop texting me"],
  ])("%j → %j", (text, matched) => {
    expect(classifyCartReply(text).matched).toBe(matched);
  });

  test("nothing matched: unknown, low confidence, no matched words", () => {
    expect(classifyCartReply("asdfghjkl")).toEqual({
      intent: "unknown",
      confidence: "low",
      matched: null,
      secondary: [],
    });
  });
});

describe("classifyCartReply: secondary intents", () => {
  test.each<[string, CartReplyIntent, CartReplyIntent[]]>([
    // Both objections: free shipping is the smaller concession, so shipping leads.
    ["it's pricey and shipping is $15", "shipping_cost", ["price"]],
    ["a bit expensive tbh, plus $10 shipping 🙃", "shipping_cost", ["price"]],
    ["too expensive, does it come in blue", "price", ["product_question"]],
    ["is the blue one cheaper", "price", ["product_question"]],
    ["too expensive and shipping takes forever", "price", ["delivery_time"]],
    ["I bought it, shipping was too much though", "already_bought", ["shipping_cost"]],
    ["I'll order tonight, does it run small?", "size_fit", ["positive_intent"]],
    ["12 dollars for shipping? no thanks", "shipping_cost", ["just_browsing"]],
    ["does it come in a medium in black?", "size_fit", ["product_question"]],
    // A whole complaint is one intent: its "expensive" is not also a price objection.
    ["shipping is too expensive", "shipping_cost", []],
    // A passing weak word does not become a secondary intent.
    ["shipping was fast last time, is the linen one cheaper?", "price", []],
    ["no, it's too expensive", "price", []],
    // An opt-out ends the conversation: nothing else is reported.
    ["stop texting me, too expensive anyway", "opt_out", []],
  ])("%j → %s + %j", (text, intent, secondary) => {
    const result = classifyCartReply(text);
    expect(result.intent).toBe(intent);
    expect(result.secondary).toEqual(secondary);
  });
});

describe("classifyCartReply: topic and asked value of size and product questions", () => {
  test.each<[string, string, string | undefined]>([
    ["does this come in blue?", "colour", "blue"],
    ["got it in black?", "colour", "black"],
    ["I'd love it in pink", "colour", "pink"],
    ["what colours does it come in", "colour", undefined],
    ["is M true to size", "size", "M"],
    ["do you have it in a large?", "size", "L"],
    ["does the XL fit big", "size", "XL"],
    ["is size 10 available", "size", "10"],
    ["is it in stock in a medium", "size", "M"],
    ["what size should I get, I'm 5'6", "size", undefined],
    // The shopper's own size is not what they ask about.
    ["how does it fit? im usually a medium", "size", undefined],
    ["im a size 8, is it true to size", "size", undefined],
    ["is it 100% cotton", "material", undefined],
    ["is it waterproof", "material", undefined],
    ["can i machine wash it", "care", undefined],
    ["does it shrink in the wash?", "care", undefined],
    ["what are the dimensions", "dimensions", undefined],
    ["how long is the shirt", "dimensions", undefined],
    ["is it sold out?", "stock", undefined],
    ["will you restock the navy?", "stock", undefined],
    // The question beside an objection keeps its topic, so the flow can answer it with the offer.
    ["too expensive, does it come in blue", "colour", "blue"],
  ])("%j → %s %s", (text, topic, asked) => {
    const result = classifyCartReply(text);
    expect(result.topic).toBe(topic);
    expect(result.asked).toBe(asked);
  });

  test.each(["shipping is too expensive", "does it have pockets", "just looking"])("%j has no topic", (text) => {
    const result = classifyCartReply(text);
    expect(result).not.toHaveProperty("topic");
    expect(result).not.toHaveProperty("asked");
  });
});

describe("classifyCartReply: confidence", () => {
  test.each([
    ["shipping is too expensive", "high"],
    ["who is this?", "high"],
    // Only a lone hint: "shipping" in passing, "later", a bare "nah".
    ["what about shipping to canada", "low"],
    ["the price went up??", "low"],
    ["nah", "low"],
    ["asdfghjkl", "low"],
  ])("%j → %s", (text, confidence) => {
    expect(classifyCartReply(text).confidence).toBe(confidence);
  });
});

describe("normaliseCartReply", () => {
  test.each([
    ["Sooo expensiveee 😭💸", "so expensive"],
    ["SHIPPING IS TOOOO MUCH", "shipping is too much"],
    ["shippin costs 2 much", "shipping costs too much"],
    ["$15 shipping?!", "amount shipping ?"],
    ["u got it in blue? thx", "you got it in blue ? | thanks"],
    ["can't afford rn", "cant afford right now"],
    ["what size, I'm 5'6", "what size | im bodyheight"],
    ["$$$", "pricey"],
    ["freeee shipping", "free shipping"],
  ])("%j → %j", (text, normalised) => {
    expect(normaliseCartReply(text)).toBe(normalised);
  });
});

test("every result matches the published schema", () => {
  for (const text of ALL_REPLIES) {
    expect(() => CartReplyClassificationSchema.parse(classifyCartReply(text))).not.toThrow();
  }
});
