import type {
  GraphQLArgument,
  GraphQLField,
  GraphQLFieldResolver,
  GraphQLInputField,
  GraphQLInputType,
  GraphQLSchema,
} from 'graphql';
import { gql } from '../graphql-runtime';
import { apiError } from '../modules/auth/api-errors';
import type { ArgumentLimits } from './argument-limits';

/** Checks one argument value (already coerced by graphql); throws BAD_USER_INPUT. */
type Check = (value: unknown, path: string) => void;

/**
 * Wraps every field that takes arguments so that, before its resolver (or subscribe) runs,
 * every string, id and JSON value in its arguments is free of NUL bytes (PostgreSQL cannot
 * store them, so they used to end as INTERNAL_SERVER_ERROR) and within the limits of
 * `argument-limits.ts`, and lists are bounded. Done here, once, so that no operation can
 * forget it; domain rules (a slug's shape, a power-of-two image size) stay with the domain.
 */
export function guardArguments(schema: GraphQLSchema, limits: ArgumentLimits): GraphQLSchema {
  const known = new Set<string>();
  const compiled = new Map<string, Check | null>();

  const scalarCheck = (name: string, coordinate: string): Check | null => {
    known.add(coordinate);
    if (name === 'String' || name === 'ID') {
      const max = limits.maxChars[coordinate] ?? limits.defaultMaxChars;
      return (value, path) => {
        if (typeof value !== 'string') return;
        if (value.length > max) throw refuse(path, `is ${value.length} characters long; at most ${max} are accepted`);
        if (value.includes('\0')) throw refuse(path, 'contains a NUL character (\\u0000), which cannot be stored');
      };
    }
    if (name === 'JSON') {
      const max = limits.maxJsonBytes[coordinate] ?? limits.defaultMaxJsonBytes;
      return (value, path) => {
        if (value === undefined || value === null) return;
        const bytes = Buffer.byteLength(JSON.stringify(value) ?? '');
        if (bytes > max) throw refuse(path, `is ${bytes} bytes of JSON; at most ${max} are accepted`);
        checkJsonStrings(value, path);
      };
    }
    return null;
  };

  const checkFor = (type: GraphQLInputType, coordinate: string): Check | null => {
    if (gql.isNonNullType(type)) return checkFor(type.ofType, coordinate);
    if (gql.isListType(type)) {
      const item = checkFor(type.ofType, coordinate);
      return (value, path) => {
        if (!Array.isArray(value)) return item?.(value, path);
        if (value.length > limits.maxListItems) throw refuse(path, `has ${value.length} items; at most ${limits.maxListItems} are accepted`);
        if (item) value.forEach((v, i) => item(v, `${path}[${i}]`));
      };
    }
    if (gql.isInputObjectType(type)) {
      if (!compiled.has(type.name)) {
        compiled.set(type.name, null); // a self-referencing input type sees the entry while it is built
        const fields = Object.values(type.getFields())
          .map((f: GraphQLInputField) => [f.name, checkFor(f.type, `${type.name}.${f.name}`)] as const)
          .filter((e): e is readonly [string, Check] => e[1] !== null);
        compiled.set(type.name, fields.length === 0 ? null : (value, path) => {
          if (value === null || typeof value !== 'object') return;
          for (const [name, check] of fields) check((value as Record<string, unknown>)[name], `${path}.${name}`);
        });
      }
      const name = type.name;
      return (value, path) => compiled.get(name)?.(value, path);
    }
    return gql.isScalarType(type) ? scalarCheck(type.name, coordinate) : null;
  };

  for (const type of Object.values(schema.getTypeMap())) {
    if (!gql.isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields()) as GraphQLField<unknown, unknown>[]) {
      const checks = field.args
        .map((a: GraphQLArgument) => [a.name, checkFor(a.type, `${type.name}.${field.name}.${a.name}`)] as const)
        .filter((e): e is readonly [string, Check] => e[1] !== null);
      if (checks.length === 0) continue;
      const checkAll = (args: Record<string, unknown>) => {
        for (const [name, check] of checks) check(args[name], name);
      };
      field.resolve = guarded(field.resolve ?? gql.defaultFieldResolver, checkAll);
      if (field.subscribe) field.subscribe = guarded(field.subscribe, checkAll);
    }
  }
  const stale = [...Object.keys(limits.maxChars), ...Object.keys(limits.maxJsonBytes)].filter((c) => !known.has(c));
  if (stale.length) throw new Error(`argument-limits.ts names arguments the schema lacks: ${stale.join(', ')}`);
  return schema;
}

function guarded(
  resolve: GraphQLFieldResolver<unknown, unknown>,
  checkAll: (args: Record<string, unknown>) => void,
): GraphQLFieldResolver<unknown, unknown> {
  return (parent, args, ctx, info) => {
    checkAll(args);
    return resolve(parent, args, ctx, info);
  };
}

/** JSON stored in jsonb: PostgreSQL refuses \u0000 in its strings and in its keys alike. */
function checkJsonStrings(value: unknown, path: string): void {
  if (typeof value === 'string') {
    if (value.includes('\0')) throw refuse(path, 'contains a NUL character (\\u0000), which cannot be stored');
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => checkJsonStrings(v, `${path}[${i}]`));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k.includes('\0')) throw refuse(path, 'has a key with a NUL character (\\u0000), which cannot be stored');
      checkJsonStrings(v, `${path}.${k}`);
    }
  }
}

function refuse(path: string, problem: string) {
  return apiError('BAD_USER_INPUT', `Argument ${path} ${problem}.`, { argument: path });
}
