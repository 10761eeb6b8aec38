import type { SearchTerms } from "~/domain/inbox-query";
import { containsPattern } from "~/domain/inbox-query";
import { Prisma } from "~/generated/prisma/client.ts";

// How staff search contacts, wherever they do (inbox, subscribers): every word in the first name, last name or
// e-mail, or the digits in the number — substring matches served by the trigram indexes on Contact.

export type ContactSearchTerms = Exclude<SearchTerms, { kind: "none" }>;

/** The contact conditions, on the alias `ct`. */
export function contactMatchesSql(terms: ContactSearchTerms): Prisma.Sql {
  if (terms.kind === "phone") return Prisma.sql`ct."phoneE164" LIKE ${containsPattern(terms.digits)}`;
  return Prisma.join(
    terms.words.map((word) => {
      const pattern = containsPattern(word);
      return Prisma.sql`(ct."firstName" ILIKE ${pattern} OR ct."lastName" ILIKE ${pattern} OR ct.email ILIKE ${pattern})`;
    }),
    " AND ",
  );
}
