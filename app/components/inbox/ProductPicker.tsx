import { useEffect, useState } from "react";
import { useFetcher } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Box,
  Button,
  InlineStack,
  Listbox,
  Popover,
  SkeletonBodyText,
  Text,
  TextField,
  Thumbnail,
} from "@shopify/polaris";
import { ImageIcon, ProductIcon } from "@shopify/polaris-icons";
import { formatMoney } from "./StoreContextFormat";

// The composer's product search: staff find a product by name and its storefront link goes into the draft.

export type PickedProduct = { title: string; url: string };

type ProductMatch = {
  id: string;
  title: string;
  imageUrl: string | null;
  imageAlt: string | null;
  price: { amount: string; currencyCode: string };
  url: string;
};

const SEARCH_DELAY_MS = 250;

export function ProductPicker({ onPick }: { onPick: (product: PickedProduct) => void }) {
  const search = useFetcher<{ products: ProductMatch[]; error?: string }>();
  const [active, setActive] = useState(false);
  const [query, setQuery] = useState("");

  const load = search.load;
  useEffect(() => {
    if (!active) return;
    const timer = setTimeout(
      () => load(`/app/inbox/products?q=${encodeURIComponent(query.trim())}`),
      query ? SEARCH_DELAY_MS : 0,
    );
    return () => clearTimeout(timer);
  }, [active, query, load]);

  const products = search.data?.products ?? [];
  const pick = (id: string) => {
    const product = products.find((p) => p.id === id);
    if (!product) return;
    setActive(false);
    setQuery("");
    onPick({ title: product.title, url: product.url });
  };

  return (
    <Popover
      active={active}
      onClose={() => setActive(false)}
      preferredAlignment="left"
      preferredPosition="above"
      activator={
        <Button icon={ProductIcon} onClick={() => setActive((a) => !a)} disclosure>
          Product
        </Button>
      }
    >
      <Box padding="300" minWidth="340px" maxWidth="400px">
        <BlockStack gap="200">
          <TextField
            label="Search products"
            labelHidden
            placeholder="Search products"
            value={query}
            onChange={setQuery}
            autoComplete="off"
            clearButton
            onClearButtonClick={() => setQuery("")}
            autoFocus
          />
          {search.data?.error ? <Banner tone="warning">{search.data.error}</Banner> : null}
          {!search.data && search.state !== "idle" ? (
            <SkeletonBodyText lines={4} />
          ) : products.length > 0 ? (
            <div style={{ maxHeight: 320, overflowY: "auto" }}>
              <Listbox accessibilityLabel="Products" onSelect={pick}>
                {products.map((p) => (
                  <Listbox.Option key={p.id} value={p.id}>
                    <Box paddingBlock="150" paddingInline="200">
                      <InlineStack gap="300" blockAlign="center" wrap={false}>
                        <Thumbnail source={p.imageUrl ?? ImageIcon} alt={p.imageAlt ?? p.title} size="small" />
                        <BlockStack gap="050">
                          <Text as="span" fontWeight="medium">
                            {p.title}
                          </Text>
                          <Text as="span" tone="subdued" variant="bodySm">
                            {`From ${formatMoney(p.price)}`}
                          </Text>
                        </BlockStack>
                      </InlineStack>
                    </Box>
                  </Listbox.Option>
                ))}
              </Listbox>
            </div>
          ) : search.data ? (
            <Text as="p" tone="subdued">
              {query.trim() ? `No products match “${query.trim()}”.` : "No products yet."}
            </Text>
          ) : null}
          <Text as="p" tone="subdued" variant="bodySm">
            Picking a product adds its title and storefront link to your reply.
          </Text>
        </BlockStack>
      </Box>
    </Popover>
  );
}
