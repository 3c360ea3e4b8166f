import type { FieldType } from "../models/point.ts";

/** Base class of errors raised by the shard engine; `kind` tells them apart. */
export class StorageError extends Error {
  override readonly name: string = "StorageError";
  readonly kind: string = "storage";
}

/** A field whose type differs from the type the shard already holds; text is InfluxDB's. */
export class FieldTypeConflictError extends StorageError {
  override readonly name = "FieldTypeConflictError";
  override readonly kind = "field_type_conflict";

  constructor(
    readonly measurement: string,
    readonly field: string,
    readonly inputType: FieldType,
    readonly existingType: FieldType,
  ) {
    super(
      `field type conflict: input field "${field}" on measurement "${measurement}" is type ` +
        `${inputType}, already exists as type ${existingType}`,
    );
  }
}

/** An operation on a shard that is closed (or was never opened). */
export class ShardClosedError extends StorageError {
  override readonly name = "ShardClosedError";
  override readonly kind = "shard_closed";

  constructor(readonly path: string) {
    super(`Shard at ${path} is closed; open it before reading or writing.`);
  }
}

/** A stored record (WAL, series or field entry) that cannot be decoded. */
export class CorruptRecordError extends StorageError {
  override readonly name = "CorruptRecordError";
  override readonly kind = "corrupt_record";

  constructor(readonly what: string, detail: string) {
    super(`Corrupt ${what}: ${detail}.`);
  }
}

/** Why one point of a batch was not written; `index` is its position in the batch. */
export type PointError =
  | {
    readonly kind: "field_type_conflict";
    readonly index: number;
    readonly message: string;
    readonly measurement: string;
    readonly field: string;
  }
  | { readonly kind: "series_key_too_long"; readonly index: number; readonly message: string }
  | { readonly kind: "no_fields"; readonly index: number; readonly message: string };
