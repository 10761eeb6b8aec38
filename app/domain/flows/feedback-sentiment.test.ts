import { describe, expect, test } from "vitest";
import { classifyFeedback, type FeedbackSentiment, type FeedbackTopic } from "./feedback-sentiment";

// Answers to "How's the Linen Shirt? Anything we could do better?", as shoppers type them.
const CASES: [string, FeedbackSentiment, FeedbackTopic[]][] = [
  // praise
  ["Love it!!", "POSITIVE", ["product_praise"]],
  ["omg I'm obsessed 😍😍", "POSITIVE", ["product_praise"]],
  ["not bad at all", "POSITIVE", ["product_praise"]],
  ["Honestly not too bad", "POSITIVE", ["product_praise"]],
  ["It's perfect, fits great and shipping was super fast", "POSITIVE", ["sizing", "shipping", "product_praise"]],
  ["No it's perfect!", "POSITIVE", ["product_praise"]],
  ["nothing all good", "POSITIVE", ["product_praise"]],
  ["nope, all good here 👍", "POSITIVE", ["product_praise"]],
  ["this hoodie is fire ngl", "POSITIVE", ["product_praise"]],
  ["10/10 would buy again", "POSITIVE", ["product_praise"]],
  ["⭐⭐⭐⭐⭐", "POSITIVE", ["product_praise"]],
  ["luv it, so comfy", "POSITIVE", ["product_praise"]],
  ["Amazng quality, true to size", "POSITIVE", ["quality", "sizing", "product_praise"]],
  ["couldn't be happier", "POSITIVE", ["product_praise"]],
  ["Can't stop wearing it lol", "POSITIVE", ["product_praise"]],
  ["no complaints here", "POSITIVE", ["product_praise"]],
  ["no problems at all, thanks!", "POSITIVE", ["product_praise"]],
  ["Your team was so helpful with my exchange", "POSITIVE", ["customer_service"]],
  ["worth every penny", "POSITIVE", ["price"]],
  ["It's great! Wish it came in navy too", "POSITIVE", ["product_praise", "suggestion"]],
  ["arrived with no damage and looks gorgeous", "POSITIVE", ["shipping", "product_praise"]],
  ["nothing wrong with it, it's really nice", "POSITIVE", ["product_praise"]],
  ["sick 🔥🔥", "POSITIVE", ["product_praise"]],
  ["Arrived quickly, love the shirt!", "POSITIVE", ["shipping", "product_praise"]],
  ["customer service was great", "POSITIVE", ["customer_service"]],
  // mixed → neutral, the complaint in the tags
  ["The quality is great but customer service never replied", "NEUTRAL", ["quality", "customer_service"]],
  ["love it but the sleeves are too long", "NEUTRAL", ["sizing", "product_praise"]],
  ["Great shirt, runs a bit small though", "NEUTRAL", ["sizing", "product_praise"]],
  ["looks amazing but shipping took forever", "NEUTRAL", ["shipping", "product_praise"]],
  ["Nice but kinda pricey", "NEUTRAL", ["price", "product_praise"]],
  ["not great, not terrible", "NEUTRAL", []],
  ["cute but it faded after one wash", "NEUTRAL", ["quality", "product_praise"]],
  // neutral
  ["it's fine", "NEUTRAL", []],
  ["ok", "NEUTRAL", []],
  ["meh", "NEUTRAL", []],
  ["Haven't worn it yet", "NEUTRAL", []],
  ["thanks", "NEUTRAL", []],
  ["Could you make it in more colours?", "NEUTRAL", ["suggestion"]],
  // complaint
  ["Terrible quality, the fabric is so thin", "NEGATIVE", ["quality"]],
  ["wasn't happy with it tbh", "NEGATIVE", []],
  ["I don't love it", "NEGATIVE", []],
  ["dissapointed 😞", "NEGATIVE", []],
  ["kinda mid", "NEGATIVE", []],
  ["not the best quality tbh", "NEGATIVE", ["quality"]],
  ["it's ok I guess, a little big", "NEGATIVE", ["sizing"]],
  ["It shrank in the wash", "NEGATIVE", ["quality"]],
  ["way too tight in the shoulders", "NEGATIVE", ["sizing"]],
  ["could be better", "NEGATIVE", []],
  ["not worth the money", "NEGATIVE", ["price"]],
  ["took way too long to arrive", "NEGATIVE", ["shipping"]],
  ["customer service was rude and never replied", "NEGATIVE", ["customer_service"]],
  ["1 star, itchy af", "NEGATIVE", ["quality"]],
  ["it faded fast", "NEGATIVE", ["quality"]],
  // problems someone must fix: negative whatever else was said
  ["Love the color but it arrived ripped", "NEGATIVE", ["delivery_damage", "product_praise"]],
  ["box was crushed and the mug is cracked", "NEGATIVE", ["quality", "delivery_damage"]],
  ["You sent the wrong size", "NEGATIVE", ["sizing", "wrong_item"]],
  ["It never arrived??", "NEGATIVE", ["shipping"]],
  ["Still waiting on it, tracking hasn't moved in a week", "NEGATIVE", ["shipping"]],
  ["the zipper broke after 2 days. want a refund", "NEGATIVE", ["quality"]],
  ["Fell apart after a week 😡", "NEGATIVE", ["quality"]],
];

describe("classifyFeedback", () => {
  test.each(CASES)("%j → %s %j", (text, sentiment, topics) => {
    const reading = classifyFeedback(text);
    expect(reading.sentiment).toBe(sentiment);
    expect([...reading.topics].sort()).toEqual([...topics].sort());
  });

  test("a problem is flagged, praise around it does not hide it", () => {
    expect(classifyFeedback("Love the color but it arrived ripped")).toMatchObject({ problem: true });
    expect(classifyFeedback("love it but the sleeves are too long")).toMatchObject({ problem: false });
  });

  test("an empty or emoji-free, word-free reply is neutral with no topics", () => {
    expect(classifyFeedback("")).toEqual({
      sentiment: "NEUTRAL",
      topics: [],
      positive: 0,
      negative: 0,
      problem: false,
    });
    expect(classifyFeedback("...").sentiment).toBe("NEUTRAL");
  });
});
