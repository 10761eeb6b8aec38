import type { ShopifyStore } from "./store";
import type { DiscountRecord, FulfillmentRecord, OrderRecord, ProductRecord, VariantRecord } from "./types";
import { centsToDecimal } from "./format";

// What every Admin GraphQL resolver receives, and the typing of resolver maps. Resolver arguments are typed per
// field by the resolver itself: graphql-js has already validated them against the schema before a resolver runs.

export interface AdminContext {
  store: ShopifyStore;
  now: Date;
  /** Where product images are served from (the simulator renders placeholders; there is no CDN offline). */
  imageBaseUrl: string;
  /** Scopes of the access token that made the request. */
  scopes: ReadonlySet<string>;
}

export type FieldResolver<Source> = (source: Source, args: never, context: AdminContext) => unknown;
export type TypeResolvers<Source> = Record<string, FieldResolver<Source>>;
/** Each type's resolvers, keyed by GraphQL type name. */
export type ResolverMap = Record<string, TypeResolvers<never>>;

export function defineResolvers<Source>(resolvers: TypeResolvers<Source>): TypeResolvers<Source> {
  return resolvers;
}

// Sources for types that need more than one record to answer.
export interface VariantSource {
  product: ProductRecord;
  variant: VariantRecord;
}
export interface FulfillmentSource {
  order: OrderRecord;
  fulfillment: FulfillmentRecord;
}
export interface DiscountSource {
  __typename: "DiscountCodeBasic" | "DiscountCodeFreeShipping";
  discount: DiscountRecord;
}
export interface ImageSource {
  id: string;
  altText: string;
  width: number;
  height: number;
  src: string;
}

export const money = (cents: number) => ({ amount: centsToDecimal(cents), currencyCode: "USD" as const });
export const moneyBag = (cents: number) => ({ shopMoney: money(cents), presentmentMoney: money(cents) });

/** Polymorphic positions (Node, unions) resolve their concrete type from `__typename`. */
export function typed<T extends object>(typename: string, source: T): T & { __typename: string } {
  return { ...source, __typename: typename };
}
