/**
 * The series index of a shard, held in memory and persisted as `["s", id]` and `["f", id]`
 * records in the shard's KV (written in the same commit as the WAL record that introduces
 * them). Answers tag predicates and SHOW queries without touching data.
 */

import type { FieldType, Tag } from "../models/point.ts";
import { FieldTypeConflictError } from "./errors.ts";
import type { FieldId, FieldRecord, SeriesId, SeriesRecord } from "./key_layout.ts";
import type { TagPredicate } from "./predicate.ts";

/** One series of a shard. */
export interface SeriesInfo {
  readonly id: SeriesId;
  readonly key: string;
  readonly measurement: string;
  readonly tags: readonly Tag[];
}

/** One field of a measurement in a shard. */
export interface FieldInfo {
  readonly id: FieldId;
  readonly measurement: string;
  readonly key: string;
  readonly type: FieldType;
}

interface MeasurementIndex {
  readonly series: Set<number>;
  readonly tags: Map<string, Map<string, Set<number>>>;
  readonly fields: Map<string, FieldInfo>;
  /** Sorted values per tag key, kept until a value of that key comes or goes. */
  readonly sortedValues: Map<string, readonly string[]>;
}

/** Measurement → tag key → tag value → series ids, plus series and field records. */
export class SeriesIndex {
  private readonly byKey = new Map<string, SeriesInfo>();
  private readonly byId = new Map<number, SeriesInfo>();
  private readonly fieldsById = new Map<number, FieldInfo>();
  private readonly measurementsByName = new Map<string, MeasurementIndex>();
  /** The measurement the last `resolveField` looked up: batches repeat one measurement. */
  private lastMeasurement: { name: string; index: MeasurementIndex } | undefined;
  /** Next series id to hand out. */
  nextSeriesId = 1;
  /** Next field id to hand out. */
  nextFieldId = 1;

  /** Number of series. */
  get seriesCount(): number {
    return this.byId.size;
  }

  /** The series with this key. */
  seriesByKey(key: string): SeriesInfo | undefined {
    return this.byKey.get(key);
  }

  /** The series with this id. */
  series(id: number): SeriesInfo | undefined {
    return this.byId.get(id);
  }

  /** The field with this id. */
  field(id: number): FieldInfo | undefined {
    return this.fieldsById.get(id);
  }

  /** The field `key` of `measurement`. */
  fieldByName(measurement: string, key: string): FieldInfo | undefined {
    return this.measurementsByName.get(measurement)?.fields.get(key);
  }

  /** Adds a series (new or loaded from KV). */
  addSeries(info: SeriesInfo): void {
    this.byKey.set(info.key, info);
    this.byId.set(info.id, info);
    if (info.id >= this.nextSeriesId) this.nextSeriesId = info.id + 1;
    const m = this.measurement(info.measurement);
    m.series.add(info.id);
    for (const [k, v] of info.tags) {
      let values = m.tags.get(k);
      if (values === undefined) m.tags.set(k, values = new Map());
      let ids = values.get(v);
      if (ids === undefined) {
        values.set(v, ids = new Set());
        m.sortedValues.delete(k);
      }
      ids.add(info.id);
    }
  }

  /** Creates a series for a point key not seen before, with the next id. */
  createSeries(measurement: string, key: string, tags: readonly Tag[]): SeriesInfo {
    const info: SeriesInfo = { id: this.nextSeriesId as SeriesId, key, measurement, tags };
    this.addSeries(info);
    return info;
  }

  /** Removes a series (DROP SERIES); the measurement goes when its last series goes. */
  removeSeries(id: number): void {
    const info = this.byId.get(id);
    if (info === undefined) return;
    this.byId.delete(id);
    this.byKey.delete(info.key);
    const m = this.measurementsByName.get(info.measurement);
    if (m === undefined) return;
    m.series.delete(id);
    for (const [k, v] of info.tags) {
      const values = m.tags.get(k);
      const ids = values?.get(v);
      ids?.delete(id);
      if (ids && ids.size === 0) {
        values!.delete(v);
        m.sortedValues.delete(k);
      }
      if (values && values.size === 0) m.tags.delete(k);
    }
  }

  /** Adds a field (new or loaded from KV). */
  addField(info: FieldInfo): void {
    this.fieldsById.set(info.id, info);
    if (info.id >= this.nextFieldId) this.nextFieldId = info.id + 1;
    this.measurement(info.measurement).fields.set(info.key, info);
  }

  /**
   * The field `key` of `measurement` for a value of `type`: the existing one, a new one
   * (`created`), or a FieldTypeConflictError when the shard holds it with another type.
   */
  resolveField(
    measurement: string,
    key: string,
    type: FieldType,
  ): { field: FieldInfo; created: boolean } | FieldTypeConflictError {
    const m = this.lastMeasurement?.name === measurement
      ? this.lastMeasurement.index
      : this.measurementsByName.get(measurement);
    if (m !== undefined) this.lastMeasurement = { name: measurement, index: m };
    const existing = m?.fields.get(key);
    if (existing !== undefined) {
      if (existing.type !== type) {
        return new FieldTypeConflictError(measurement, key, type, existing.type);
      }
      return { field: existing, created: false };
    }
    const field: FieldInfo = { id: this.nextFieldId as FieldId, measurement, key, type };
    this.addField(field);
    return { field, created: true };
  }

  /**
   * The field `key` of `measurement` if the shard has it (any type). Allocation-free: the
   * write path calls it once per field value.
   */
  lookupField(measurement: string, key: string): FieldInfo | undefined {
    let last = this.lastMeasurement;
    if (last === undefined || last.name !== measurement) {
      const m = this.measurementsByName.get(measurement);
      if (m === undefined) return undefined;
      last = this.lastMeasurement = { name: measurement, index: m };
    }
    return last.index.fields.get(key);
  }

  /** Forgets a field (rolls back a field created by a batch whose commit failed). */
  removeField(id: number): void {
    const f = this.fieldsById.get(id);
    if (f === undefined) return;
    this.fieldsById.delete(id);
    this.measurementsByName.get(f.measurement)?.fields.delete(f.key);
  }

  /** Removes a measurement with its fields (its series must be removed first). */
  removeMeasurement(name: string): FieldInfo[] {
    const m = this.measurementsByName.get(name);
    if (m === undefined) return [];
    const fields = [...m.fields.values()];
    for (const f of fields) this.fieldsById.delete(f.id);
    this.measurementsByName.delete(name);
    this.lastMeasurement = undefined;
    return fields;
  }

  /** Measurement names, sorted. */
  measurements(): string[] {
    return [...this.measurementsByName.keys()].filter((n) =>
      this.measurementsByName.get(n)!.series.size > 0
    ).sort();
  }

  /** Ids of the series of `measurement` matching `predicate`, ascending. */
  match(measurement: string, predicate: TagPredicate): SeriesId[] {
    const m = this.measurementsByName.get(measurement);
    if (m === undefined) return [];
    return [...this.evaluate(m, predicate)].sort((a, b) => a - b) as SeriesId[];
  }

  /** Series of `measurement` matching `predicate`, sorted by series key. */
  matchSeries(measurement: string, predicate: TagPredicate): SeriesInfo[] {
    return this.match(measurement, predicate).map((id) => this.byId.get(id)!).sort((a, b) =>
      a.key < b.key ? -1 : a.key > b.key ? 1 : 0
    );
  }

  /** Tag keys of `measurement` (over the series matching `predicate`), sorted. */
  tagKeys(measurement: string, predicate: TagPredicate = { kind: "all" }): string[] {
    const m = this.measurementsByName.get(measurement);
    if (m === undefined) return [];
    if (predicate.kind === "all") return [...m.tags.keys()].sort();
    const keys = new Set<string>();
    for (const id of this.evaluate(m, predicate)) {
      for (const [k] of this.byId.get(id)!.tags) keys.add(k);
    }
    return [...keys].sort();
  }

  /** Values of tag `key` in `measurement` (over series matching `predicate`), sorted. */
  tagValues(
    measurement: string,
    key: string,
    predicate: TagPredicate = { kind: "all" },
  ): readonly string[] {
    const m = this.measurementsByName.get(measurement);
    const values = m?.tags.get(key);
    if (m === undefined || values === undefined) return [];
    if (predicate.kind === "all") {
      // SHOW TAG VALUES (Grafana's template variables) asks again on every dashboard load.
      let sorted = m.sortedValues.get(key);
      if (sorted === undefined) m.sortedValues.set(key, sorted = [...values.keys()].sort());
      return sorted;
    }
    const ids = this.evaluate(m, predicate);
    const out: string[] = [];
    for (const [v, set] of values) {
      for (const id of set) {
        if (ids.has(id)) {
          out.push(v);
          break;
        }
      }
    }
    return out.sort();
  }

  /** Field keys and types of `measurement`, sorted by key. */
  fieldKeys(measurement: string): FieldInfo[] {
    const m = this.measurementsByName.get(measurement);
    if (m === undefined) return [];
    return [...m.fields.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  private measurement(name: string): MeasurementIndex {
    let m = this.measurementsByName.get(name);
    if (m === undefined) {
      m = { series: new Set(), tags: new Map(), fields: new Map(), sortedValues: new Map() };
      this.measurementsByName.set(name, m);
    }
    return m;
  }

  private evaluate(m: MeasurementIndex, p: TagPredicate): Set<number> {
    switch (p.kind) {
      case "all":
        return m.series;
      case "none":
        return new Set();
      case "eq":
        return p.value === ""
          ? this.without(m, p.key)
          : m.tags.get(p.key)?.get(p.value) ?? new Set();
      case "neq":
        return difference(m.series, this.evaluate(m, { kind: "eq", key: p.key, value: p.value }));
      case "match":
      case "nmatch": {
        const hits = new Set<number>();
        const values = m.tags.get(p.key);
        for (const [v, ids] of values ?? []) {
          if (test(p.pattern, v)) { for (const id of ids) hits.add(id); }
        }
        if (test(p.pattern, "")) { for (const id of this.without(m, p.key)) hits.add(id); }
        return p.kind === "match" ? hits : difference(m.series, hits);
      }
      case "and": {
        const l = this.evaluate(m, p.left);
        const r = this.evaluate(m, p.right);
        const [small, big] = l.size <= r.size ? [l, r] : [r, l];
        const out = new Set<number>();
        for (const id of small) if (big.has(id)) out.add(id);
        return out;
      }
      case "or": {
        const out = new Set(this.evaluate(m, p.left));
        for (const id of this.evaluate(m, p.right)) out.add(id);
        return out;
      }
    }
  }

  private without(m: MeasurementIndex, key: string): Set<number> {
    const values = m.tags.get(key);
    if (values === undefined) return m.series;
    const having = new Set<number>();
    for (const ids of values.values()) for (const id of ids) having.add(id);
    return difference(m.series, having);
  }
}

function difference(a: Set<number>, b: Set<number>): Set<number> {
  const out = new Set<number>();
  for (const id of a) if (!b.has(id)) out.add(id);
  return out;
}

function test(re: RegExp, s: string): boolean {
  re.lastIndex = 0;
  return re.test(s);
}

/** The KV value of a series record. */
export function seriesRecord(info: SeriesInfo): SeriesRecord {
  const out = [info.measurement, info.key];
  for (const [k, v] of info.tags) out.push(k, v);
  return out;
}

/** A series from its KV record; undefined when the record is malformed. */
export function seriesFromRecord(id: number, r: unknown): SeriesInfo | undefined {
  if (!Array.isArray(r) || r.length < 2 || r.length % 2 !== 0) return undefined;
  if (!r.every((x) => typeof x === "string")) return undefined;
  const tags: Tag[] = [];
  for (let i = 2; i < r.length; i += 2) tags.push([r[i], r[i + 1]]);
  return { id: id as SeriesId, measurement: r[0], key: r[1], tags };
}

/** The KV value of a field record. */
export function fieldRecord(f: FieldInfo): FieldRecord {
  return [f.measurement, f.key, f.type];
}

/** A field from its KV record; undefined when the record is malformed. */
export function fieldFromRecord(id: number, r: unknown): FieldInfo | undefined {
  if (!Array.isArray(r) || r.length !== 3) return undefined;
  const [measurement, key, type] = r;
  if (typeof measurement !== "string" || typeof key !== "string") return undefined;
  if (!["float", "integer", "unsigned", "boolean", "string"].includes(type)) return undefined;
  return { id: id as FieldId, measurement, key, type };
}
