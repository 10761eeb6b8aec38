import { describe, expect, test } from "vitest";
import { classifyInbound, joinKeywordProblem, parseJoinKeywords } from "./keywords";

type Expected = "opt_out" | "opt_in" | "help" | "confirm" | "join" | "none";

describe("classifyInbound: opt-out keywords (compliance.md §5)", () => {
  test.each([
    ["STOP", "STOP"],
    ["stop", "STOP"],
    ["Stop.", "STOP"],
    [" stop!!", "STOP"],
    ["STOP 🛑", "STOP"],
    ["StOp", "STOP"],
    ["  \n STOP \n", "STOP"],
    ["STOP!!! 😡😡", "STOP"],
    ["“Stop”", "STOP"],
    ["STOPALL", "STOPALL"],
    ["stop all", "STOP ALL"],
    ["Stop All!", "STOP ALL"],
    ["UNSUBSCRIBE", "UNSUBSCRIBE"],
    ["unsubscribe.", "UNSUBSCRIBE"],
    ["Cancel", "CANCEL"],
    ["END", "END"],
    ["end.", "END"],
    ["QUIT", "QUIT"],
    ["quit!", "QUIT"],
    ["REVOKE", "REVOKE"],
    ["OPTOUT", "OPTOUT"],
    ["opt out", "OPT OUT"],
    ["Opt-Out", "OPT OUT"],
    ["OPT OUT!!!", "OPT OUT"],
  ])("%j is the keyword %s", (text, keyword) => {
    expect(classifyInbound(text)).toEqual({ kind: "opt_out", keyword, via: "keyword" });
  });
});

describe("classifyInbound: plain-language opt-outs", () => {
  test.each([
    "please stop texting me",
    "unsubscribe me",
    "remove me from this list",
    "no more texts",
    "take me off your list",
    "don't text me anymore",
    "Don’t text me anymore",
    "leave me alone stop",
    "wrong number stop texting",
    "Stop texting me!!",
    "stop sending me these",
    "pls stop",
    "STOP PLEASE",
    "stop it",
    "I said stop",
    "stop stop stop",
    "STOP. NOW.",
    "ok unsubscribe",
    "stopp",
    "sotp",
    "stpo",
    "stahp",
    "unsub",
    "unsubcribe",
    "unsubscibe me",
    "how do I unsubscribe?",
    "why can't I unsubscribe from this",
    "can you stop messaging me?",
    "u can stop texting me now",
    "stop txting me",
    "quit blowing up my phone",
    "stop spamming me",
    "stop the texts thx",
    "stop these promos",
    "stop all texts",
    "Wrong number.",
    "you have the wrong number",
    "Who is this? Stop",
    "who is this stop",
    "Stop who is this",
    "remove my number",
    "delete my number please",
    "opt me out",
    "I want to opt out",
    "I never signed up for this",
    "no more messages pls",
    "do not contact me again",
    "never text me again",
    "I don't want these texts",
    "not interested",
    "cancel these texts",
    "cancel my subscription",
    "stop my subscription",
    "Cancel. Too many messages",
    "f off",
    "No mas",
    "ALTO",
    "Arrêt",
    "I quit",
    "Quit it",
    "halt",
    "I want out",
    "enough with the texts",
    "too many texts",
    "I'm good, no more texts thanks",
    "STOPPPP",
    "stop\nstop",
    "pls remove me from ur list",
    "u have wrong #",
    "drop my number",
    "don't call me or text me again",
    "do not call or text me",
  ])("%j", (text) => {
    const result = classifyInbound(text);
    expect(result.kind).toBe("opt_out");
    expect(result).toMatchObject({ via: "phrase" });
  });
});

describe("classifyInbound: messages that only contain the words", () => {
  test.each([
    ["can't stop smiling, when does it ship?", true],
    ["when does the sale end?", false],
    // An order request: see opt-out-phrases.ts for why this is not an SMS opt-out. Flagged for staff.
    ["cancel my order please", true],
    ["Cancel. I ordered the wrong size", true],
    ["how do I stop my subscription box?", true],
    ["is the stop-motion tee back?", true],
    ["Don't stop sending me deals!", true],
    ["Never stop texting me your sales 😍", true],
    ["I can't stop wearing this hoodie", true],
    ["Can I stop by the store to pick up my order?", true],
    ["Where is the nearest bus stop to your store?", true],
    ["Please don't unsubscribe me, I love these texts", true],
    ["The unsubscribe link in your email is broken", true],
    ["unsubscribe me from your emails", true],
    ["Can you cancel the blue one and send the red?", true],
    ["I quit my job lol, need a new outfit", true],
    ["Stop the presses, is the red one back in stock?", true],
    ["How do I cancel an item from my order?", true],
    ["Will you end the sale early?", false],
    ["Do you sell the Full Stop necklace?", true],
    ["Unstoppable tee in XL?", false],
    ["The ending was great lol", false],
    ["no more stock of the mugs?", false],
    ["Please remove the item from my cart", false],
    ["Can you remove my old address?", false],
    ["don't text me the tracking link, email it", false],
    ["is this the wrong number for support?", false],
    ["The end.", false],
    ["stop sending me the wrong size!", true],
    ["I'll stop texting my friends about you lol", true],
    ["Can you stop the order?", true],
    ["stop by tomorrow?", true],
    ["Cancel subscription box please", true],
    ["cancel my coffee subscription", true],
    ["no thanks", false],
    ["text me when it's back", false],
    ["drop me a link to the sale?", false],
    ["don't email me, text me instead", false],
    ["don't call me, text me", false],
  ])("%j is not an opt-out (flagged: %s)", (text, flagged) => {
    expect(classifyInbound(text)).toEqual({ kind: "none", mentionsOptOutWord: flagged });
  });
});

describe("classifyInbound: opt-in, confirmation, help and join", () => {
  test.each<[string, { pendingConfirmation?: boolean; joinKeywords?: string[] }, Expected, string | undefined]>([
    ["START", {}, "opt_in", "START"],
    ["start.", {}, "opt_in", "START"],
    ["Unstop", {}, "opt_in", "UNSTOP"],
    ["START", { pendingConfirmation: true }, "opt_in", "START"],
    ["start my order", {}, "none", undefined],
    ["When does the sale start?", {}, "none", undefined],
    ["Y", { pendingConfirmation: true }, "confirm", "YES"],
    ["yes!", { pendingConfirmation: true }, "confirm", "YES"],
    ["YES", { pendingConfirmation: true }, "confirm", "YES"],
    ["Yes please", { pendingConfirmation: true }, "confirm", "YES"],
    ["yep 👍", { pendingConfirmation: true }, "confirm", "YES"],
    ["Y", {}, "none", undefined],
    ["yes", {}, "none", undefined],
    ["yes!", { pendingConfirmation: false }, "none", undefined],
    ["Yes, I want the blue one", { pendingConfirmation: true }, "none", undefined],
    ["ok", { pendingConfirmation: true }, "none", undefined],
    ["yes stop", { pendingConfirmation: true }, "opt_out", undefined],
    ["stop", { pendingConfirmation: true }, "opt_out", "STOP"],
    ["HELP", {}, "help", "HELP"],
    ["help?", {}, "help", "HELP"],
    ["Info", {}, "help", "INFO"],
    ["help please", {}, "help", "HELP"],
    ["Help! My package never arrived", {}, "none", undefined],
    ["info on the hoodie sizes?", {}, "none", undefined],
    ["JOIN", {}, "join", "JOIN"],
    ["join!", {}, "join", "JOIN"],
    ["vip", { joinKeywords: ["VIP", "JOIN"] }, "join", "VIP"],
    ["JOIN", { joinKeywords: ["VIP"] }, "none", undefined],
    ["join the waitlist?", {}, "none", undefined],
    ["STOP", { joinKeywords: ["STOP"] }, "opt_out", "STOP"],
  ])("%j %o → %s", (text, options, kind, keyword) => {
    const result = classifyInbound(text, options);
    expect(result.kind).toBe(kind);
    if (keyword !== undefined) expect(result).toMatchObject({ keyword });
  });
});

describe("join keywords never shadow STOP, START, HELP or a pending Y", () => {
  test.each<[string, string[], boolean, Expected]>([
    ["START", ["START"], false, "opt_in"],
    ["unstop", ["UNSTOP", "JOIN"], false, "opt_in"],
    ["HELP", ["HELP"], false, "help"],
    ["info", ["INFO"], false, "help"],
    ["Y", ["Y"], true, "confirm"],
    ["stop all", ["STOP ALL"], false, "opt_out"],
    ["please stop texting me", ["PLEASE STOP TEXTING ME"], false, "opt_out"],
    ["Join", ["JOIN"], true, "join"], // a pending shopper texting JOIN again asks again (the service keeps it idempotent)
    ["deals", ["VIP", "Deals"], false, "join"],
    ["vip club", ["VIP CLUB"], false, "join"],
  ])("%j with join keywords %j (pending %s) → %s", (text, joinKeywords, pendingConfirmation, kind) => {
    expect(classifyInbound(text, { joinKeywords, pendingConfirmation }).kind).toBe(kind);
  });
});

describe("joinKeywordProblem", () => {
  test.each<[string, ReturnType<typeof joinKeywordProblem>]>([
    ["JOIN", null],
    ["vip", null],
    ["VIP CLUB", null],
    ["SALE2025", null],
    ["", "empty"],
    ["  ", "empty"],
    ["!!", "empty"],
    ["A".repeat(21), "too_long"],
    ["VIP!", "not_a_word"],
    ["STOP", "opt_out"],
    ["cancel", "opt_out"],
    ["stop all", "opt_out"],
    ["START", "opt_in"],
    ["UNSTOP", "opt_in"],
    ["HELP", "help"],
    ["INFO", "help"],
    ["Y", "confirm"],
    ["YES", "confirm"],
    ["yep", "confirm"],
  ])("%j → %s", (keyword, problem) => {
    expect(joinKeywordProblem(keyword)).toBe(problem);
  });

  test("parseJoinKeywords splits, trims, upper-cases and drops repeats", () => {
    expect(parseJoinKeywords(" join, vip club ,,JOIN, Deals ")).toEqual(["JOIN", "VIP CLUB", "DEALS"]);
    expect(parseJoinKeywords("")).toEqual([]);
  });
});
