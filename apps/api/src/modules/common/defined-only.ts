// GraphQL hands the resolver an optional argument the client sent as null, or one it left out
// as absent; the data layer's filters and patches read "not given" as absent (undefined), and
// some would store or compare a null. One conversion, used by every resolver that forwards them.

type DefinedOnly<T, K extends keyof T> = { [P in K]?: Exclude<T[P], null | undefined> };

/**
 * The values of `o` (only those named in `keys`, when given) that are neither null nor
 * undefined: a filter narrows, and a patch changes, only what it names.
 */
export function definedOnly<T extends object, K extends keyof T = keyof T>(o: T, keys?: readonly K[]): DefinedOnly<T, K> {
  const names: readonly PropertyKey[] = keys ?? Object.keys(o);
  return Object.fromEntries(
    names.flatMap((k) => {
      const v = (o as Record<PropertyKey, unknown>)[k];
      return v === null || v === undefined ? [] : [[k, v]];
    }),
  ) as DefinedOnly<T, K>;
}
