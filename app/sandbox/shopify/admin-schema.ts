// The Admin GraphQL subset Parley uses, written with Shopify's own type, field, argument and enum names (API
// 2025-10), so a query written against real Shopify validates and runs here unchanged. Fields Parley does not need
// are left out; a query asking for one fails validation here, which is the signal to add it.

const connectionTypes = (names: string[]) =>
  names
    .map(
      (name) => `
type ${name}Connection { edges: [${name}Edge!]! nodes: [${name}!]! pageInfo: PageInfo! }
type ${name}Edge { cursor: String! node: ${name}! }`,
    )
    .join("\n");

const PAGE_ARGS = "first: Int, after: String, last: Int, before: String, reverse: Boolean = false";

export const ADMIN_SCHEMA_SDL = /* GraphQL */ `
scalar DateTime
scalar Decimal
scalar Money
scalar URL
scalar HTML
scalar UnsignedInt64
scalar JSON

interface Node { id: ID! }

type PageInfo { hasNextPage: Boolean! hasPreviousPage: Boolean! startCursor: String endCursor: String }

enum CountPrecision { EXACT AT_LEAST }
type Count { count: Int! precision: CountPrecision! }

enum CurrencyCode { USD CAD EUR GBP AUD }
enum CountryCode { US CA GB AU DE FR MX }

type MoneyV2 { amount: Decimal! currencyCode: CurrencyCode! }
type MoneyBag { shopMoney: MoneyV2! presentmentMoney: MoneyV2! }

type UserError { field: [String!] message: String! }

# ---- shop --------------------------------------------------------------------------------------------------
type Domain implements Node { id: ID! host: String! url: URL! sslEnabled: Boolean! }
type ShopPlan { displayName: String! publicDisplayName: String! partnerDevelopment: Boolean! shopifyPlus: Boolean! }
type ShopAddress implements Node {
  id: ID! address1: String address2: String city: String province: String provinceCode: String country: String
  countryCodeV2: CountryCode zip: String phone: String company: String
}
type Shop implements Node {
  id: ID! name: String! email: String! contactEmail: String! myshopifyDomain: String! url: URL!
  currencyCode: CurrencyCode! ianaTimezone: String! timezoneAbbreviation: String! timezoneOffset: String!
  timezoneOffsetMinutes: Int! primaryDomain: Domain! plan: ShopPlan! billingAddress: ShopAddress! shopOwnerName: String!
  createdAt: DateTime! updatedAt: DateTime!
}

# ---- customers ---------------------------------------------------------------------------------------------
enum CustomerSmsMarketingState { NOT_SUBSCRIBED PENDING SUBSCRIBED UNSUBSCRIBED REDACTED }
enum CustomerEmailMarketingState { INVALID NOT_SUBSCRIBED PENDING SUBSCRIBED UNSUBSCRIBED REDACTED }
enum CustomerMarketingOptInLevel { SINGLE_OPT_IN CONFIRMED_OPT_IN UNKNOWN }
enum CustomerConsentCollectedFrom { SHOPIFY OTHER }
enum CustomerState { DECLINED DISABLED ENABLED INVITED }
enum CustomerSortKeys { CREATED_AT ID LOCATION NAME RELEVANCE UPDATED_AT }

type CustomerSmsMarketingConsentState {
  marketingState: CustomerSmsMarketingState! marketingOptInLevel: CustomerMarketingOptInLevel!
  consentUpdatedAt: DateTime consentCollectedFrom: CustomerConsentCollectedFrom
}
type CustomerEmailMarketingConsentState {
  marketingState: CustomerEmailMarketingState! marketingOptInLevel: CustomerMarketingOptInLevel consentUpdatedAt: DateTime
}
type CustomerPhoneNumber {
  phoneNumber: String! marketingState: CustomerSmsMarketingState! marketingOptInLevel: CustomerMarketingOptInLevel
  marketingUpdatedAt: DateTime marketingCollectedFrom: CustomerConsentCollectedFrom
}
type CustomerEmailAddress {
  emailAddress: String! marketingState: CustomerEmailMarketingState! marketingOptInLevel: CustomerMarketingOptInLevel
  marketingUpdatedAt: DateTime
}
type MailingAddress implements Node {
  id: ID! address1: String address2: String city: String company: String country: String countryCodeV2: CountryCode
  firstName: String lastName: String name: String phone: String province: String provinceCode: String zip: String
  formatted(withName: Boolean = false, withCompany: Boolean = true): [String!]! formattedArea: String
}
type Customer implements Node {
  id: ID! legacyResourceId: UnsignedInt64! firstName: String lastName: String displayName: String!
  email: String phone: String note: String locale: String! state: CustomerState! verifiedEmail: Boolean!
  tags: [String!]! numberOfOrders: UnsignedInt64! amountSpent: MoneyV2!
  defaultPhoneNumber: CustomerPhoneNumber defaultEmailAddress: CustomerEmailAddress
  smsMarketingConsent: CustomerSmsMarketingConsentState emailMarketingConsent: CustomerEmailMarketingConsentState
  defaultAddress: MailingAddress addresses(first: Int): [MailingAddress!]!
  orders(${PAGE_ARGS}, sortKey: OrderSortKeys = ID, query: String): OrderConnection!
  lastOrder: Order createdAt: DateTime! updatedAt: DateTime!
}

# ---- products ----------------------------------------------------------------------------------------------
enum ProductStatus { ACTIVE ARCHIVED DRAFT }
enum ProductSortKeys { CREATED_AT ID INVENTORY_TOTAL PRODUCT_TYPE PUBLISHED_AT RELEVANCE TITLE UPDATED_AT VENDOR }
enum ProductVariantSortKeys { FULL_TITLE ID INVENTORY_LEVELS_AVAILABLE INVENTORY_MANAGEMENT INVENTORY_POLICY INVENTORY_QUANTITY NAME POPULAR POSITION RELEVANCE SKU TITLE }
enum ProductVariantInventoryPolicy { DENY CONTINUE }
enum CropRegion { BOTTOM CENTER LEFT RIGHT TOP REGION }
enum ImageContentType { JPG PNG WEBP }
input ImageTransformInput { crop: CropRegion maxWidth: Int maxHeight: Int scale: Int = 1 preferredContentType: ImageContentType }
type Image { id: ID altText: String width: Int height: Int url(transform: ImageTransformInput): URL! }
type ProductOption implements Node { id: ID! name: String! position: Int! values: [String!]! }
type SelectedOption { name: String! value: String! }
type ProductPriceRangeV2 { minVariantPrice: MoneyV2! maxVariantPrice: MoneyV2! }
input ProductIdentifierInput { id: ID handle: String }
type InventoryItem implements Node { id: ID! sku: String tracked: Boolean! requiresShipping: Boolean! }
type Product implements Node {
  id: ID! legacyResourceId: UnsignedInt64! title: String! handle: String! description(truncateAt: Int): String!
  descriptionHtml: HTML! vendor: String! productType: String! status: ProductStatus! tags: [String!]!
  createdAt: DateTime! updatedAt: DateTime! publishedAt: DateTime onlineStoreUrl: URL onlineStorePreviewUrl: URL
  totalInventory: Int! tracksInventory: Boolean! hasOnlyDefaultVariant: Boolean! hasOutOfStockVariants: Boolean!
  featuredImage: Image options(first: Int): [ProductOption!]! priceRangeV2: ProductPriceRangeV2!
  variants(${PAGE_ARGS}, sortKey: ProductVariantSortKeys = POSITION): ProductVariantConnection!
  variantsCount: Count
  collections(${PAGE_ARGS}, sortKey: CollectionSortKeys = ID, query: String): CollectionConnection!
  inCollection(id: ID!): Boolean!
}
type ProductVariant implements Node {
  id: ID! legacyResourceId: UnsignedInt64! title: String! displayName: String! price: Money! compareAtPrice: Money
  sku: String barcode: String inventoryQuantity: Int availableForSale: Boolean! inventoryPolicy: ProductVariantInventoryPolicy!
  selectedOptions: [SelectedOption!]! product: Product! image: Image inventoryItem: InventoryItem! position: Int!
  createdAt: DateTime! updatedAt: DateTime!
}

# ---- collections -------------------------------------------------------------------------------------------
enum CollectionSortKeys { ID RELEVANCE TITLE UPDATED_AT }
enum ProductCollectionSortKeys { BEST_SELLING COLLECTION_DEFAULT CREATED ID MANUAL PRICE RELEVANCE TITLE }
type Collection implements Node {
  id: ID! legacyResourceId: UnsignedInt64! title: String! handle: String! description(truncateAt: Int): String!
  descriptionHtml: HTML! updatedAt: DateTime! productsCount: Count hasProduct(id: ID!): Boolean!
  products(${PAGE_ARGS}, sortKey: ProductCollectionSortKeys = COLLECTION_DEFAULT): ProductConnection!
}

# ---- orders ------------------------------------------------------------------------------------------------
enum OrderDisplayFinancialStatus { PENDING AUTHORIZED PARTIALLY_PAID PARTIALLY_REFUNDED VOIDED PAID REFUNDED EXPIRED }
enum OrderDisplayFulfillmentStatus { UNFULFILLED PARTIALLY_FULFILLED FULFILLED RESTOCKED PENDING_FULFILLMENT OPEN IN_PROGRESS ON_HOLD SCHEDULED REQUEST_DECLINED }
enum OrderSortKeys { CREATED_AT CUSTOMER_NAME DESTINATION FINANCIAL_STATUS FULFILLMENT_STATUS ID ORDER_NUMBER PO_NUMBER PROCESSED_AT RELEVANCE TOTAL_ITEMS_QUANTITY TOTAL_PRICE UPDATED_AT }
enum FulfillmentStatus { CANCELLED ERROR FAILURE SUCCESS OPEN PENDING }
enum FulfillmentDisplayStatus {
  ATTEMPTED_DELIVERY CANCELED CARRIER_PICKED_UP CONFIRMED DELAYED DELIVERED FAILURE FULFILLED IN_TRANSIT LABEL_PRINTED
  LABEL_PURCHASED LABEL_VOIDED MARKED_AS_FULFILLED NOT_DELIVERED OUT_FOR_DELIVERY PICKED_UP READY_FOR_PICKUP SUBMITTED
}
type LineItem implements Node {
  id: ID! title: String! name: String! quantity: Int! currentQuantity: Int! sku: String variantTitle: String vendor: String
  variant: ProductVariant product: Product image: Image
  originalUnitPriceSet: MoneyBag! originalTotalSet: MoneyBag! discountedTotalSet: MoneyBag!
}
type FulfillmentTrackingInfo { company: String number: String url: URL }
type FulfillmentLineItem implements Node { id: ID! quantity: Int lineItem: LineItem! }
type Fulfillment implements Node {
  id: ID! legacyResourceId: UnsignedInt64! name: String! status: FulfillmentStatus! displayStatus: FulfillmentDisplayStatus
  createdAt: DateTime! updatedAt: DateTime! inTransitAt: DateTime estimatedDeliveryAt: DateTime deliveredAt: DateTime
  trackingInfo(first: Int): [FulfillmentTrackingInfo!]! totalQuantity: Int! order: Order!
  fulfillmentLineItems(${PAGE_ARGS}): FulfillmentLineItemConnection!
}
type Order implements Node {
  id: ID! legacyResourceId: UnsignedInt64! name: String! confirmationNumber: String email: String phone: String
  createdAt: DateTime! updatedAt: DateTime! processedAt: DateTime! cancelledAt: DateTime closedAt: DateTime closed: Boolean!
  displayFinancialStatus: OrderDisplayFinancialStatus displayFulfillmentStatus: OrderDisplayFulfillmentStatus!
  fullyPaid: Boolean! currencyCode: CurrencyCode! presentmentCurrencyCode: CurrencyCode!
  totalPriceSet: MoneyBag! currentTotalPriceSet: MoneyBag! subtotalPriceSet: MoneyBag totalShippingPriceSet: MoneyBag!
  totalTaxSet: MoneyBag totalDiscountsSet: MoneyBag discountCode: String discountCodes: [String!]!
  lineItems(${PAGE_ARGS}): LineItemConnection! fulfillments(first: Int): [Fulfillment!]!
  customer: Customer shippingAddress: MailingAddress statusPageUrl: URL! tags: [String!]! note: String
  sourceName: String
}

# ---- abandoned checkouts -----------------------------------------------------------------------------------
enum AbandonedCheckoutSortKeys { CHECKOUT_ID CREATED_AT CUSTOMER_NAME ID RELEVANCE TOTAL_PRICE }
type AbandonedCheckoutLineItem implements Node {
  id: ID! title: String quantity: Int! sku: String variantTitle: String variant: ProductVariant product: Product image: Image
  originalUnitPriceSet: MoneyBag! originalTotalPriceSet: MoneyBag! discountedTotalPriceSet: MoneyBag!
}
type AbandonedCheckout implements Node {
  id: ID! name: String! abandonedCheckoutUrl: URL! createdAt: DateTime! updatedAt: DateTime! completedAt: DateTime
  customer: Customer lineItems(${PAGE_ARGS}): AbandonedCheckoutLineItemConnection! lineItemsQuantity: Int!
  totalPriceSet: MoneyBag! subtotalPriceSet: MoneyBag! totalTaxSet: MoneyBag totalDiscountSet: MoneyBag!
  discountCodes: [String!]! note: String taxesIncluded: Boolean! shippingAddress: MailingAddress billingAddress: MailingAddress
}

# ---- discounts ---------------------------------------------------------------------------------------------
enum DiscountStatus { ACTIVE EXPIRED SCHEDULED }
enum DiscountBuyerSelection { ALL }
enum DiscountClass { ORDER PRODUCT SHIPPING }
enum MerchandiseDiscountClass { ORDER PRODUCT }
enum ShippingDiscountClass { SHIPPING }
enum DiscountErrorCode {
  ACTIVE_PERIOD_OVERLAP APPLIES_ON_NOTHING BLANK CONFLICT DUPLICATE END_DATE_BEFORE_START_DATE EQUAL_TO EXCEEDED_MAX
  GREATER_THAN GREATER_THAN_OR_EQUAL_TO IMPLICIT_DUPLICATE INCLUSION INTERNAL_ERROR INVALID
  INVALID_COMBINES_WITH_FOR_DISCOUNT_CLASS INVALID_DISCOUNT_CLASS_FOR_PRICE_RULE LESS_THAN LESS_THAN_OR_EQUAL_TO
  MAX_APP_DISCOUNTS MINIMUM_SUBTOTAL_AND_QUANTITY_RANGE_BOTH_PRESENT MISSING_ARGUMENT PRESENT TAKEN TOO_LONG
  TOO_MANY_ARGUMENTS TOO_SHORT VALUE_OUTSIDE_RANGE
}
type DiscountUserError { code: DiscountErrorCode extraInfo: String field: [String!] message: String! }
type DiscountCombinesWith { orderDiscounts: Boolean! productDiscounts: Boolean! shippingDiscounts: Boolean! }
type DiscountRedeemCode { id: ID! code: String! asyncUsageCount: Int! }
type DiscountCustomers { customers: [Customer!]! }
type DiscountBuyerSelectionAll { all: DiscountBuyerSelection! }
type DiscountCustomerAll { allCustomers: Boolean! }
union DiscountContext = DiscountBuyerSelectionAll | DiscountCustomers
union DiscountCustomerSelection = DiscountCustomerAll | DiscountCustomers
type DiscountPercentage { percentage: Float! }
type DiscountAmount { amount: MoneyV2! appliesOnEachItem: Boolean! }
union DiscountCustomerGetsValue = DiscountAmount | DiscountPercentage
type AllDiscountItems { allItems: Boolean! }
union DiscountItems = AllDiscountItems
type DiscountCustomerGets {
  value: DiscountCustomerGetsValue! items: DiscountItems! appliesOnOneTimePurchase: Boolean! appliesOnSubscription: Boolean!
}
type DiscountMinimumSubtotal { greaterThanOrEqualToSubtotal: MoneyV2! }
type DiscountMinimumQuantity { greaterThanOrEqualToQuantity: UnsignedInt64! }
union DiscountMinimumRequirement = DiscountMinimumQuantity | DiscountMinimumSubtotal
type DiscountCountryAll { allCountries: Boolean! }
union DiscountShippingDestinationSelection = DiscountCountryAll
type DiscountCodeBasic {
  title: String! summary: String! status: DiscountStatus! startsAt: DateTime! endsAt: DateTime createdAt: DateTime!
  updatedAt: DateTime! usageLimit: Int appliesOncePerCustomer: Boolean! asyncUsageCount: Int!
  codes(${PAGE_ARGS}): DiscountRedeemCodeConnection! codesCount: Count context: DiscountContext!
  customerSelection: DiscountCustomerSelection! customerGets: DiscountCustomerGets! combinesWith: DiscountCombinesWith!
  discountClass: MerchandiseDiscountClass! discountClasses: [DiscountClass!]! minimumRequirement: DiscountMinimumRequirement
  totalSales: MoneyV2
}
type DiscountCodeFreeShipping {
  title: String! summary: String! status: DiscountStatus! startsAt: DateTime! endsAt: DateTime createdAt: DateTime!
  updatedAt: DateTime! usageLimit: Int appliesOncePerCustomer: Boolean! asyncUsageCount: Int!
  codes(${PAGE_ARGS}): DiscountRedeemCodeConnection! codesCount: Count context: DiscountContext!
  customerSelection: DiscountCustomerSelection! combinesWith: DiscountCombinesWith! discountClass: ShippingDiscountClass!
  discountClasses: [DiscountClass!]! destinationSelection: DiscountShippingDestinationSelection!
  maximumShippingPrice: MoneyV2 minimumRequirement: DiscountMinimumRequirement appliesOnOneTimePurchase: Boolean!
  appliesOnSubscription: Boolean! totalSales: MoneyV2
}
# Never returned here; declared so that queries with fragments on them still validate.
type DiscountCodeBxgy { title: String! status: DiscountStatus! startsAt: DateTime! endsAt: DateTime usageLimit: Int }
type DiscountCodeApp { title: String! status: DiscountStatus! startsAt: DateTime! endsAt: DateTime usageLimit: Int }
union DiscountCode = DiscountCodeApp | DiscountCodeBasic | DiscountCodeBxgy | DiscountCodeFreeShipping
type DiscountCodeNode implements Node { id: ID! codeDiscount: DiscountCode! }

input DiscountCombinesWithInput { orderDiscounts: Boolean productDiscounts: Boolean shippingDiscounts: Boolean }
input DiscountCustomersInput { add: [ID!] remove: [ID!] }
input DiscountCustomerSegmentsInput { add: [ID!] remove: [ID!] }
input DiscountContextInput { all: DiscountBuyerSelection customers: DiscountCustomersInput customerSegments: DiscountCustomerSegmentsInput }
input DiscountCustomerSelectionInput { all: Boolean customers: DiscountCustomersInput customerSegments: DiscountCustomerSegmentsInput }
input DiscountAmountInput { amount: Decimal appliesOnEachItem: Boolean }
input DiscountEffectInput { percentage: Float amount: Decimal }
input DiscountOnQuantityInput { quantity: UnsignedInt64 effect: DiscountEffectInput }
input DiscountCustomerGetsValueInput { percentage: Float discountAmount: DiscountAmountInput discountOnQuantity: DiscountOnQuantityInput }
input DiscountProductsInput { productsToAdd: [ID!] productsToRemove: [ID!] productVariantsToAdd: [ID!] productVariantsToRemove: [ID!] }
input DiscountCollectionsInput { add: [ID!] remove: [ID!] }
input DiscountItemsInput { all: Boolean products: DiscountProductsInput collections: DiscountCollectionsInput }
input DiscountCustomerGetsInput {
  value: DiscountCustomerGetsValueInput items: DiscountItemsInput appliesOnOneTimePurchase: Boolean appliesOnSubscription: Boolean
}
input DiscountMinimumQuantityInput { greaterThanOrEqualToQuantity: UnsignedInt64 }
input DiscountMinimumSubtotalInput { greaterThanOrEqualToSubtotal: Decimal }
input DiscountMinimumRequirementInput { quantity: DiscountMinimumQuantityInput subtotal: DiscountMinimumSubtotalInput }
input DiscountCountriesInput { add: [CountryCode!] remove: [CountryCode!] includeRestOfWorld: Boolean }
input DiscountShippingDestinationSelectionInput { all: Boolean countries: DiscountCountriesInput }
input DiscountCodeBasicInput {
  title: String code: String startsAt: DateTime endsAt: DateTime usageLimit: Int appliesOncePerCustomer: Boolean
  combinesWith: DiscountCombinesWithInput context: DiscountContextInput customerSelection: DiscountCustomerSelectionInput
  customerGets: DiscountCustomerGetsInput minimumRequirement: DiscountMinimumRequirementInput recurringCycleLimit: Int
}
input DiscountCodeFreeShippingInput {
  title: String code: String startsAt: DateTime endsAt: DateTime usageLimit: Int appliesOncePerCustomer: Boolean
  combinesWith: DiscountCombinesWithInput context: DiscountContextInput customerSelection: DiscountCustomerSelectionInput
  destination: DiscountShippingDestinationSelectionInput maximumShippingPrice: Decimal
  minimumRequirement: DiscountMinimumRequirementInput appliesOnOneTimePurchase: Boolean appliesOnSubscription: Boolean
  recurringCycleLimit: Int
}
type DiscountCodeBasicCreatePayload { codeDiscountNode: DiscountCodeNode userErrors: [DiscountUserError!]! }
type DiscountCodeFreeShippingCreatePayload { codeDiscountNode: DiscountCodeNode userErrors: [DiscountUserError!]! }

# ---- customer mutations ------------------------------------------------------------------------------------
enum CustomerSmsMarketingConsentErrorCode { INCLUSION INTERNAL_ERROR INVALID MISSING_ARGUMENT }
type CustomerSmsMarketingConsentError { code: CustomerSmsMarketingConsentErrorCode field: [String!] message: String! }
input CustomerSmsMarketingConsentInput {
  marketingState: CustomerSmsMarketingState! marketingOptInLevel: CustomerMarketingOptInLevel consentUpdatedAt: DateTime
  sourceLocationId: ID
}
input CustomerSmsMarketingConsentUpdateInput { customerId: ID! smsMarketingConsent: CustomerSmsMarketingConsentInput! }
type CustomerSmsMarketingConsentUpdatePayload { customer: Customer userErrors: [CustomerSmsMarketingConsentError!]! }
input CustomerEmailMarketingConsentInput {
  marketingState: CustomerEmailMarketingState! marketingOptInLevel: CustomerMarketingOptInLevel consentUpdatedAt: DateTime
}
input MailingAddressInput {
  address1: String address2: String city: String company: String countryCode: CountryCode firstName: String
  lastName: String phone: String provinceCode: String zip: String
}
input CustomerInput {
  id: ID firstName: String lastName: String email: String phone: String tags: [String!] note: String locale: String
  addresses: [MailingAddressInput!] smsMarketingConsent: CustomerSmsMarketingConsentInput
  emailMarketingConsent: CustomerEmailMarketingConsentInput taxExempt: Boolean
}
type CustomerCreatePayload { customer: Customer userErrors: [UserError!]! }
type TagsAddPayload { node: Node userErrors: [UserError!]! }
type TagsRemovePayload { node: Node userErrors: [UserError!]! }
type WebPixel implements Node { id: ID! settings: JSON! }
input WebPixelInput { settings: JSON! }
enum ErrorsWebPixelUserErrorCode {
  BLANK INVALID_CONFIGURATION_JSON INVALID_RUNTIME_CONTEXT INVALID_SETTINGS INVALID_SETTINGS_DEFINITION NO_EXTENSION
  NOT_FOUND TAKEN UNEXPECTED_ERROR UNABLE_TO_DELETE
}
type ErrorsWebPixelUserError { field: [String!] message: String! code: ErrorsWebPixelUserErrorCode }
type WebPixelCreatePayload { webPixel: WebPixel userErrors: [ErrorsWebPixelUserError!]! }
type WebPixelUpdatePayload { webPixel: WebPixel userErrors: [ErrorsWebPixelUserError!]! }

${connectionTypes(["Customer", "Order", "LineItem", "Product", "ProductVariant", "Collection", "AbandonedCheckout", "AbandonedCheckoutLineItem", "DiscountRedeemCode", "DiscountCodeNode", "FulfillmentLineItem"])}

type QueryRoot {
  shop: Shop!
  node(id: ID!): Node
  nodes(ids: [ID!]!): [Node]!
  customer(id: ID!): Customer
  customers(${PAGE_ARGS}, sortKey: CustomerSortKeys = ID, query: String): CustomerConnection!
  customersCount(query: String, limit: Int = 10000): Count
  order(id: ID!): Order
  orders(${PAGE_ARGS}, sortKey: OrderSortKeys = PROCESSED_AT, query: String): OrderConnection!
  ordersCount(query: String, limit: Int = 10000): Count
  abandonedCheckouts(${PAGE_ARGS}, sortKey: AbandonedCheckoutSortKeys = ID, query: String): AbandonedCheckoutConnection!
  abandonedCheckoutsCount(query: String, limit: Int = 10000): Count
  product(id: ID!): Product
  productByIdentifier(identifier: ProductIdentifierInput!): Product
  products(${PAGE_ARGS}, sortKey: ProductSortKeys = ID, query: String): ProductConnection!
  productsCount(query: String, limit: Int = 10000): Count
  productVariant(id: ID!): ProductVariant
  collection(id: ID!): Collection
  collections(${PAGE_ARGS}, sortKey: CollectionSortKeys = ID, query: String, savedSearchId: ID): CollectionConnection!
  collectionsCount(query: String, limit: Int = 10000): Count
  productVariants(${PAGE_ARGS}, query: String): ProductVariantConnection!
  codeDiscountNode(id: ID!): DiscountCodeNode
  codeDiscountNodeByCode(code: String!): DiscountCodeNode
  codeDiscountNodes(${PAGE_ARGS}, query: String): DiscountCodeNodeConnection!
  webPixel(id: ID): WebPixel
}

type Mutation {
  discountCodeBasicCreate(basicCodeDiscount: DiscountCodeBasicInput!): DiscountCodeBasicCreatePayload
  discountCodeFreeShippingCreate(freeShippingCodeDiscount: DiscountCodeFreeShippingInput!): DiscountCodeFreeShippingCreatePayload
  customerSmsMarketingConsentUpdate(input: CustomerSmsMarketingConsentUpdateInput!): CustomerSmsMarketingConsentUpdatePayload
  customerCreate(input: CustomerInput!): CustomerCreatePayload
  tagsAdd(id: ID!, tags: [String!]!): TagsAddPayload
  tagsRemove(id: ID!, tags: [String!]!): TagsRemovePayload
  webPixelCreate(webPixel: WebPixelInput!): WebPixelCreatePayload
  webPixelUpdate(id: ID!, webPixel: WebPixelInput!): WebPixelUpdatePayload
}

schema { query: QueryRoot mutation: Mutation }
`;
