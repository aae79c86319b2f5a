import type { GraphQLFieldResolver, GraphQLObjectType, GraphQLSchema } from 'graphql';
import { gql } from '../../graphql-runtime';
import type { ApiContext } from '../../context';
import { recordMutationAudit } from '../audit/record-mutation-audit';
import { authorize } from './authorize';
import type { Requirement } from './permissions';

/** Every root field of the schema as `Type.field` (Query, Mutation, Subscription). */
export function listOperations(schema: GraphQLSchema): string[] {
  return rootTypes(schema).flatMap((type) => Object.keys(type.getFields()).map((name) => `${type.name}.${name}`));
}

function rootTypes(schema: GraphQLSchema): GraphQLObjectType[] {
  return [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter(
    (t): t is GraphQLObjectType => Boolean(t),
  );
}

/**
 * Wraps every root field so that its requirement is checked before the resolver runs, and
 * every factory mutation that succeeds is audited. Authorization lives here, not in each
 * resolver, so a new operation cannot forget it: an undeclared root field stops the build.
 */
export function enforcePermissions(schema: GraphQLSchema, table: Record<string, Requirement>): GraphQLSchema {
  const operations = listOperations(schema);
  const undeclared = operations.filter((op) => !table[op]);
  if (undeclared.length) {
    throw new Error(`No permission declared for ${undeclared.join(', ')}: add them to modules/auth/permissions.ts`);
  }
  const stale = Object.keys(table).filter((op) => !operations.includes(op));
  if (stale.length) throw new Error(`Permissions declared for operations the schema lacks: ${stale.join(', ')}`);

  const subscriptionType = schema.getSubscriptionType();
  const mutationType = schema.getMutationType();
  for (const type of rootTypes(schema)) {
    for (const [name, field] of Object.entries(type.getFields())) {
      const operation = `${type.name}.${name}`;
      const req = table[operation]!;
      const audited = type === mutationType && req.access === 'factory';
      if (type === subscriptionType) {
        const subscribe = field.subscribe;
        if (subscribe) field.subscribe = guard(subscribe, req, operation, false);
      } else {
        field.resolve = guard(field.resolve ?? gql.defaultFieldResolver, req, operation, audited);
      }
    }
  }
  return schema;
}

function guard(
  resolve: GraphQLFieldResolver<unknown, ApiContext>,
  req: Requirement,
  operation: string,
  audited: boolean,
): GraphQLFieldResolver<unknown, ApiContext> {
  return async (parent, args, ctx, info) => {
    authorize(ctx.caller, req, operation);
    const result = await resolve(parent, args, ctx, info);
    if (audited) await recordMutationAudit(ctx, info, args, result);
    return result;
  };
}
