import { z } from "zod";
import type { CartReplyClassification } from "./cart-reply";

// Answers to a shopper's question about the product in their cart, from the product's own data (options,
// variants, description) — "does this come in blue?" → yes or no from the colour option. Pure. Null means the
// data does not answer it: the flow hands the question to a person rather than guess.

export const CartProductSchema = z.object({
  productId: z.string(),
  title: z.string(),
  description: z.string().default(""),
  options: z.array(z.object({ name: z.string(), values: z.array(z.string()) })).default([]),
  variants: z
    .array(
      z.object({ title: z.string(), available: z.boolean(), options: z.record(z.string(), z.string()).default({}) }),
    )
    .default([]),
});
export type CartProduct = z.infer<typeof CartProductSchema>;

const OPTION_NAMES = { colour: /colou?r|shade/i, size: /size/i } as const;
const MATERIALS =
  /\b(?:\d{1,3}\s?%\s?)?(?:organic\s+)?(cotton|linen|wool|merino|silk|polyester|leather|cashmere|denim|nylon|bamboo|hemp|canvas|suede|fleece|viscose)\b/i;

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();
const covers = (value: string, asked: string) =>
  same(value, asked) ||
  value
    .toLowerCase()
    .split(/[\s/-]+/)
    .some((word) => same(word, asked));

/** "White, Navy and Sand". */
export function listWords(values: string[]): string {
  if (values.length <= 1) return values.join("");
  return `${values.slice(0, -1).join(", ")} and ${values[values.length - 1]}`;
}

export function answerProductQuestion(
  product: CartProduct | null,
  question: Pick<CartReplyClassification, "topic" | "asked">,
): string | null {
  if (!product || !question.topic) return null;
  const { title } = product;
  switch (question.topic) {
    case "colour":
    case "size": {
      const option = product.options.find((o) => OPTION_NAMES[question.topic as "colour" | "size"].test(o.name));
      if (!option || option.values.length === 0) return null;
      const what = question.topic === "colour" ? "colours" : "sizes";
      if (!question.asked) return `The ${title} comes in ${listWords(option.values)}.`;
      const match = option.values.find((v) => covers(v, question.asked!));
      if (!match) return `The ${title} comes in ${listWords(option.values)}, so no ${question.asked}, sorry.`;
      const variants = product.variants.filter((v) => v.options[option.name] === match);
      const soldOut = variants.length > 0 && variants.every((v) => !v.available);
      return soldOut
        ? `The ${title} does come in ${match}, but it's sold out right now. Other ${what}: ${listWords(option.values.filter((v) => v !== match))}.`
        : `Yes, the ${title} comes in ${match}!`;
    }
    case "stock": {
      if (product.variants.length === 0) return null;
      return product.variants.some((v) => v.available)
        ? `Good news: the ${title} is in stock.`
        : `The ${title} is sold out right now, sorry.`;
    }
    case "material": {
      const material = MATERIALS.exec(product.description);
      return material ? `The ${title} is made of ${material[0].toLowerCase()}.` : null;
    }
    default:
      return null; // care and dimensions: too easy to get wrong from a description
  }
}
