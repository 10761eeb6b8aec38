import { coreOf, type Clause, type InboundText } from "./inbound-text";

// Plain-language opt-outs (compliance.md §5, FCC 47 CFR 64.1200(a)(10): a reply a reasonable person reads as
// "stop texting me" revokes consent, misspelt or not). The rules look for what the message asks to stop —
// texts, contact, being on the list — rather than for the word "stop", because shoppers use the same words
// about orders and products ("can't stop smiling", "when does the sale end?").
//
// Where the two readings are close, the stricter one wins, as compliance.md asks: "stop my subscription" and
// "cancel my subscription" are opt-outs (on the SMS line the subscription most likely meant is the texts),
// while "stop my subscription box" names a product and is not. "cancel my order please" is not an opt-out:
// its object is an order, no reasonable person reads it as "stop texting me", and treating it as one would
// cut the shopper off from the answer to the very request they made. Such messages come back flagged
// (mentionsOptOutWord) so staff see them.

const wordSet = (words: string): ReadonlySet<string> => new Set(words.trim().split(/\s+/));
const phraseSet = (phrases: string): ReadonlySet<string> => new Set(phrases.split("|").map((p) => p.trim()));

/** Words that add politeness or emphasis and never change what a short reply asks for. */
export const FILLERS = wordSet(`
  please pls plz plez plse pleasee pleaseee now rn right thanks thank you thx thnx ty ok okay k kk just already
  omg omfg seriously srsly asap lol bro dude man sir maam again immediately god damn dammit ffs wtf fr hey hi
  hello yo ugh i said`);

/** Whole short replies (after fillers) that mean "stop": keywords, their usual typos, slang, other languages. */
const OPT_OUT_REPLIES = phraseSet(`
  stop | stopall | unsubscribe | cancel | end | quit | revoke | optout |
  stopp | stoppp | stopppp | stpo | sotp | stp | stpp | stoop | st0p | s t o p | stahp | halt |
  unsub | unsubscrib | unsubcribe | unsubscibe | unsuscribe | unsubsribe | unsubscirbe | usubscribe | unsubscrive |
  unsusbcribe | unsubscribe me | cancle | cancell | optout me | opt me out | want out |
  stop it | stop this | stop that | make it stop | quit it | end it | remove | remove me |
  not interested | no more | leave me alone | go away | get lost | f off | fuck off | piss off |
  alto | parar | detener | cancelar | baja | no mas | no más | arret | arrêt`);

// "cancel" alone next to an order question is about the order: "Cancel. I ordered the wrong size".
const ORDER_WORDS = wordSet(`
  order orders purchase item items size package shipment delivery refund return exchange booking appointment
  reservation payment charge`);
const CANCEL_REPLIES = wordSet("cancel cancle cancell cancelar");
const CANCEL_VERBS = wordSet("cancel cancle cancell cancelar end");

const NEGATIONS = wordSet("cant cannot dont never wont not couldnt wouldnt shouldnt didnt doesnt no aint isnt");
// "Why can't I unsubscribe?" still asks to unsubscribe; only a real "don't" reverses it.
const UNSUBSCRIBE_NEGATIONS = wordSet("dont didnt never not doesnt wont");
// "I'll stop texting my friends about you": the shopper describing their own texting.
const SELF_SUBJECTS = wordSet("ill i ive id gonna");

const STOP_VERBS = wordSet("stop stopall stp stopp stahp quit cease halt");
const CONTACTING = wordSet(
  "texting txting textin texing messaging msging msgn spamming contacting bothering harassing calling blowing",
);
const SENDING = wordSet("sending send getting receiving");
const SMS_NOUNS = wordSet(`
  text texts txt txts msg msgs message messages sms smss notification notifications alert alerts promo promos
  promotions ads marketing spam updates reminders subscription subscriptions`);
const SENT_THINGS: ReadonlySet<string> = new Set([...SMS_NOUNS, ...wordSet("these this them those stuff crap junk")]);
const DETERMINERS = wordSet("the these those this your ur all with of any more my");
// A subscription named by its product is not the text subscription: "stop my subscription box".
const PRODUCT_QUALIFIERS = wordSet(
  "box boxes order plan delivery deliveries product coffee service renewal payment charge billing item of",
);
const UNSUBSCRIBE_WORDS = wordSet(`
  unsubscribe unsubscribed unsubscribing unsub unsubscrib unsubcribe unsubscibe unsuscribe unsubsribe
  unsubscirbe usubscribe unsubscrive unsusbcribe optout revoke`);
// Unsubscribing from something that is not the texts: "the unsubscribe link in your email".
const NOT_TEXTS = wordSet(
  "email emails mail newsletter newsletters mailing box order link button page catalog catalogue",
);
// "remove me" is unambiguous; "drop me" is not ("drop me a link"), so it only counts with "my number".
const REMOVE_ME_VERBS = wordSet("remove delete erase");
const REMOVE_NUMBER_VERBS = wordSet("remove delete erase drop lose");
const NUMBER_WORDS = wordSet("number num # info contact phone cell");
const CONTACT_VERBS = wordSet("text txt message msg contact sms spam bother");
// "Don't call me" and "don't email me" say nothing about texts, but may precede them: "don't call or text me".
const OTHER_CHANNELS = wordSet("call email me or and even ever");
const AFTER_DONT_CONTACT_ME = wordSet("anymore again ever please pls plz at no stop or ok thanks bro lol period");
// A trailing "stop" after these is a noun or a refusal to stop: "the next stop", "I can't stop".
const NOT_BEFORE_FINAL_STOP: ReadonlySet<string> = new Set([
  ...NEGATIONS,
  ...wordSet("the a an next last bus pit full one first non truck rest"),
]);
// A leading "stop" followed by these is an outburst, not the start of a phrase like "stop by the store".
const AFTER_LEADING_STOP = wordSet(`
  who why what wrong leave i im this its you u not dont do now already it immediately youre ur we seriously
  spam spamming`);

function isSmsNoun(words: string[], at: number): boolean {
  const word = words[at];
  if (!SMS_NOUNS.has(word)) return false;
  if (word.startsWith("subscription")) return !PRODUCT_QUALIFIERS.has(words[at + 1] ?? "");
  return true;
}

/** "stop texting me", "quit blowing up my phone", "stop sending me these", "stop the texts", "stop my subscription". */
function asksToStopTexts(words: string[]): boolean {
  return words.some((word, i) => {
    const before = words[i - 1] ?? "";
    if (!STOP_VERBS.has(word) || NEGATIONS.has(before) || SELF_SUBJECTS.has(before)) return false;
    for (let j = i + 1; j <= i + 4 && j < words.length; j++) if (CONTACTING.has(words[j])) return true;
    const next = words[i + 1];
    if (next !== undefined && SENDING.has(next)) {
      const rest = words.slice(i + 2, i + 5);
      if (rest.length === 0 || rest.some((w) => SENT_THINGS.has(w))) return true;
    }
    return namesTexts(words, i);
  });
}

/** "cancel these texts", "end my subscription": a stopping verb whose object is the texts. */
function cancelsTexts(words: string[]): boolean {
  return words.some((word, i) => CANCEL_VERBS.has(word) && !NEGATIONS.has(words[i - 1] ?? "") && namesTexts(words, i));
}

/** Whether the words after position `verb` name the texts, through at most a few determiners. */
function namesTexts(words: string[], verb: number): boolean {
  for (let j = verb + 1; j < words.length && j <= verb + 3; j++) {
    if (isSmsNoun(words, j)) return true;
    if (!DETERMINERS.has(words[j])) return false;
  }
  return false;
}

/** "unsubscribe me", "how do I unsubscribe?", "opt out" — unless negated or aimed at email. */
function asksToUnsubscribe(words: string[]): boolean {
  return words.some((word, i) => {
    if (!UNSUBSCRIBE_WORDS.has(word)) return false;
    if (words.slice(Math.max(0, i - 3), i).some((w) => UNSUBSCRIBE_NEGATIONS.has(w))) return false;
    return !words.slice(i + 1, i + 5).some((w) => NOT_TEXTS.has(w));
  });
}

/** "remove me from this list", "delete my number", "take me off your list", "opt me out". */
function asksToBeRemoved(words: string[]): boolean {
  return words.some((word, i) => {
    if (NEGATIONS.has(words[i - 1] ?? "")) return false;
    const next = words[i + 1];
    if (REMOVE_ME_VERBS.has(word) && next === "me") return true;
    if (REMOVE_NUMBER_VERBS.has(word) && (next === "my" || next === "this" || next === "our")) {
      return words.slice(i + 2, i + 4).some((w) => NUMBER_WORDS.has(w));
    }
    if ((word === "take" || word === "get") && (next === "me" || next === "my" || next === "this")) {
      return words.slice(i + 2, i + 6).some((w) => w === "off" || w === "out");
    }
    return word === "opt" && next === "me" && words[i + 2] === "out";
  });
}

/** "don't text me anymore", "do not contact me again", "I don't want these texts". */
function saysDontContact(words: string[]): boolean {
  return words.some((word, i) => {
    let at = i;
    if (word === "do" && words[i + 1] === "not") at = i + 1;
    else if (word !== "dont" && word !== "never") return false;
    while (OTHER_CHANNELS.has(words[at + 1] ?? "")) at++;
    const verb = words[at + 1];
    if (verb !== undefined && CONTACT_VERBS.has(verb) && (words[at + 2] === "me" || words[at + 2] === "this")) {
      const after = words[at + 3];
      return (
        after === undefined || AFTER_DONT_CONTACT_ME.has(after) || (words[at + 2] === "this" && after === "number")
      );
    }
    if (verb === "want") {
      for (let j = at + 2; j < words.length && j <= at + 5; j++) {
        if (isSmsNoun(words, j)) return true;
        if (!DETERMINERS.has(words[j]) && words[j] !== "anymore" && words[j] !== "any") break;
      }
    }
    return false;
  });
}

/** "no more texts", "enough with the texts", "too many messages": a complaint about the texts themselves. */
function saysNoMoreTexts(words: string[]): boolean {
  return words.some((word, i) => {
    const next = words[i + 1];
    if (word === "no" && (next === "more" || next === "mas" || next === "más")) return namesTexts(words, i + 1);
    if (word === "too" && next === "many") return namesTexts(words, i + 1);
    return word === "enough" && namesTexts(words, i);
  });
}

function containsPhrase(words: string[], phrases: string[]): boolean {
  const line = ` ${words.join(" ")} `;
  return phrases.some((p) => line.includes(` ${p} `));
}

/** "who is this stop", "stop who is this", "ok unsubscribe" — a bare keyword at either end of a clause. */
function keywordAtEdge(words: string[]): boolean {
  const ending = ["stop", "stopall", "stopp", "unsubscribe", "optout"];
  const last = words.length - 1;
  if (last >= 1 && ending.includes(words[last]) && !NOT_BEFORE_FINAL_STOP.has(words[last - 1])) return true;
  return ["stop", "stopp", "stp", "unsubscribe"].includes(words[0]) && AFTER_LEADING_STOP.has(words[1] ?? "");
}

function clauseIsOptOut(clause: Clause, messageMentionsOrder: boolean): boolean {
  const core = coreOf(clause.words, FILLERS);
  if (OPT_OUT_REPLIES.has(core)) return !(CANCEL_REPLIES.has(core) && messageMentionsOrder);
  const w = clause.words;
  if (
    asksToStopTexts(w) ||
    cancelsTexts(w) ||
    asksToUnsubscribe(w) ||
    asksToBeRemoved(w) ||
    saysDontContact(w) ||
    saysNoMoreTexts(w)
  ) {
    return true;
  }
  if (
    containsPhrase(w, ["leave me alone", "never signed up", "didnt sign up", "did not sign up", "never subscribed"])
  ) {
    return true;
  }
  // "Wrong number" is a request to stop; asking whether it is the wrong number is not.
  if (!clause.question && containsPhrase(w, ["wrong number", "wrong #", "wrong person"])) return true;
  return keywordAtEdge(w);
}

/** The clause that reads as an opt-out, joined back into words (for the consent record), or null. */
export function findOptOutPhrase(text: InboundText): string | null {
  const mentionsOrder = text.words.some((w) => ORDER_WORDS.has(w));
  const hit = text.clauses.find((clause) => clauseIsOptOut(clause, mentionsOrder));
  return hit ? hit.words.join(" ") : null;
}

const OPT_OUT_WORDS: ReadonlySet<string> = new Set([...UNSUBSCRIBE_WORDS, ...STOP_VERBS, ...CANCEL_REPLIES]);

/** True when a message we did not treat as an opt-out still uses an opt-out word, so staff can look. */
export function mentionsOptOutWord(text: InboundText): boolean {
  return text.words.some((w) => OPT_OUT_WORDS.has(w));
}
