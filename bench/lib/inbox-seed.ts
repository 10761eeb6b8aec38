import type pg from "pg";

// Set-based seeding for the inbox bench: a shop's contacts, consent, staff, conversations and messages in a handful
// of INSERT … SELECT generate_series statements (a million messages in well under a minute). The trigram indexes
// are dropped for the load and rebuilt after it with their own definitions — building a GIN index once is far
// cheaper than maintaining it row by row — so the plans measured are the plans the migrations create.

// Message words, most frequent first: the seed draws index ⌊n·u^2.2⌋, so "order" and "thanks" appear in a large
// share of messages and the words near the end of the list in a few percent.
// prettier-ignore
export const WORDS = [
  "the", "order", "thanks", "is", "my", "when", "will", "it", "arrive", "you", "for", "shipping", "can", "i",
  "size", "return", "please", "hi", "tracking", "yes", "delivery", "color", "package", "still", "waiting", "great",
  "discount", "code", "cart", "checkout", "blue", "medium", "large", "small", "exchange", "refund", "address",
  "tomorrow", "friday", "gift", "birthday", "hoodie", "sneakers", "jacket", "tote", "socks", "backpack",
  "weekend", "warranty", "invoice", "express", "canvas", "linen", "merino", "corduroy", "cashmere",
];

// Words only some messages carry: one in `every` messages ends with the word (a moderately rare and a rare search).
export const RARE_WORDS = [
  { word: "tangerine", every: 500 },
  { word: "marzipan", every: 5000 },
];

// prettier-ignore
const FIRST_NAMES = [
  "Olivia", "Liam", "Emma", "Noah", "Ava", "Elijah", "Sophia", "James", "Isabella", "Lucas", "Mia", "Mateo",
  "Amelia", "Levi", "Harper", "Ezra", "Evelyn", "Asher", "Luna", "Leo", "Camila", "Jack", "Gianna", "Owen",
  "Aria", "Kai", "Ella", "Ethan", "Nora", "Hudson", "Priya", "Wei", "Fatima", "Diego", "Yuki", "Amara", "Sven",
  "Chloe", "Omar", "Zoe",
];
// prettier-ignore
const LAST_NAMES = [
  "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
  "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee",
  "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young",
  "Allen", "King", "Wright", "Scott", "Nguyen", "Hill", "Flores", "Patel",
];

const TRGM_INDEXES = ["Contact_name_trgm_idx", "Contact_phone_trgm_idx", "Message_body_trgm_idx"];

export type InboxSeed = {
  shopId: string;
  conversations: number;
  messagesPerConversation: number;
  staff: number;
  /** Digits unique to this shop's phone numbers: contact i gets +1 (200 + i mod 800) <areaTag> … */
  phonePrefix: number;
};

const sqlArray = (values: string[]) => `ARRAY[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(",")}]`;

/** Drops the trigram indexes and returns how to recreate them (their own CREATE INDEX statements). */
export async function dropSearchIndexes(client: pg.Client): Promise<string[]> {
  const { rows } = await client.query<{ indexdef: string }>(
    `SELECT indexdef FROM pg_indexes WHERE indexname = ANY($1::text[])`,
    [TRGM_INDEXES],
  );
  for (const name of TRGM_INDEXES) await client.query(`DROP INDEX IF EXISTS "${name}"`);
  return rows.map((r) => r.indexdef);
}

export async function createSearchIndexes(client: pg.Client, definitions: string[]) {
  await client.query(`SET maintenance_work_mem = '512MB'`);
  for (const definition of definitions) await client.query(definition);
}

export async function seedInboxShop(client: pg.Client, seed: InboxSeed) {
  const { shopId, conversations: n, messagesPerConversation: perConversation, staff } = seed;
  await client.query(
    `INSERT INTO "Shop" (id, name, "updatedAt") VALUES ($1, $1, now());
     INSERT INTO "ShopSettings" ("shopId", "updatedAt") VALUES ($1, now())`.replace(/\$1/g, `'${shopId}'`),
  );
  await client.query(
    `INSERT INTO "StaffMember" (id, "shopId", "shopifyUserId", "firstName", "lastName")
     SELECT $1 || '-staff-' || s, $1, 1000 + s, (${sqlArray(FIRST_NAMES)})[1 + s], 'Staff' FROM generate_series(1, $2) s`,
    [shopId, staff],
  );
  // Contacts: a realistic name and a unique US number per shop (area code from i, subscriber digits from i).
  await client.query(
    `INSERT INTO "Contact" (id, "shopId", "phoneE164", "firstName", "lastName", email, "updatedAt")
     SELECT $1 || '-ct-' || i, $1,
            '+1' || (200 + i % 800)::text || lpad(($3::bigint * 10000 + i / 800)::text, 7, '0'),
            f.name, l.name,
            lower(f.name || '.' || l.name || i::text || '@example.com'), now()
     FROM generate_series(1, $2) i
     CROSS JOIN LATERAL (SELECT (${sqlArray(FIRST_NAMES)})[1 + (i * 7) % ${FIRST_NAMES.length}] AS name) f
     CROSS JOIN LATERAL (SELECT (${sqlArray(LAST_NAMES)})[1 + (i * 13 / 7) % ${LAST_NAMES.length}] AS name) l`,
    [shopId, n, seed.phonePrefix],
  );
  // Consent: 60 % marketing subscribers, 5 % opted out of everything, the rest transactional only.
  await client.query(
    `INSERT INTO "ConsentState" ("shopId", "contactId", purpose, status, source, "lastEventId", "updatedAt")
     SELECT $1, $1 || '-ct-' || i, p.purpose::"ConsentPurpose",
            (CASE WHEN i % 20 = 0 THEN 'UNSUBSCRIBED'
                  WHEN p.purpose = 'MARKETING' AND i % 10 < 6 THEN 'SUBSCRIBED'
                  WHEN p.purpose = 'MARKETING' THEN 'NOT_SUBSCRIBED'
                  ELSE 'SUBSCRIBED' END)::"ConsentStatus",
            'STOREFRONT_FORM', 'bench', now()
     FROM generate_series(1, $2) i CROSS JOIN (VALUES ('MARKETING'), ('TRANSACTIONAL')) p(purpose)`,
    [shopId, n],
  );
  // Conversation i is active over a few minutes at a moment of the past year; every fiftieth shares its timestamps
  // with its neighbour, so the keyset tie-break on id is exercised. The last message sets preview and time.
  await client.query(
    `INSERT INTO "Conversation" (id, "shopId", "contactId", status, "assigneeId", "unreadCount", "snoozedUntil",
                                 "lastMessageAt", tags, "updatedAt")
     SELECT $1 || '-cv-' || i, $1, $1 || '-ct-' || i,
            (CASE WHEN i % 20 < 8 THEN 'OPEN' WHEN i % 20 = 8 THEN 'PENDING' WHEN i % 20 = 9 THEN 'SNOOZED'
                  ELSE 'CLOSED' END)::"ConversationStatus",
            CASE WHEN i % 5 < 3 THEN $1 || '-staff-' || (1 + i % $3) END,
            (i % 7 = 0)::int * (1 + i % 3),
            CASE WHEN i % 20 = 9 THEN timestamp '2027-02-01' END,
            now(), '{}', now()
     FROM generate_series(1, $2) i`,
    [shopId, n, staff],
  );
  await client.query(
    `INSERT INTO "Message" (id, "shopId", "conversationId", "contactId", direction, "authorKind", body, status,
                            "createdAt", "updatedAt")
     SELECT $1 || '-m-' || i || '-' || k, $1, $1 || '-cv-' || i, $1 || '-ct-' || i,
            (CASE WHEN k % 2 = 1 THEN 'INBOUND' ELSE 'OUTBOUND' END)::"MessageDirection",
            (CASE WHEN k % 2 = 1 THEN 'SHOPPER' ELSE 'STAFF' END)::"AuthorKind",
            (SELECT string_agg(w[1 + floor(power(random(), 2.2) * ${WORDS.length})::int + 0 * g], ' ')
               FROM generate_series(1, 4 + (i * k) % 12) g) -- g: the aggregate belongs to this subquery
              || ${RARE_WORDS.map((r) => `CASE WHEN (i * 10 + k) % ${r.every} = 7 THEN ' ${r.word}' ELSE '' END`).join(" || ")},
            (CASE WHEN k % 2 = 1 THEN 'RECEIVED' ELSE 'DELIVERED' END)::"MessageStatus",
            timestamp '2026-11-01' - make_interval(secs => ((i - (i % 50 = 0)::int) * 313.9)::int % 31536000)
              + make_interval(mins => k * 3),
            now()
     FROM generate_series(1, $2) i
     CROSS JOIN generate_series(1, $3) k
     CROSS JOIN (SELECT ${sqlArray(WORDS)} AS w) words`,
    [shopId, n, perConversation],
  );
  await client.query(
    `UPDATE "Conversation" c
     SET "lastMessageAt" = m."createdAt", "lastMessageText" = left(m.body, 280),
         "lastInboundAt" = m."createdAt" - make_interval(mins => 3 * (1 - $2::int % 2))
     FROM "Message" m
     WHERE c."shopId" = $1 AND m.id = replace(c.id, '-cv-', '-m-') || '-' || $2::int`,
    [shopId, perConversation],
  );
}
