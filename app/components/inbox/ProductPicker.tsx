// Placeholder: product search that inserts a product's storefront link into the draft (being built).
export type PickedProduct = { title: string; url: string };
export function ProductPicker(_props: { onPick: (product: PickedProduct) => void }) {
  return null;
}
