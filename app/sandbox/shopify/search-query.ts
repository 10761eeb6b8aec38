// A subset of Shopify's search syntax for the `query:` argument of connections:
//   phone:+13055550101   email:maya@example.com   tag:VIP   -tag:wholesale   created_at:>2025-01-01
//   status:open   "free text"   maya   a OR b   a AND b   NOT x
// Terms are ANDed unless joined by OR. Parentheses are ignored (flattened). Unknown fields match everything, as
// Shopify ignores filters it does not support on a resource (it only warns).

export type Comparator = ":" | ">" | ">=" | "<" | "<=";

export interface SearchTerm {
  field: string | null;
  comparator: Comparator;
  value: string;
  negated: boolean;
}

/** Clauses ANDed together; the terms inside one clause are ORed. */
export type SearchQuery = SearchTerm[][];

function tokenize(input: string): string[] {
  const tokens: string[] = [];
  let current = "";
  let quote: string | null = null;
  for (const ch of input) {
    if (quote) {
      current += ch;
      if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      current += ch;
    } else if (/\s/.test(ch) || ch === "(" || ch === ")") {
      if (current) tokens.push(current);
      current = "";
    } else {
      current += ch;
    }
  }
  if (current) tokens.push(current);
  return tokens;
}

const unquote = (value: string) => value.replace(/^(["'])(.*)\1$/, "$2");

function parseTerm(token: string, negated: boolean): SearchTerm {
  let text = token;
  if (text.startsWith("-") && text.length > 1) {
    negated = !negated;
    text = text.slice(1);
  }
  const match = /^([a-z_][a-z0-9_.]*):(>=|<=|>|<)?(.*)$/i.exec(text);
  if (!match) return { field: null, comparator: ":", value: unquote(text), negated };
  return {
    field: match[1].toLowerCase(),
    comparator: (match[2] as Comparator | undefined) ?? ":",
    value: unquote(match[3]),
    negated,
  };
}

export function parseSearchQuery(input: string | null | undefined): SearchQuery {
  if (!input?.trim()) return [];
  const clauses: SearchQuery = [];
  let pendingOr = false;
  let negateNext = false;
  for (const token of tokenize(input)) {
    const upper = token.toUpperCase();
    if (upper === "AND") continue;
    if (upper === "OR") {
      pendingOr = true;
      continue;
    }
    if (upper === "NOT") {
      negateNext = true;
      continue;
    }
    const term = parseTerm(token, negateNext);
    negateNext = false;
    if (pendingOr && clauses.length) clauses[clauses.length - 1].push(term);
    else clauses.push([term]);
    pendingOr = false;
  }
  return clauses;
}

/** How one resource answers a field filter; null for a field it does not know (which then matches). */
export type FieldMatcher<T> = (item: T, term: SearchTerm) => boolean | null;

export function matchesSearch<T>(
  item: T,
  query: SearchQuery,
  fields: FieldMatcher<T>,
  freeText: (item: T) => string[],
): boolean {
  return query.every((clause) =>
    clause.some((term) => {
      let result: boolean;
      if (term.field === null) {
        const needle = term.value.toLowerCase().replace(/\*$/, "");
        result = freeText(item).some((text) => text.toLowerCase().includes(needle));
      } else {
        result = fields(item, term) ?? true;
      }
      return term.negated ? !result : result;
    }),
  );
}

// ---- comparison helpers for resources' field matchers ------------------------------------------------------

export function compareText(actual: string | null | undefined, term: SearchTerm): boolean {
  if (actual === null || actual === undefined) return false;
  const want = term.value.toLowerCase();
  const have = actual.toLowerCase();
  if (want === "*") return have !== "";
  if (want.endsWith("*")) return have.startsWith(want.slice(0, -1));
  return have === want;
}

export function compareNumber(actual: number, term: SearchTerm): boolean {
  const want = Number(term.value);
  if (!Number.isFinite(want)) return false;
  switch (term.comparator) {
    case ">":
      return actual > want;
    case ">=":
      return actual >= want;
    case "<":
      return actual < want;
    case "<=":
      return actual <= want;
    default:
      return actual === want;
  }
}

/** Dates compare on their instant; a bare date ("2025-01-01") means midnight UTC, "now"-relative forms are not supported. */
export function compareDate(actualIso: string | null, term: SearchTerm): boolean {
  if (actualIso === null) return false;
  const want = Date.parse(term.value);
  if (Number.isNaN(want)) return false;
  const actual = Date.parse(actualIso);
  switch (term.comparator) {
    case ">":
      return actual > want;
    case ">=":
      return actual >= want;
    case "<":
      return actual < want;
    case "<=":
      return actual <= want;
    default:
      return new Date(actual).toISOString().slice(0, 10) === new Date(want).toISOString().slice(0, 10);
  }
}

/** Phone search compares digits; a query without the country code still finds the customer. */
export function comparePhone(actual: string | null, term: SearchTerm): boolean {
  if (!actual) return false;
  const want = term.value.replace(/\D/g, "");
  const have = actual.replace(/\D/g, "");
  if (!want) return false;
  return have === want || (want.length >= 7 && have.endsWith(want));
}

/** `id:123`, `id:>123` or a gid. */
export function compareId(actual: number, term: SearchTerm): boolean {
  const raw = term.value.replace(/^gid:\/\/shopify\/[A-Za-z]+\//, "");
  return compareNumber(actual, { ...term, value: raw });
}
