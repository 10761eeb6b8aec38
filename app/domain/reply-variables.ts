import { z } from "zod";

// Variables staff can use in replies and saved replies. Values come from the contact and the store context.
// (Contract shared by the composer and the store-context panel; the renderer is added beside it.)
export const ReplyVariablesSchema = z.object({
  first_name: z.string().optional(),
  last_order_name: z.string().optional(),
  tracking_url: z.string().optional(),
  checkout_url: z.string().optional(),
});
export type ReplyVariables = z.infer<typeof ReplyVariablesSchema>;
