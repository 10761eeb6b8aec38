import { decimalToCents } from "./format";
import { idArgument } from "./ids";
import type { NewDiscount, ShopifyStore } from "./store";
import type { DiscountValue } from "./types";

// Checks discountCodeBasicCreate / discountCodeFreeShippingCreate input the way Shopify does and answers with
// DiscountUserErrors (field path, code, message) rather than throwing, so the app's error handling is exercised
// on the same shapes it will meet in production.

export interface DiscountUserError {
  field: string[] | null;
  code: string;
  message: string;
  extraInfo?: string | null;
}

interface CustomersInput {
  add?: string[] | null;
  remove?: string[] | null;
}

interface CommonDiscountInput {
  title?: string | null;
  code?: string | null;
  startsAt?: string | null;
  endsAt?: string | null;
  usageLimit?: number | null;
  appliesOncePerCustomer?: boolean | null;
  combinesWith?: {
    orderDiscounts?: boolean | null;
    productDiscounts?: boolean | null;
    shippingDiscounts?: boolean | null;
  } | null;
  context?: { all?: "ALL" | null; customers?: CustomersInput | null; customerSegments?: CustomersInput | null } | null;
  customerSelection?: {
    all?: boolean | null;
    customers?: CustomersInput | null;
    customerSegments?: CustomersInput | null;
  } | null;
  minimumRequirement?: {
    quantity?: { greaterThanOrEqualToQuantity?: string | number | null } | null;
    subtotal?: { greaterThanOrEqualToSubtotal?: string | number | null } | null;
  } | null;
}

export interface DiscountCodeBasicInput extends CommonDiscountInput {
  customerGets?: {
    value?: {
      percentage?: number | null;
      discountAmount?: { amount?: string | number | null; appliesOnEachItem?: boolean | null } | null;
      discountOnQuantity?: unknown;
    } | null;
    items?: { all?: boolean | null; products?: unknown; collections?: unknown } | null;
  } | null;
}

export interface DiscountCodeFreeShippingInput extends CommonDiscountInput {
  destination?: { all?: boolean | null; countries?: unknown } | null;
  maximumShippingPrice?: string | number | null;
}

type Result = { ok: true; discount: NewDiscount } | { ok: false; userErrors: DiscountUserError[] };

function validateCommon(root: string, input: CommonDiscountInput, store: ShopifyStore, errors: DiscountUserError[]) {
  const at = (...path: string[]) => [root, ...path];
  const title = input.title?.trim() ?? "";
  const code = input.code?.trim() ?? "";
  if (!title) errors.push({ field: at("title"), code: "BLANK", message: "Title can't be blank" });
  if (!code) errors.push({ field: at("code"), code: "BLANK", message: "Code can't be blank" });
  else if (code.length > 255)
    errors.push({ field: at("code"), code: "TOO_LONG", message: "Code is too long (maximum is 255 characters)" });
  else if (/[\r\n]/.test(code))
    errors.push({ field: at("code"), code: "INVALID", message: "Code cannot contain newline characters." });
  else if (store.discountByCode(code))
    errors.push({ field: at("code"), code: "TAKEN", message: "Code must be unique. Please try a different code." });

  if (!input.startsAt) errors.push({ field: at("startsAt"), code: "BLANK", message: "Starts at can't be blank" });
  if (input.startsAt && input.endsAt && Date.parse(input.endsAt) <= Date.parse(input.startsAt)) {
    errors.push({
      field: at("endsAt"),
      code: "END_DATE_BEFORE_START_DATE",
      message: "Ends at needs to be after starts_at",
    });
  }
  if (input.usageLimit !== undefined && input.usageLimit !== null && input.usageLimit <= 0) {
    errors.push({ field: at("usageLimit"), code: "GREATER_THAN", message: "Usage limit must be greater than 0" });
  }

  if (input.context && input.customerSelection) {
    errors.push({
      field: at("context"),
      code: "CONFLICT",
      message: "Only one of context or customerSelection can be specified.",
    });
  }
  const selectionPath = input.context ? "context" : "customerSelection";
  const selection = input.context ?? input.customerSelection;
  let customerIds: number[] | null = null;
  if (selection?.customerSegments) {
    errors.push({
      field: at(selectionPath, "customerSegments"),
      code: "INVALID",
      message: "Customer segments are not available in the sandbox store.",
    });
  }
  if (selection?.customers) {
    const add = selection.customers.add ?? [];
    const ids = add.map((gid) => idArgument(gid, "Customer"));
    const unknown = add.filter((_gid, i) => ids[i] === null || !store.customer(ids[i] as number));
    if (unknown.length) {
      errors.push({
        field: at(selectionPath, "customers", "add"),
        code: "INVALID",
        message: `Customer ${unknown.length === 1 ? "does" : "ids do"} not exist: ${unknown.join(", ")}`,
      });
    } else if (add.length === 0) {
      errors.push({ field: at(selectionPath, "customers", "add"), code: "BLANK", message: "Customers can't be blank" });
    }
    customerIds = ids.filter((id): id is number => id !== null);
  }

  const minimum = input.minimumRequirement;
  if (minimum?.quantity && minimum.subtotal) {
    errors.push({
      field: at("minimumRequirement"),
      code: "MINIMUM_SUBTOTAL_AND_QUANTITY_RANGE_BOTH_PRESENT",
      message: "Minimum subtotal and quantity range can't both be present.",
    });
  } else if (minimum?.quantity) {
    errors.push({
      field: at("minimumRequirement", "quantity"),
      code: "INVALID",
      message: "Minimum quantity requirements are not available in the sandbox store.",
    });
  }
  let minimumSubtotalCents: number | null = null;
  const subtotal = minimum?.subtotal?.greaterThanOrEqualToSubtotal;
  if (subtotal !== undefined && subtotal !== null) {
    minimumSubtotalCents = decimalToCents(subtotal);
    if (!(minimumSubtotalCents > 0)) {
      errors.push({
        field: at("minimumRequirement", "subtotal", "greaterThanOrEqualToSubtotal"),
        code: "GREATER_THAN",
        message: "Minimum subtotal must be greater than 0",
      });
    }
  }

  return {
    title,
    code,
    startsAt: input.startsAt ? new Date(input.startsAt).toISOString() : "",
    endsAt: input.endsAt ? new Date(input.endsAt).toISOString() : null,
    usageLimit: input.usageLimit ?? null,
    appliesOncePerCustomer: input.appliesOncePerCustomer ?? false,
    customerIds,
    minimumSubtotalCents,
  };
}

export function validateBasicDiscount(input: DiscountCodeBasicInput, store: ShopifyStore): Result {
  const root = "basicCodeDiscount";
  const errors: DiscountUserError[] = [];
  const common = validateCommon(root, input, store, errors);
  const gets = input.customerGets;
  let value: DiscountValue | null = null;
  if (!gets) {
    errors.push({ field: [root, "customerGets"], code: "BLANK", message: "Customer gets can't be blank" });
  } else {
    const v = gets.value;
    const given = [v?.percentage, v?.discountAmount, v?.discountOnQuantity].filter(
      (x) => x !== undefined && x !== null,
    ).length;
    if (given === 0) {
      errors.push({ field: [root, "customerGets", "value"], code: "BLANK", message: "Value can't be blank" });
    } else if (given > 1) {
      errors.push({
        field: [root, "customerGets", "value"],
        code: "TOO_MANY_ARGUMENTS",
        message: "Only one of percentage, discountAmount or discountOnQuantity is allowed.",
      });
    } else if (v?.percentage !== undefined && v.percentage !== null) {
      if (v.percentage < 0 || v.percentage > 1) {
        errors.push({
          field: [root, "customerGets", "value", "percentage"],
          code: "VALUE_OUTSIDE_RANGE",
          message: "Value must be between 0.0 and 1.0",
        });
      } else {
        value = { type: "percentage", percentage: v.percentage };
      }
    } else if (v?.discountAmount) {
      const cents = decimalToCents(v.discountAmount.amount ?? Number.NaN);
      if (!(cents > 0)) {
        errors.push({
          field: [root, "customerGets", "value", "discountAmount", "amount"],
          code: "GREATER_THAN",
          message: "Value must be greater than 0",
        });
      } else {
        value = {
          type: "fixed_amount",
          amountCents: cents,
          appliesOnEachItem: v.discountAmount.appliesOnEachItem ?? false,
        };
      }
    } else {
      errors.push({
        field: [root, "customerGets", "value", "discountOnQuantity"],
        code: "INVALID",
        message: "Quantity discounts are not available in the sandbox store.",
      });
    }
    if (!gets.items) {
      errors.push({ field: [root, "customerGets", "items"], code: "BLANK", message: "Items can't be blank" });
    } else if (!gets.items.all) {
      errors.push({
        field: [root, "customerGets", "items"],
        code: "INVALID",
        message: "Only `all: true` items are available in the sandbox store.",
      });
    }
  }
  if (errors.length || !value) return { ok: false, userErrors: errors };
  return {
    ok: true,
    discount: {
      ...common,
      kind: "basic",
      value,
      combinesWith: {
        orderDiscounts: input.combinesWith?.orderDiscounts ?? false,
        productDiscounts: input.combinesWith?.productDiscounts ?? false,
        shippingDiscounts: input.combinesWith?.shippingDiscounts ?? false,
      },
    },
  };
}

export function validateFreeShippingDiscount(input: DiscountCodeFreeShippingInput, store: ShopifyStore): Result {
  const root = "freeShippingCodeDiscount";
  const errors: DiscountUserError[] = [];
  const common = validateCommon(root, input, store, errors);
  if (input.destination?.countries) {
    errors.push({
      field: [root, "destination", "countries"],
      code: "INVALID",
      message: "Country selections are not available in the sandbox store.",
    });
  }
  let maximumShippingPriceCents: number | null = null;
  if (input.maximumShippingPrice !== undefined && input.maximumShippingPrice !== null) {
    maximumShippingPriceCents = decimalToCents(input.maximumShippingPrice);
    if (!(maximumShippingPriceCents > 0)) {
      errors.push({
        field: [root, "maximumShippingPrice"],
        code: "GREATER_THAN",
        message: "Maximum shipping price must be greater than 0",
      });
    }
  }
  if (errors.length) return { ok: false, userErrors: errors };
  return {
    ok: true,
    discount: {
      ...common,
      kind: "free_shipping",
      value: { type: "free_shipping", maximumShippingPriceCents },
      combinesWith: {
        orderDiscounts: input.combinesWith?.orderDiscounts ?? false,
        productDiscounts: input.combinesWith?.productDiscounts ?? false,
        shippingDiscounts: false,
      },
    },
  };
}
