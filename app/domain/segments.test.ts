import { describe, expect, test } from "vitest";
import { analyzeText, GSM_BASIC, GSM_EXTENSION, toGsmSafe } from "./segments";

const a = (n: number) => "a".repeat(n);
const cyr = (n: number) => "П".repeat(n);

describe("GSM 03.38 tables", () => {
  test("the basic table has 127 printable characters (128 less ESC) and the extension table 10", () => {
    expect(new Set(GSM_BASIC).size).toBe(127);
    expect(new Set(GSM_EXTENSION).size).toBe(10);
  });

  test.each([..."^{}\\[~]|€\f"])("extension character %j costs two septets", (char) => {
    expect(analyzeText(char)).toMatchObject({ encoding: "GSM-7", units: 2, characters: 1 });
  });

  test.each([
    "@",
    "£",
    "¥",
    "è",
    "é",
    "Ç",
    "Ø",
    "Å",
    "Δ",
    "_",
    "Ω",
    "ß",
    "É",
    "¤",
    "¡",
    "Ä",
    "Ñ",
    "§",
    "¿",
    "ä",
    "ñ",
    "à",
    "\n",
  ])("%j is in the basic table", (char) => expect(analyzeText(char)).toMatchObject({ encoding: "GSM-7", units: 1 }));

  test.each(["á", "í", "ó", "ú", "ê", "`", "’", "–", "…", "\u00A0", "\t"])("%j is not GSM-7", (char) => {
    expect(analyzeText(char).encoding).toBe("UCS-2");
  });
});

describe("analyzeText: segment counting", () => {
  test.each<
    [
      string,
      string,
      { encoding: string; units: number; segments: number; perSegment: number; remainingInSegment: number },
    ]
  >([
    ["empty", "", { encoding: "GSM-7", units: 0, segments: 0, perSegment: 160, remainingInSegment: 160 }],
    ["short", "Hello", { encoding: "GSM-7", units: 5, segments: 1, perSegment: 160, remainingInSegment: 155 }],
    ["exactly 160", a(160), { encoding: "GSM-7", units: 160, segments: 1, perSegment: 160, remainingInSegment: 0 }],
    [
      "161 → two parts of 153",
      a(161),
      { encoding: "GSM-7", units: 161, segments: 2, perSegment: 153, remainingInSegment: 145 },
    ],
    ["exactly 2 × 153", a(306), { encoding: "GSM-7", units: 306, segments: 2, perSegment: 153, remainingInSegment: 0 }],
    ["2 × 153 + 1", a(307), { encoding: "GSM-7", units: 307, segments: 3, perSegment: 153, remainingInSegment: 152 }],
    [
      "80 euro signs are 160 septets",
      "€".repeat(80),
      { encoding: "GSM-7", units: 160, segments: 1, perSegment: 160, remainingInSegment: 0 },
    ],
    [
      "81 euro signs: 76 per part, the odd septet unused",
      "€".repeat(81),
      { encoding: "GSM-7", units: 162, segments: 2, perSegment: 153, remainingInSegment: 143 },
    ],
    // 152 septets, then "{" (ESC + "{") does not fit the one free septet and moves whole to part two.
    [
      "escape never split across parts",
      a(152) + "{" + a(10),
      { encoding: "GSM-7", units: 164, segments: 2, perSegment: 153, remainingInSegment: 141 },
    ],
    [
      "70 Cyrillic letters",
      cyr(70),
      { encoding: "UCS-2", units: 70, segments: 1, perSegment: 70, remainingInSegment: 0 },
    ],
    [
      "71 Cyrillic letters → parts of 67",
      cyr(71),
      { encoding: "UCS-2", units: 71, segments: 2, perSegment: 67, remainingInSegment: 63 },
    ],
    ["2 × 67", cyr(134), { encoding: "UCS-2", units: 134, segments: 2, perSegment: 67, remainingInSegment: 0 }],
    [
      "an emoji is two code units",
      "👍",
      { encoding: "UCS-2", units: 2, segments: 1, perSegment: 70, remainingInSegment: 68 },
    ],
    // 66 units, then a surrogate pair that would straddle parts: it moves whole to part two.
    [
      "surrogate pair never split",
      cyr(66) + "😀" + cyr(10),
      { encoding: "UCS-2", units: 78, segments: 2, perSegment: 67, remainingInSegment: 55 },
    ],
    ["CJK", "你好，订单已发货", { encoding: "UCS-2", units: 8, segments: 1, perSegment: 70, remainingInSegment: 62 }],
    [
      "one emoji turns a GSM text UCS-2",
      a(69) + "🎉",
      { encoding: "UCS-2", units: 71, segments: 2, perSegment: 67, remainingInSegment: 63 },
    ],
  ])("%s", (_name, text, expected) => {
    expect(analyzeText(text)).toMatchObject(expected);
  });

  test("a curly apostrophe turns 160 characters from one segment into three", () => {
    expect(analyzeText(a(159) + "'")).toMatchObject({ encoding: "GSM-7", segments: 1, perSegment: 160 });
    const curly = analyzeText(a(159) + "’");
    expect(curly).toMatchObject({ encoding: "UCS-2", units: 160, segments: 3, perSegment: 67 });
    expect(curly.nonGsmChars).toEqual([{ char: "’", index: 159, replacement: "'" }]);
  });

  test("characters counts what a person sees, indexes point into the string", () => {
    const result = analyzeText("Hi Олег 👋🏽!");
    expect(result.characters).toBe(10);
    expect(result.units).toBe(13);
    expect(result.nonGsmChars).toEqual([
      { char: "О", index: 3 },
      { char: "л", index: 4 },
      { char: "е", index: 5 },
      { char: "г", index: 6 },
      { char: "👋", index: 8 },
      { char: "🏽", index: 10 },
    ]);
  });

  test("mixed scripts: Greek capitals that exist in GSM stay GSM, lower-case Greek does not", () => {
    expect(analyzeText("ΔΦΓΛΩΠΨΣΘΞ").encoding).toBe("GSM-7");
    expect(analyzeText("αβγ").encoding).toBe("UCS-2");
  });
});

describe("toGsmSafe", () => {
  test.each([
    ["It’s here", "It's here", ["’"]],
    ["“Free” shipping", '"Free" shipping', ["“", "”"]],
    ["Sale – ends soon — hurry", "Sale - ends soon - hurry", ["–", "—"]],
    ["Wait for it…", "Wait for it...", ["…"]],
    ["10\u00A0AM\u202Fto 5", "10 AM to 5", ["\u00A0", "\u202F"]],
    ["zero\u200Bwidth\uFEFF", "zerowidth", ["\u200B", "\uFEFF"]],
    ["• one\tthing", "- one thing", ["•", "\t"]],
    ["plain text", "plain text", []],
  ])("%j → %j", (input, output, chars) => {
    const result = toGsmSafe(input);
    expect(result.text).toBe(output);
    expect(result.replaced.map((r) => r.char)).toEqual(chars);
  });

  test("reports where each replacement was made", () => {
    expect(toGsmSafe("a’b…").replaced).toEqual([
      { char: "’", index: 1, replacement: "'" },
      { char: "…", index: 3, replacement: "..." },
    ]);
  });

  test("the replaced text is back to one GSM-7 segment; emoji and letters are left alone", () => {
    const typed = "Hi Sam, it’s “Acme” — your order’s on its way…";
    expect(analyzeText(typed).encoding).toBe("UCS-2");
    expect(analyzeText(toGsmSafe(typed).text)).toMatchObject({ encoding: "GSM-7", segments: 1 });
    expect(toGsmSafe("¡Está aquí! 🎉").text).toBe("¡Está aquí! 🎉");
  });
});
