import { randomUUID } from "node:crypto";

// Ids for rows inserted by raw SQL, shaped like Prisma's cuid() (which Prisma makes client-side): "c", the time in
// base 36, a counter and randomness — unique across processes, and in creation order like the ids around them.
// The randomness is twelve hex digits of a v4 UUID (Node keeps a pool of entropy for those, so an id costs no
// call into the system: the inbound path makes several per text).
let idCounter = 0;
export function newId(): string {
  const time = Date.now().toString(36).padStart(8, "0");
  const count = (idCounter++ % 1679616).toString(36).padStart(4, "0");
  const random = randomUUID();
  return `c${time}${count}${random.slice(0, 8)}${random.slice(9, 13)}`;
}
