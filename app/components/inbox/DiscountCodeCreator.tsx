// Placeholder: creates a customer-locked single-use discount code from the composer (being built).
export type CreatedDiscount = { code: string; url: string; text: string };
export function DiscountCodeCreator(_props: {
  conversationId: string;
  onCreated: (discount: CreatedDiscount) => void;
}) {
  return null;
}
