import type { ProductRecord } from "./types";

// Product images for the offline store: an SVG tile in the product's colour with its name, so the inbox and the
// control panel show something recognisable where Shopify's CDN image would be.

const escapeXml = (text: string) =>
  text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");

/** Dark text on light colours, white on dark ones. */
function textColorFor(hex: string): string {
  const n = Number.parseInt(hex.replace("#", ""), 16);
  const [r, g, b] = [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  return 0.299 * r + 0.587 * g + 0.114 * b > 160 ? "#1f2937" : "#ffffff";
}

export function renderProductImage(product: Pick<ProductRecord, "title" | "imageColor" | "productType">): string {
  const fg = textColorFor(product.imageColor);
  const initials = product.title
    .split(/\s+/)
    .filter((w) => /^[A-Za-z]/.test(w))
    .slice(0, 2)
    .map((w) => w[0].toUpperCase())
    .join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="1200" viewBox="0 0 1200 1200" role="img" aria-label="${escapeXml(product.title)}">
<rect width="1200" height="1200" fill="${escapeXml(product.imageColor)}"/>
<text x="600" y="620" font-family="Helvetica, Arial, sans-serif" font-size="360" font-weight="700" fill="${fg}" fill-opacity="0.9" text-anchor="middle">${escapeXml(initials)}</text>
<text x="600" y="900" font-family="Helvetica, Arial, sans-serif" font-size="64" fill="${fg}" text-anchor="middle">${escapeXml(product.title)}</text>
<text x="600" y="980" font-family="Helvetica, Arial, sans-serif" font-size="44" fill="${fg}" fill-opacity="0.75" text-anchor="middle">${escapeXml(product.productType)}</text>
</svg>`;
}
