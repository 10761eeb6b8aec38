import { defineResolvers, typed, type AdminContext } from "./admin-context";
import { requireScope } from "./admin-scopes";
import { validateCustomerCreate, type CustomerInput, type SmsConsentInput } from "./customer-input";
import {
  validateBasicDiscount,
  validateFreeShippingDiscount,
  type DiscountCodeBasicInput,
  type DiscountCodeFreeShippingInput,
} from "./discount-input";
import { idArgument, parseGid } from "./ids";
import { webPixelCreate, webPixelUpdate } from "./web-pixel";

// Root mutation fields. Business-rule failures come back as userErrors in the payload (HTTP 200), never as thrown
// errors, exactly as Shopify answers them.

function tagsMutation(context: AdminContext, gid: string, tags: string[], mode: "add" | "remove") {
  const parsed = parseGid(gid);
  if (!parsed) idArgument(gid, "Customer"); // throws Shopify's "Invalid global id"
  const type = parsed?.type;
  if (type !== "Customer" && type !== "Order") {
    return { node: null, userErrors: [{ field: ["id"], message: "Id is not a taggable resource" }] };
  }
  requireScope(
    context,
    type === "Customer" ? "write_customers" : "write_orders",
    mode === "add" ? "tagsAdd" : "tagsRemove",
  );
  const id = (parsed as { id: number }).id;
  if (type === "Customer") {
    if (!context.store.customer(id))
      return { node: null, userErrors: [{ field: ["id"], message: "Customer does not exist" }] };
    const customer = mode === "add" ? context.store.addTags(id, tags) : context.store.removeTags(id, tags);
    return { node: typed("Customer", customer), userErrors: [] };
  }
  if (!context.store.order(id)) return { node: null, userErrors: [{ field: ["id"], message: "Order does not exist" }] };
  const order = mode === "add" ? context.store.addOrderTags(id, tags) : context.store.removeOrderTags(id, tags);
  return { node: typed("Order", order), userErrors: [] };
}

export const Mutation = defineResolvers<undefined>({
  discountCodeBasicCreate: (_root, args: { basicCodeDiscount: DiscountCodeBasicInput }, context) => {
    requireScope(context, "write_discounts", "discountCodeBasicCreate");
    const result = validateBasicDiscount(args.basicCodeDiscount, context.store);
    if (!result.ok) return { codeDiscountNode: null, userErrors: result.userErrors };
    return { codeDiscountNode: context.store.createDiscount(result.discount), userErrors: [] };
  },

  discountCodeFreeShippingCreate: (
    _root,
    args: { freeShippingCodeDiscount: DiscountCodeFreeShippingInput },
    context,
  ) => {
    requireScope(context, "write_discounts", "discountCodeFreeShippingCreate");
    const result = validateFreeShippingDiscount(args.freeShippingCodeDiscount, context.store);
    if (!result.ok) return { codeDiscountNode: null, userErrors: result.userErrors };
    return { codeDiscountNode: context.store.createDiscount(result.discount), userErrors: [] };
  },

  customerSmsMarketingConsentUpdate: (
    _root,
    args: { input: { customerId: string; smsMarketingConsent: SmsConsentInput } },
    context,
  ) => {
    requireScope(context, "write_customers", "customerSmsMarketingConsentUpdate");
    const { customerId, smsMarketingConsent: consent } = args.input;
    const id = idArgument(customerId, "Customer");
    const customer = id === null ? undefined : context.store.customer(id);
    if (!customer) {
      return {
        customer: null,
        userErrors: [{ field: ["input", "customerId"], code: "INVALID", message: "Customer not found" }],
      };
    }
    if (!customer.phone) {
      return {
        customer: null,
        userErrors: [
          {
            field: ["input", "smsMarketingConsent"],
            code: "INVALID",
            message: "A phone number is required to set the SMS consent state.",
          },
        ],
      };
    }
    if (consent.marketingState === "REDACTED") {
      return {
        customer: null,
        userErrors: [
          {
            field: ["input", "smsMarketingConsent", "marketingState"],
            code: "INCLUSION",
            message: "Marketing state is not included in the list",
          },
        ],
      };
    }
    if (consent.consentUpdatedAt && Date.parse(consent.consentUpdatedAt) > context.now.getTime()) {
      return {
        customer: null,
        userErrors: [
          {
            field: ["input", "smsMarketingConsent", "consentUpdatedAt"],
            code: "INVALID",
            message: "Consent updated at cannot be in the future",
          },
        ],
      };
    }
    const updated = context.store.setSmsConsent(customer.id, {
      marketingState: consent.marketingState,
      marketingOptInLevel: consent.marketingOptInLevel ?? undefined,
      consentUpdatedAt: consent.consentUpdatedAt ? new Date(consent.consentUpdatedAt).toISOString() : undefined,
      // Consent set through the API by an app is recorded as collected from OTHER.
      consentCollectedFrom: "OTHER",
    });
    return { customer: updated, userErrors: [] };
  },

  customerCreate: (_root, args: { input: CustomerInput }, context) => {
    requireScope(context, "write_customers", "customerCreate");
    const result = validateCustomerCreate(args.input, context.store, "OTHER");
    if (!result.ok) return { customer: null, userErrors: result.userErrors };
    return { customer: context.store.createCustomer(result.customer), userErrors: [] };
  },

  tagsAdd: (_root, args: { id: string; tags: string[] }, context) => tagsMutation(context, args.id, args.tags, "add"),
  tagsRemove: (_root, args: { id: string; tags: string[] }, context) =>
    tagsMutation(context, args.id, args.tags, "remove"),

  webPixelCreate: (_root, args: { webPixel: { settings: unknown } }, context) => webPixelCreate(args, context),
  webPixelUpdate: (_root, args: { id: string; webPixel: { settings: unknown } }, context) =>
    webPixelUpdate(args, context),
});
