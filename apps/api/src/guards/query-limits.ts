import type { GraphQLNamedType, SelectionSetNode, ValidationContext, ValidationRule } from 'graphql';
import { gql } from '../graphql-runtime';

const { GraphQLError, getNamedType, isInterfaceType, isObjectType, Kind } = gql;

export interface QueryLimits {
  /** Deepest field nesting allowed (introspection fields are not counted). */
  maxDepth: number;
  /** Estimated number of fields resolved: each field costs 1, a page multiplies its subtree by its size. */
  maxCost: number;
  /** Page size assumed for a `first` given as a variable (variables are unknown at validation). */
  maxPageSize: number;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = { maxDepth: 12, maxCost: 20_000, maxPageSize: 100 };

interface Measure {
  depth: number;
  cost: number;
}

/**
 * Refuses operations that are too deep or too expensive before anything runs. Cost is an
 * upper bound: a connection field with `first: n` multiplies the cost of its selection by n,
 * so `products(first: 100) { edges { node { images(first: 100) ... } } }` is priced at 10 000+.
 */
export function queryLimitsRule(limits: QueryLimits = DEFAULT_QUERY_LIMITS): ValidationRule {
  return (context: ValidationContext) => ({
    OperationDefinition(node) {
      const schema = context.getSchema();
      const root =
        node.operation === 'query' ? schema.getQueryType() : node.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
      if (!root) return;
      const { depth, cost } = measure(context, node.selectionSet, root, new Set(), limits);
      if (depth > limits.maxDepth) {
        context.reportError(
          new GraphQLError(`The operation is nested ${depth} levels deep; the limit is ${limits.maxDepth}. Split it into smaller queries.`, {
            nodes: [node],
            extensions: { code: 'QUERY_TOO_COMPLEX' },
          }),
        );
      } else if (cost > limits.maxCost) {
        context.reportError(
          new GraphQLError(`The operation could resolve about ${cost} fields; the limit is ${limits.maxCost}. Ask for smaller pages or fewer nested lists.`, {
            nodes: [node],
            extensions: { code: 'QUERY_TOO_COMPLEX' },
          }),
        );
      }
    },
  });
}

function measure(
  context: ValidationContext,
  selectionSet: SelectionSetNode,
  parent: GraphQLNamedType,
  fragmentsSeen: Set<string>,
  limits: QueryLimits,
): Measure {
  let depth = 0;
  let cost = 0;
  const fields = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields() : {};
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value.startsWith('__')) continue;
      const def = fields[selection.name.value];
      const childType = def ? getNamedType(def.type) : parent;
      const child = selection.selectionSet
        ? measure(context, selection.selectionSet, childType, fragmentsSeen, limits)
        : { depth: 0, cost: 0 };
      let multiplier = 1;
      const firstArg = def?.args.find((a) => a.name === 'first');
      if (firstArg) {
        const given = selection.arguments?.find((a) => a.name.value === 'first')?.value;
        if (given?.kind === Kind.INT) multiplier = Number(given.value);
        else if (given?.kind === Kind.VARIABLE) multiplier = limits.maxPageSize;
        else multiplier = typeof firstArg.defaultValue === 'number' ? firstArg.defaultValue : limits.maxPageSize;
      }
      depth = Math.max(depth, 1 + child.depth);
      cost += 1 + Math.max(1, multiplier) * child.cost;
    } else {
      let set: SelectionSetNode | undefined;
      let typeName: string | undefined;
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        set = selection.selectionSet;
        typeName = selection.typeCondition?.name.value;
      } else {
        const name = selection.name.value;
        if (fragmentsSeen.has(name)) continue; // cycles are reported by the standard rules
        const fragment = context.getFragment(name);
        if (!fragment) continue;
        set = fragment.selectionSet;
        typeName = fragment.typeCondition.name.value;
        fragmentsSeen = new Set([...fragmentsSeen, name]);
      }
      const type = (typeName && context.getSchema().getType(typeName)) || parent;
      const child = measure(context, set, type, fragmentsSeen, limits);
      depth = Math.max(depth, child.depth);
      cost += child.cost;
    }
  }
  return { depth, cost };
}
