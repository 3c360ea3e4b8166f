/** The type of a field value, as InfluxDB 1.x names them. */
export type FieldType = "float" | "integer" | "unsigned" | "boolean" | "string";

/**
 * A field value. `float` is a number; `integer` and `unsigned` are bigints so the full
 * 64-bit range survives; `boolean` and `string` are what they say.
 */
export type FieldValue = number | bigint | boolean | string;

/** One field of a point: its key, its declared type and its value. */
export interface Field {
  readonly key: string;
  readonly type: FieldType;
  readonly value: FieldValue;
}

/** A tag as a [key, value] pair; a point's tags are sorted by key. */
export type Tag = readonly [key: string, value: string];

/**
 * One parsed point. `key` is the series key exactly as InfluxDB builds it: the escaped
 * measurement followed by `,k=v` for every tag in key order (escaped). `time` is in
 * nanoseconds since the Unix epoch.
 */
export interface Point {
  readonly measurement: string;
  readonly tags: readonly Tag[];
  readonly key: string;
  readonly fields: readonly Field[];
  readonly time: bigint;
}
