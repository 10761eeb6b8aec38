import { addDays, type LocalDate, localDateOf } from "~/domain/zoned-time";

// A shopper's reply to a shipping update, read and answered from the fulfilment's data (issue 6, brief example 3):
// "will it arrive by Friday?" is compared with the carrier's estimate in the shop's time zone, "where is it?" gets
// the status and the tracking link, "text me when it's delivered" asks for the delivered text. What the data
// cannot answer is handed to staff with a one-line summary. Pure: the clock and the zone are arguments.
//
// Decisions:
// - A weekday means the next such day, never today ("by Friday" said on a Friday is next Friday); "today" is today.
// - "the 12th" is this month's 12th unless it has passed (then next month's); "Dec 24" and "12/24" (US order) are
//   this year's unless passed. "by Friday" includes Friday; "before Friday" does not; "by Christmas" means in time
//   for it, so Dec 24 at the latest. "This weekend" is the coming Saturday and Sunday.
// - Any question about arrival once the carrier says "delivered" is handed to staff: whoever asks where a
//   delivered parcel is has usually not found it. "It never arrived", "it's damaged", "wrong item" are priority.

export type AskedDate = {
  /** The asked day, or the first and last day of an asked range ("this weekend"). */
  start: LocalDate;
  end: LocalDate;
  /** How the answer names it: "Friday", "the 12th", "Dec 24", "Christmas", "tomorrow", "the weekend". */
  label: string;
  /** by: arriving on the day still counts; before: it must come earlier. */
  mode: "by" | "before";
};

export type DeliveryProblem = "not_arrived" | "damaged" | "wrong_item";

export type DeliveryQuestion =
  | { intent: "arrive_by"; asked: AskedDate }
  | { intent: "when" }
  | { intent: "where" }
  | { intent: "notify_on_delivery" }
  | { intent: "problem"; problem: DeliveryProblem }
  | { intent: "thanks" }
  | { intent: "other" };

export type ShopClock = { now: Date; timeZone: string };

// ─── reading the question ───────────────────────────────────────────────────────────────────────

const WEEKDAYS: [number, RegExp][] = [
  [0, /sunday|sun/],
  [1, /monday|mon/],
  [2, /tuesday|tues|tue/],
  [3, /wednesday|wednsday|wensday|wendsday|weds|wed/],
  [4, /thursday|thrusday|thurday|thurs|thur|thu/],
  [5, /friday|firday|fryday|fri/],
  [6, /saturday|saturdy|sat/],
];
const WEEKDAY_NAMES = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
// Some short forms ("sat", "sun", "wed", "mon" in "c'mon") are ordinary words too: they count only after a word
// that introduces a day ("by sat", "on wed").
const AMBIGUOUS_WEEKDAY = /^(sun|mon|wed|sat)$/;
const WEEKDAY_WORD = new RegExp(
  `\\b(?:(by|before|on|til|till|until|for|this|next|b4)\\s+)?(${WEEKDAYS.map(([, re]) => re.source).join("|")})\\b`,
  "g",
);

const MONTHS = [
  /jan(?:uary)?/,
  /feb(?:ruary)?/,
  /mar(?:ch)?/,
  /apr(?:il)?/,
  /may/,
  /june?/,
  /july?/,
  /aug(?:ust)?/,
  /sept?(?:ember)?/,
  /oct(?:ober)?/,
  /nov(?:ember)?/,
  /dec(?:ember)?/,
];
const MONTH = `(${MONTHS.map((re) => re.source).join("|")})`;
const MONTH_ABBREVIATIONS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const MONTH_DAY = new RegExp(`\\b${MONTH}\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?\\b`);
const DAY_MONTH = new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTH}\\b`);
const NUMERIC_DATE = /\b(\d{1,2})\/(\d{1,2})(?:\/(\d{2}|\d{4}))?\b/;
const ORDINAL_DAY = /\b(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)\b|\b(?:by|before|on|til|till|until) the\s+(\d{1,2})\b/;

const CHRISTMAS_EVE = /\b(christmas|xmas|x-mas)\s+eve\b/;
const CHRISTMAS = /\b(christmas|chrismas|christmass|xmas|xmass|x-mas)\b/;
const NEW_YEAR = /\bnew\s*years?\b|\bnye\b/;
const WEEKEND = /\bweekend\b/;
const TOMORROW = /\b(tomorrow|tomorow|tommorow|tommorrow|tmrw|tmr|tmrrw|2morrow|2moro|tomoz)\b/;
const TODAY = /\b(today|tonight|tonite|2day|2nite)\b/;
const BEFORE = /\b(before|b4|prior to|ahead of)\b/;

const ARRIVAL =
  /\b(ar+iv\w*|ar+ive?|get here|be here|here|deliver\w*|deliv\w*|come|coming|get (?:it|them|my)|receive\w*|recieve\w*|make it|in time|land\w*|show up)\b/;
const NOTIFY =
  /\b(text|txt|message|msg|ping|tell|notify|update|let|lemme)\s+(me|us)\b[^?]*?\b(when|once|as soon as|after)\b|\blmk\b[^?]*?\b(when|once|as soon as)\b|\bkeep (me|us) (posted|updated|in the loop)\b|\bnotify me\b/;
// "let me know when it'll arrive" asks for the date, it does not ask to be notified.
const WHEN_IT_WILL =
  /\bwhen\s+(?:it|they|my \w+|the \w+)?\s*(?:'ll|will|would|should|is going to|are going to|gonna|might|can|could)\b/;
const DAMAGED =
  /\b(damaged|damage|broken|smashed|crushed|torn|ripped|cracked|dented|shattered|leak(?:ed|ing|s)?|soaked)\b/;
const WRONG_ITEM =
  /\bwrong (item|size|colou?r|order|product|thing|one|stuff|package)\b|\bnot what i (ordered|bought)\b/;
const NOT_ARRIVED =
  /\b(never|didn'?t|did not|hasn'?t|has not|haven'?t|have not|not|wasn'?t|was not|nvr)\s+(ar+iv\w*|got(?:ten)?|get|received?|recieved?|come|came|show(?:ed)? up|been delivered|delivered|here)\b|\b(missing|stolen|lost)\b|\b(says|said|marked|shows?)\s+(?:as\s+)?delivered\b|\bcan'?t find\b|\bnot here\b|\bno package\b/;
const WHEN =
  /\b(when|wen|whens)\b|\beta\b|\bhow (long|much longer|many (more )?days)\b|\b(will|is|does|gonna|going to)\b[^?]*\b(ar+iv\w*|get here|be here|deliver\w*|come|coming|show up)\b/;
const WHERE =
  /\b(where|wheres|whereabouts)\b|\btrack(ing)?\b|\bstatus\b|\bany (update|news|updates)\b|\bupdate on\b|\bwhat'?s (happening|going on) with\b/;
const THANKS_WORDS = new Set(
  "thanks thank thx ty tysm tyvm you so much much ok okay k kk cool great awesome perfect got it sounds good amazing nice lovely super wonderful appreciate appreciated it cheers yay sweet".split(
    " ",
  ),
);

function normalize(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/\s+/g, " ")
    .trim();
}

const dayNumber = (d: LocalDate) => Date.UTC(d.year, d.month - 1, d.day) / 86_400_000;
const weekdayOf = (d: LocalDate) => new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay();
const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

function single(day: LocalDate, label: string, mode: AskedDate["mode"]): AskedDate {
  return { start: day, end: day, label, mode };
}

/** That month-and-day this year, or next year once it has passed. */
function nextMonthDay(today: LocalDate, month: number, day: number, year?: number): LocalDate | null {
  if (month < 1 || month > 12 || day < 1) return null;
  if (year !== undefined) return day <= daysInMonth(year, month) ? { year, month, day } : null;
  const thisYear = { year: today.year, month, day };
  const candidate = dayNumber(thisYear) >= dayNumber(today) ? thisYear : { year: today.year + 1, month, day };
  return day <= daysInMonth(candidate.year, month) ? candidate : null;
}

/** That day of this month, or of the next month that has it once it has passed. */
function nextMonthlyDay(today: LocalDate, day: number): LocalDate | null {
  if (day < 1 || day > 31) return null;
  for (let ahead = 0; ahead < 3; ahead++) {
    const month = ((today.month - 1 + ahead) % 12) + 1;
    const year = today.year + Math.floor((today.month - 1 + ahead) / 12);
    if (day > daysInMonth(year, month)) continue;
    const candidate = { year, month, day };
    if (dayNumber(candidate) >= dayNumber(today)) return candidate;
  }
  return null;
}

function ordinal(n: number): string {
  const teen = n % 100 >= 11 && n % 100 <= 13;
  const suffix = teen ? "th" : (["th", "st", "nd", "rd"][n % 10] ?? "th");
  return `${n}${suffix}`;
}

function monthOf(word: string): number {
  return MONTHS.findIndex((re) => new RegExp(`^${re.source}$`).test(word)) + 1;
}

/** The day (or days) a message asks about, relative to today in the shop's zone; null when it names none. */
export function findAskedDate(text: string, clock: ShopClock): AskedDate | null {
  const t = normalize(text);
  const today = localDateOf(clock.timeZone, clock.now.getTime());
  const mode: AskedDate["mode"] = BEFORE.test(t) ? "before" : "by";

  if (CHRISTMAS_EVE.test(t)) return single({ year: nextXmasYear(today), month: 12, day: 24 }, "Christmas Eve", mode);
  // In time for Christmas means before it, whichever word the shopper used.
  if (CHRISTMAS.test(t)) return single({ year: nextXmasYear(today), month: 12, day: 25 }, "Christmas", "before");
  if (NEW_YEAR.test(t)) {
    const day = nextMonthDay(today, 12, 31)!;
    return single(day, "New Year's", mode);
  }
  if (WEEKEND.test(t)) {
    const weekday = weekdayOf(today);
    const saturday = addDays(today, weekday === 0 ? -1 : 6 - weekday);
    const start = weekday === 0 ? today : saturday;
    return { start, end: addDays(saturday, 1), label: "the weekend", mode };
  }
  if (TOMORROW.test(t)) return single(addDays(today, 1), "tomorrow", mode);
  if (TODAY.test(t)) return single(today, "today", mode);

  const monthDay = MONTH_DAY.exec(t);
  if (monthDay) {
    const day = nextMonthDay(today, monthOf(monthDay[1]), Number(monthDay[2]));
    if (day) return single(day, `${MONTH_ABBREVIATIONS[day.month - 1]} ${day.day}`, mode);
  }
  const dayMonth = DAY_MONTH.exec(t);
  if (dayMonth) {
    const day = nextMonthDay(today, monthOf(dayMonth[2]), Number(dayMonth[1]));
    if (day) return single(day, `${MONTH_ABBREVIATIONS[day.month - 1]} ${day.day}`, mode);
  }
  const numeric = NUMERIC_DATE.exec(t);
  if (numeric) {
    const year = numeric[3] ? Number(numeric[3].length === 2 ? `20${numeric[3]}` : numeric[3]) : undefined;
    const day = nextMonthDay(today, Number(numeric[1]), Number(numeric[2]), year);
    if (day) return single(day, `${MONTH_ABBREVIATIONS[day.month - 1]} ${day.day}`, mode);
  }
  const ordinalDay = ORDINAL_DAY.exec(t);
  if (ordinalDay) {
    const n = Number(ordinalDay[1] ?? ordinalDay[2]);
    const day = nextMonthlyDay(today, n);
    if (day) return single(day, `the ${ordinal(n)}`, mode);
  }

  for (const match of t.matchAll(WEEKDAY_WORD)) {
    const [, introducer, word] = match;
    if (!introducer && AMBIGUOUS_WEEKDAY.test(word)) continue;
    const weekday = WEEKDAYS.find(([, re]) => new RegExp(`^(${re.source})$`).test(word))![0];
    const ahead = (weekday - weekdayOf(today) + 7) % 7 || 7;
    return single(addDays(today, ahead), WEEKDAY_NAMES[weekday], mode);
  }
  return null;
}

function nextXmasYear(today: LocalDate): number {
  return today.month === 12 && today.day > 25 ? today.year + 1 : today.year;
}

function isThanks(t: string): boolean {
  const words = t
    .replace(/[^\p{L}\p{N}' ]+/gu, " ")
    .split(" ")
    .filter(Boolean);
  // Only emoji or punctuation (👍, 🙏) is an acknowledgement too.
  return words.every((w) => THANKS_WORDS.has(w.replace(/'/g, "")));
}

export function parseDeliveryQuestion(text: string, clock: ShopClock): DeliveryQuestion {
  const t = normalize(text);
  if (t === "") return { intent: "other" };
  if (WRONG_ITEM.test(t)) return { intent: "problem", problem: "wrong_item" };
  if (DAMAGED.test(t)) return { intent: "problem", problem: "damaged" };
  if (NOTIFY.test(t) && !WHEN_IT_WILL.test(t)) return { intent: "notify_on_delivery" };
  const asked = findAskedDate(t, clock);
  if (asked && (t.includes("?") || ARRIVAL.test(t) || /\b(by|before|til|till|until)\b/.test(t))) {
    return { intent: "arrive_by", asked };
  }
  if (NOT_ARRIVED.test(t)) return { intent: "problem", problem: "not_arrived" };
  if (WHEN.test(t)) return { intent: "when" };
  if (WHERE.test(t)) return { intent: "where" };
  if (isThanks(t)) return { intent: "thanks" };
  return { intent: "other" };
}

// ─── answering it ───────────────────────────────────────────────────────────────────────────────

/** What Parley knows about the shipment (from the fulfilment webhooks and the Admin API). */
export type ShipmentFacts = {
  status: string | null; // Shopify's shipment_status
  carrier: string | null;
  trackingUrl: string | null;
  trackingNumber: string | null;
  estimatedDeliveryAt: Date | null;
  deliveredAt: Date | null;
};

export type DeliveryAnswer = {
  /** The text back to the shopper, or null when nothing needs saying (a "thanks", or staff will answer). */
  text: string | null;
  handOver: { summary: string; priority: boolean } | null;
  /** The shopper asked to be told when it's delivered. */
  notifyOnDelivery: boolean;
};

const dayFormatters = new Map<string, Intl.DateTimeFormat>();

/** "Thu, Dec 3" in the shop's zone: the weekday is what shoppers ask about. */
export function formatShopDay(at: Date, timeZone: string): string {
  let formatter = dayFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", { timeZone, weekday: "short", month: "short", day: "numeric" });
    dayFormatters.set(timeZone, formatter);
  }
  return formatter.format(at);
}

function formatLocalDay(day: LocalDate): string {
  return formatShopDay(new Date(Date.UTC(day.year, day.month - 1, day.day, 12)), "UTC");
}

export function isDelivered(shipment: Pick<ShipmentFacts, "status" | "deliveredAt">): boolean {
  return shipment.status === "delivered" || shipment.deliveredAt !== null;
}

/** " Track it here: <url>", or the carrier's number when there is no link. */
function trackingSentence(shipment: ShipmentFacts): string {
  if (shipment.trackingUrl) return ` Track it here: ${shipment.trackingUrl}`;
  if (shipment.trackingNumber)
    return ` Tracking number: ${[shipment.carrier, shipment.trackingNumber].filter(Boolean).join(" ")}.`;
  return "";
}

/** "in transit with UPS", "out for delivery with UPS today"… as it reads after "It's". */
function statusPhrase(shipment: ShipmentFacts): string {
  const carrier = shipment.carrier ?? "the carrier";
  switch (shipment.status) {
    case "in_transit":
      return `in transit with ${carrier}`;
    case "out_for_delivery":
      return `out for delivery with ${carrier} today`;
    case "attempted_delivery":
      return `with ${carrier}, who tried to deliver it but couldn't`;
    case "failure":
      return `with ${carrier}, who reported a delivery problem`;
    case "delayed":
      return `delayed with ${carrier}`;
    case "ready_for_pickup":
      return `ready for pickup at ${carrier}`;
    default:
      return `shipped with ${carrier}`;
  }
}

const TROUBLE = new Set(["attempted_delivery", "failure", "delayed"]);

function excerpt(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}

const answer = (text: string | null, handOver: DeliveryAnswer["handOver"] = null): DeliveryAnswer => ({
  text,
  handOver,
  notifyOnDelivery: false,
});

export function answerDeliveryQuestion(
  question: DeliveryQuestion,
  shipment: ShipmentFacts,
  input: ShopClock & { orderName: string; replyText: string },
): DeliveryAnswer {
  const { timeZone, orderName } = input;
  const quote = `“${excerpt(input.replyText)}”`;
  const tracking = trackingSentence(shipment);
  const carrier = shipment.carrier ?? "The carrier";
  const delivered = isDelivered(shipment);
  const deliveredOn = shipment.deliveredAt ? ` ${formatShopDay(shipment.deliveredAt, timeZone)}` : "";
  const today = dayNumber(localDateOf(timeZone, input.now.getTime()));
  const eta = shipment.estimatedDeliveryAt;
  const etaDay = eta ? formatShopDay(eta, timeZone) : null;
  const etaNumber = eta ? dayNumber(localDateOf(timeZone, eta.getTime())) : null;
  const late = !delivered && etaNumber !== null && etaNumber < today;

  const sorry = "I'm so sorry about that! I've passed this to our team and someone will text you back shortly.";
  const lateAnswer = (summary: string) =>
    answer(`It was expected ${etaDay}, so it's running late, sorry!${tracking} I've asked the team to check on it.`, {
      summary,
      priority: false,
    });
  const noEstimateAnswer = (summary: string) =>
    answer(
      `${carrier} hasn't given a delivery date yet; it's ${statusPhrase(shipment)}.${tracking} I've asked the team to check for you.`,
      { summary, priority: false },
    );
  const deliveredAnswer = (asked: string) =>
    answer(`${carrier} marked it delivered${deliveredOn}.${tracking} Can't find it? I've asked our team to help.`, {
      summary: `${asked}; ${carrier} marked ${orderName} delivered${deliveredOn}: ${quote}`,
      priority: false,
    });

  switch (question.intent) {
    case "thanks":
      return answer(null);

    case "other":
      return answer(null, { summary: `Replied to the shipping update for ${orderName}: ${quote}`, priority: false });

    case "notify_on_delivery":
      if (delivered) return answer(`Good news: it was already delivered${deliveredOn}!`);
      return { text: "Will do! I'll text you as soon as it's delivered.", handOver: null, notifyOnDelivery: true };

    case "problem": {
      if (question.problem === "damaged")
        return answer(sorry, { summary: `Says ${orderName} arrived damaged: ${quote}`, priority: true });
      if (question.problem === "wrong_item")
        return answer(sorry, { summary: `Says ${orderName} has the wrong item: ${quote}`, priority: true });
      if (delivered)
        return answer(sorry, {
          summary: `Says ${orderName} never arrived; ${carrier} marked it delivered${deliveredOn}: ${quote}`,
          priority: true,
        });
      if (late) return lateAnswer(`Says ${orderName} hasn't arrived; it was expected ${etaDay}: ${quote}`);
      return answer(`It's ${statusPhrase(shipment)}${etaDay ? `, expected ${etaDay}` : ""}.${tracking}`);
    }

    case "where": {
      if (delivered) return deliveredAnswer("Asked where the order is");
      if (late) return lateAnswer(`Asked where ${orderName} is; it was expected ${etaDay}`);
      const text = `It's ${statusPhrase(shipment)}${etaDay ? `, expected ${etaDay}` : ""}.${tracking}`;
      if (shipment.status && TROUBLE.has(shipment.status))
        return answer(`${text} I've asked the team to look into it.`, {
          summary: `Asked where ${orderName} is; it's ${statusPhrase(shipment)}`,
          priority: false,
        });
      return answer(text);
    }

    case "when": {
      if (delivered) return deliveredAnswer("Asked when the order arrives");
      if (late) return lateAnswer(`Asked when ${orderName} arrives; it was expected ${etaDay}`);
      if (!etaDay) return noEstimateAnswer(`Asked when ${orderName} arrives; no delivery estimate yet`);
      return answer(`It's expected ${etaDay}.${tracking}`);
    }

    case "arrive_by": {
      const { asked } = question;
      const deadline = asked.mode === "before" ? dayNumber(asked.start) - 1 : dayNumber(asked.end);
      const oneDay = dayNumber(asked.start) === dayNumber(asked.end);
      const askedLabel = oneDay ? `${asked.label} (${formatLocalDay(asked.start)})` : asked.label;
      const summary = `Asked if ${orderName} arrives ${asked.mode} ${askedLabel}`;
      if (delivered) return deliveredAnswer(summary);
      if (late) return lateAnswer(`${summary}; it was expected ${etaDay}`);
      if (!etaDay || etaNumber === null) return noEstimateAnswer(`${summary}; no delivery estimate yet`);
      if (etaNumber <= deadline) {
        return answer(
          etaNumber < dayNumber(asked.start)
            ? `Yes — it's expected ${etaDay}, before ${asked.label}.`
            : `Yes — it's expected ${etaDay}, just in time.`,
        );
      }
      const relation = etaNumber > dayNumber(asked.end) ? "after" : "not before";
      return answer(
        `It's expected ${etaDay}, so ${relation} ${asked.label}, sorry! I've asked the team to see what we can do.`,
        { summary: `${summary}; expected ${etaDay}`, priority: false },
      );
    }
  }
}
