import {
  buildSchema,
  execute,
  getOperationAST,
  GraphQLError,
  isObjectType,
  Kind,
  parse,
  validate,
  type DocumentNode,
  type GraphQLScalarType,
  type GraphQLSchema,
} from "graphql";
import type { AdminContext, ResolverMap } from "./admin-context";
import { Mutation } from "./admin-resolvers-mutations";
import { QueryRoot } from "./admin-resolvers-query";
import { typeResolvers } from "./admin-resolvers-types";
import { ADMIN_SCHEMA_SDL } from "./admin-schema";
import { graphqlTime } from "./format";
import { estimateQueryCost, MAX_SINGLE_QUERY_COST, type ThrottleBucket } from "./query-cost";
import type { ShopifyStore } from "./store";

// Executes Admin GraphQL requests against the simulated store with the real `graphql` package, and answers the
// way Shopify does: HTTP 200 with `data` and/or `errors`, `extensions.cost` on every response, THROTTLED and
// MAX_COST_EXCEEDED as GraphQL errors rather than HTTP statuses.

export interface AdminGraphqlRequest {
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
}

export interface CostExtension {
  requestedQueryCost: number;
  actualQueryCost: number | null;
  throttleStatus: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number };
}

export interface AdminGraphqlResponse {
  data?: unknown;
  errors?: unknown[];
  extensions?: { cost: CostExtension };
}

export interface AdminGraphqlOptions {
  store: ShopifyStore;
  scopes: ReadonlySet<string>;
  imageBaseUrl: string;
  bucket: ThrottleBucket;
  /** Answer THROTTLED regardless of the bucket (injected by the control API). */
  forceThrottle: boolean;
  /** Throttle when the bucket runs dry, as Shopify does. Off by default so app tests are not timing-dependent. */
  enforceBucket: boolean;
}

function configureScalars(schema: GraphQLSchema) {
  const scalar = (name: string) => schema.getType(name) as GraphQLScalarType;
  const dateTime = scalar("DateTime");
  dateTime.serialize = (value) =>
    typeof value === "string" ? graphqlTime(value) : value instanceof Date ? graphqlTime(value.toISOString()) : value;
  const parseDate = (value: unknown) => {
    if (typeof value !== "string" || Number.isNaN(Date.parse(value))) {
      throw new GraphQLError(`Argument is not a valid DateTime: ${JSON.stringify(value)}`);
    }
    return value;
  };
  dateTime.parseValue = parseDate;
  dateTime.parseLiteral = (ast) => parseDate(ast.kind === Kind.STRING ? ast.value : undefined);
  // Shopify serialises these as strings ("12.50", "3"); accept strings or numbers on input.
  for (const name of ["Decimal", "Money", "UnsignedInt64"]) {
    const type = scalar(name);
    type.serialize = (value) => (typeof value === "number" ? String(value) : value);
    type.parseValue = (value) => {
      if (
        (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) ||
        typeof value === "number"
      )
        return value;
      throw new GraphQLError(`Argument is not a valid ${name}: ${JSON.stringify(value)}`);
    };
    type.parseLiteral = (ast) => {
      if (ast.kind === Kind.STRING || ast.kind === Kind.INT || ast.kind === Kind.FLOAT)
        return type.parseValue(ast.value);
      throw new GraphQLError(`Argument is not a valid ${name}`);
    };
  }
}

/** Attaches resolvers by type and field name; a name the schema lacks is a bug here, so it fails at startup. */
function attachResolvers(schema: GraphQLSchema, map: ResolverMap) {
  for (const [typeName, fields] of Object.entries(map)) {
    const type = schema.getType(typeName);
    if (!type || !isObjectType(type)) throw new Error(`admin schema has no object type ${typeName}`);
    const schemaFields = type.getFields();
    for (const [fieldName, resolver] of Object.entries(fields)) {
      const field = schemaFields[fieldName];
      if (!field) throw new Error(`admin schema has no field ${typeName}.${fieldName}`);
      field.resolve = (source: unknown, args: unknown, context: AdminContext) =>
        resolver(source as never, args as never, context);
    }
  }
}

function buildAdminSchema(): GraphQLSchema {
  const schema = buildSchema(ADMIN_SCHEMA_SDL);
  configureScalars(schema);
  attachResolvers(schema, { ...typeResolvers, QueryRoot, Mutation });
  return schema;
}

let cachedSchema: GraphQLSchema | undefined;
export function adminSchema(): GraphQLSchema {
  cachedSchema ??= buildAdminSchema();
  return cachedSchema;
}

function costExtension(requested: number, actual: number | null, bucket: ThrottleBucket): { cost: CostExtension } {
  return { cost: { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: bucket.status() } };
}

export function throttledResponse(requested: number, bucket: ThrottleBucket): AdminGraphqlResponse {
  return {
    errors: [
      {
        message: "Throttled",
        extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" },
      },
    ],
    extensions: costExtension(requested, null, bucket),
  };
}

export async function executeAdminGraphql(
  request: AdminGraphqlRequest,
  options: AdminGraphqlOptions,
): Promise<AdminGraphqlResponse> {
  const schema = adminSchema();
  let document: DocumentNode;
  try {
    document = parse(request.query);
  } catch (error) {
    if (error instanceof GraphQLError) return { errors: [error.toJSON()] };
    throw error;
  }
  const validationErrors = validate(schema, document);
  if (validationErrors.length) return { errors: validationErrors.map((e) => e.toJSON()) };

  const variables = request.variables ?? {};
  const operation = getOperationAST(document, request.operationName ?? undefined);
  const requested = operation ? estimateQueryCost(schema, document, operation, variables) : 0;
  const { bucket } = options;

  if (requested > MAX_SINGLE_QUERY_COST) {
    return {
      errors: [
        {
          message: `Query cost is ${requested}, which exceeds the single query max cost limit (${MAX_SINGLE_QUERY_COST}).\n\nSee https://shopify.dev/concepts/about-apis/rate-limits for more information on how the\ncost of a query is calculated.\n\nTo query larger amounts of data with fewer limits, bulk operations should be used instead.\nSee https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api for usage details.\n`,
          extensions: { code: "MAX_COST_EXCEEDED", cost: requested, maxCost: MAX_SINGLE_QUERY_COST },
        },
      ],
      extensions: costExtension(requested, null, bucket),
    };
  }
  if (options.forceThrottle) return throttledResponse(requested, bucket);
  if (!bucket.take(requested) && options.enforceBucket) return throttledResponse(requested, bucket);

  const context: AdminContext = {
    store: options.store,
    now: options.store.now(),
    imageBaseUrl: options.imageBaseUrl,
    scopes: options.scopes,
  };
  const result = await execute({
    schema,
    document,
    variableValues: variables,
    operationName: request.operationName ?? undefined,
    contextValue: context,
  });
  return {
    ...(result.errors?.length ? { errors: result.errors.map((e) => e.toJSON()) } : {}),
    ...(result.data !== undefined ? { data: result.data } : {}),
    extensions: costExtension(requested, requested, bucket),
  };
}
