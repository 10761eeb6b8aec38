import type { ReplyVariables } from "~/domain/reply-variables";

// Placeholder: the shopper's store context beside the thread (being built).
export function StoreContextCard(_props: {
  conversationId: string;
  onVariables?: (variables: ReplyVariables) => void;
}) {
  return null;
}
