import type { Statement } from "./ast.ts";
import { parseQuery } from "./parser.ts";

/** Query texts longer than this are parsed every time (a cache of them would hold too much). */
const MAX_CACHED_TEXT = 4096;

/**
 * Parses query texts, remembering the statements of the last `capacity` distinct texts:
 * dashboards send the same queries on every refresh. Statements are immutable and `now()`
 * stays symbolic in them, so sharing them between requests is safe. Texts with bind
 * parameters and texts that fail to parse are not remembered.
 */
export class ParseCache {
  readonly #capacity: number;
  readonly #entries = new Map<string, Statement[]>();

  constructor(capacity = 256) {
    this.#capacity = capacity;
  }

  /** The statements of `text`, as `parseQuery` gives them; throws its ParseError. */
  parse(text: string, params?: Record<string, unknown>): readonly Statement[] {
    if (params !== undefined || text.length > MAX_CACHED_TEXT) return parseQuery(text, params);
    const hit = this.#entries.get(text);
    if (hit !== undefined) {
      // Move to the back: the Map's insertion order is the eviction order.
      this.#entries.delete(text);
      this.#entries.set(text, hit);
      return hit;
    }
    const statements = parseQuery(text);
    this.#entries.set(text, statements);
    if (this.#entries.size > this.#capacity) {
      this.#entries.delete(this.#entries.keys().next().value!);
    }
    return statements;
  }
}
