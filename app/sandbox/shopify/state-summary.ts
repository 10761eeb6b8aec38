import { discountStatus } from "./discount-math";
import { centsToDecimal } from "./format";
import { toGid } from "./ids";
import { checkoutAmounts, orderAmounts, orderFulfillmentStatus } from "./order-math";
import type { ShopifyStore } from "./store";
import type { WebhookDelivery } from "./webhooks";

// The JSON the control API answers at GET /control/state: what tests assert on (a code exists, is limited to one
// customer, an order carries a discount, consent changed) without going through the Admin API and its tokens.

export function summarizeStore(
  store: ShopifyStore,
  extra: { deliveries: readonly WebhookDelivery[]; pendingThrottles: number },
) {
  const now = store.now();
  return {
    shop: {
      id: toGid("Shop", store.shop.id),
      domain: store.shop.myshopifyDomain,
      name: store.shop.name,
      revision: store.revision,
    },
    counts: {
      products: store.products.length,
      customers: store.customers.length,
      orders: store.orders.length,
      checkouts: store.checkouts.length,
      discounts: store.discounts.length,
    },
    discounts: store.discounts.map((d) => ({
      id: toGid("DiscountCodeNode", d.id),
      code: d.code,
      title: d.title,
      kind: d.kind,
      status: discountStatus(d, now),
      value: d.value,
      customerIds: d.customerIds?.map((id) => toGid("Customer", id)) ?? null,
      appliesOncePerCustomer: d.appliesOncePerCustomer,
      usageLimit: d.usageLimit,
      usageCount: d.usageCount,
      startsAt: d.startsAt,
      endsAt: d.endsAt,
      createdAt: d.createdAt,
    })),
    customers: store.customers.map((c) => ({
      id: toGid("Customer", c.id),
      name: `${c.firstName} ${c.lastName}`.trim(),
      email: c.email,
      phone: c.phone,
      smsMarketingState: c.smsConsent?.marketingState ?? null,
      smsConsentUpdatedAt: c.smsConsent?.consentUpdatedAt ?? null,
      tags: c.tags,
    })),
    orders: store.orders.map((o) => ({
      id: toGid("Order", o.id),
      name: `#${o.number}`,
      customerId: o.customerId === null ? null : toGid("Customer", o.customerId),
      processedAt: o.processedAt,
      total: centsToDecimal(orderAmounts(o).total),
      financialStatus: o.financialStatus,
      fulfillmentStatus: orderFulfillmentStatus(o),
      discountCodes: o.discountCodes.map((d) => d.code),
      checkoutId: o.checkoutId === null ? null : toGid("AbandonedCheckout", o.checkoutId),
      fulfillments: o.fulfillments.map((f) => ({
        id: toGid("Fulfillment", f.id),
        shipmentStatus: f.shipmentStatus,
        trackingCompany: f.trackingCompany,
        trackingNumber: f.trackingNumber,
        estimatedDeliveryAt: f.estimatedDeliveryAt,
        deliveredAt: f.deliveredAt,
      })),
    })),
    checkouts: store.checkouts.map((c) => ({
      id: toGid("AbandonedCheckout", c.id),
      customerId: c.customerId === null ? null : toGid("Customer", c.customerId),
      createdAt: c.createdAt,
      completedAt: c.completedAt,
      total: centsToDecimal(checkoutAmounts(c).total),
    })),
    products: store.products.map((p) => ({
      id: toGid("Product", p.id),
      title: p.title,
      totalInventory: p.variants.reduce((sum, v) => sum + v.inventoryQuantity, 0),
      outOfStockVariants: p.variants
        .filter((v) => v.inventoryQuantity <= 0)
        .map((v) => ({ id: toGid("ProductVariant", v.id), title: v.title })),
    })),
    accessTokens: store.state.accessTokens.filter((t) => !t.revoked).length,
    pendingThrottles: extra.pendingThrottles,
    webhooks: extra.deliveries.map(({ payload: _payload, headers: _headers, ...rest }) => rest),
  };
}
