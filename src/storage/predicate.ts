/** Tag predicates the series index answers without reading data (InfluxQL WHERE on tags). */

/**
 * A predicate over a series' tags. A missing tag compares as the empty string, as in
 * InfluxDB: `host = ''` matches series without `host`, `host != 'a'` matches them too.
 */
export type TagPredicate =
  | { readonly kind: "all" }
  | { readonly kind: "none" }
  | { readonly kind: "eq"; readonly key: string; readonly value: string }
  | { readonly kind: "neq"; readonly key: string; readonly value: string }
  | { readonly kind: "match"; readonly key: string; readonly pattern: RegExp }
  | { readonly kind: "nmatch"; readonly key: string; readonly pattern: RegExp }
  | { readonly kind: "and"; readonly left: TagPredicate; readonly right: TagPredicate }
  | { readonly kind: "or"; readonly left: TagPredicate; readonly right: TagPredicate };

/** Shorthands to build predicates in code and tests. */
export const tagPredicate = {
  all: (): TagPredicate => ({ kind: "all" }),
  eq: (key: string, value: string): TagPredicate => ({ kind: "eq", key, value }),
  neq: (key: string, value: string): TagPredicate => ({ kind: "neq", key, value }),
  match: (key: string, pattern: RegExp): TagPredicate => ({ kind: "match", key, pattern }),
  nmatch: (key: string, pattern: RegExp): TagPredicate => ({ kind: "nmatch", key, pattern }),
  and: (left: TagPredicate, right: TagPredicate): TagPredicate => ({ kind: "and", left, right }),
  or: (left: TagPredicate, right: TagPredicate): TagPredicate => ({ kind: "or", left, right }),
};
