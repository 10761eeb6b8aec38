// How staff collected a shopper's consent outside Parley (manual add): the choices the form offers and the
// wording kept in the consent record. Shared by the page (its select) and the service (validation).
export const COLLECTION_METHODS = {
  in_store_form: "In store, signed form",
  in_store_verbal: "In store, said yes in person",
  phone_call: "On a phone call (recorded)",
  event_signup: "Event or pop-up sign-up sheet",
  email_reply: "Asked by e-mail, written reply kept",
  other: "Other (describe in the note)",
} as const;
export type CollectionMethod = keyof typeof COLLECTION_METHODS;
