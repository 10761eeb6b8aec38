import {
  getArgumentValues,
  getNamedType,
  isCompositeType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isInterfaceType,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";

// Shopify's calculated query cost, approximated with its published rules: scalars and enums cost 0, objects 1,
// connections 2 plus `first`/`last` times the cost of one node, mutations 10. Good enough for the app to see
// realistic `extensions.cost` numbers and for the single-query maximum (1000) to bite where it would on Shopify.

export const MAX_SINGLE_QUERY_COST = 1000;

interface CostInput {
  schema: GraphQLSchema;
  operation: OperationDefinitionNode;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
}

function unwrapList(type: GraphQLOutputType): boolean {
  const inner = isNonNullType(type) ? type.ofType : type;
  return isListType(inner);
}

function pageSize(
  field: GraphQLField<unknown, unknown>,
  node: Parameters<typeof getArgumentValues>[1],
  variables: Record<string, unknown>,
): number {
  try {
    const args = getArgumentValues(field, node, variables);
    const n = (args.first ?? args.last) as number | undefined;
    return typeof n === "number" ? Math.max(0, n) : 1;
  } catch {
    return 1;
  }
}

function selectionCost(parent: GraphQLCompositeType, set: SelectionSetNode | undefined, input: CostInput): number {
  if (!set) return 0;
  let total = 0;
  for (const selection of set.selections) {
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      const type = selection.typeCondition ? input.schema.getType(selection.typeCondition.name.value) : parent;
      if (type && isCompositeType(type)) total += selectionCost(type, selection.selectionSet, input);
      continue;
    }
    if (selection.kind === Kind.FRAGMENT_SPREAD) {
      const fragment = input.fragments[selection.name.value];
      const type = fragment && input.schema.getType(fragment.typeCondition.name.value);
      if (fragment && type && isCompositeType(type)) total += selectionCost(type, fragment.selectionSet, input);
      continue;
    }
    if (!isObjectType(parent) && !isInterfaceType(parent)) continue; // unions only expose __typename
    const field = parent.getFields()[selection.name.value];
    if (!field) continue;
    const named = getNamedType(field.type);
    if (isLeafType(named) || !isCompositeType(named)) continue;
    if (named.name.endsWith("Connection") && isObjectType(named)) {
      // Cost of one node: the heavier of `nodes` and `edges { node }` as selected.
      let perNode = 0;
      const nodeType = named.getFields().nodes ? getNamedType(named.getFields().nodes.type) : undefined;
      for (const sub of selection.selectionSet?.selections ?? []) {
        if (sub.kind !== Kind.FIELD || !nodeType || !isCompositeType(nodeType)) continue;
        if (sub.name.value === "nodes")
          perNode = Math.max(perNode, 1 + selectionCost(nodeType, sub.selectionSet, input));
        if (sub.name.value === "edges") {
          for (const edgeSel of sub.selectionSet?.selections ?? []) {
            if (edgeSel.kind === Kind.FIELD && edgeSel.name.value === "node") {
              perNode = Math.max(perNode, 1 + selectionCost(nodeType, edgeSel.selectionSet, input));
            }
          }
        }
      }
      total += 2 + pageSize(field, selection, input.variables) * perNode;
    } else if (unwrapList(field.type)) {
      const hasFirst = field.args.some((a) => a.name === "first");
      const size = hasFirst ? pageSize(field, selection, input.variables) : 1;
      total += size * (1 + selectionCost(named, selection.selectionSet, input));
    } else {
      total += 1 + selectionCost(named, selection.selectionSet, input);
    }
  }
  return total;
}

export function estimateQueryCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): number {
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments[def.name.value] = def;
  const root = operation.operation === "mutation" ? schema.getMutationType() : schema.getQueryType();
  if (!root) return 0;
  const input: CostInput = { schema, operation, fragments, variables };
  if (operation.operation === "mutation") {
    // Each mutation field costs 10, plus what its payload selects.
    return operation.selectionSet.selections.reduce((sum, sel) => {
      if (sel.kind !== Kind.FIELD) return sum;
      const field = root.getFields()[sel.name.value];
      const named = field && getNamedType(field.type);
      return sum + 10 + (named && isCompositeType(named) ? selectionCost(named, sel.selectionSet, input) : 0);
    }, 0);
  }
  return Math.max(1, selectionCost(root, operation.selectionSet, input));
}

/** Shopify's leaky bucket: 2000 points, refilled at 100 points per second. */
export class ThrottleBucket {
  readonly maximumAvailable = 2000;
  readonly restoreRate = 100;
  private available = this.maximumAvailable;
  private updatedAt = Date.now();

  private refill(now: number) {
    this.available = Math.min(
      this.maximumAvailable,
      this.available + ((now - this.updatedAt) / 1000) * this.restoreRate,
    );
    this.updatedAt = now;
  }

  /** Takes `cost` points if there are enough; answers whether it did. */
  take(cost: number, now = Date.now()): boolean {
    this.refill(now);
    if (cost > this.available) return false;
    this.available -= cost;
    return true;
  }

  status(now = Date.now()) {
    this.refill(now);
    return {
      maximumAvailable: this.maximumAvailable,
      currentlyAvailable: Math.floor(this.available),
      restoreRate: this.restoreRate,
    };
  }
}
