import { celMap, type CelInput } from '@bufbuild/cel';
import { isObject, type JsonObject, type JsonValue, type Path } from '../json';
import { celInputOf } from './values';

/**
 * Collects the paths of the reviewed object that CEL reads, so that a violation can be placed on the field its
 * validation read (as the Rego evaluator records the reads of a derivation).
 */
export class ReadRecorder {
  private reads: Path[] = [];

  /** Notes a read by the evaluation in progress. */
  readonly record = (path: Path): void => {
    this.reads.push(path);
  };

  /** Runs `evaluate`, returning its result and the reads it made, apart from those of any evaluation around it. */
  collect<T>(evaluate: () => T): { result: T; reads: Path[] } {
    const outer = this.reads;
    const reads: Path[] = [];
    this.reads = reads;
    try {
      return { result: evaluate(), reads };
    } finally {
      this.reads = outer;
    }
  }

  /** Counts reads made earlier (by a variable computed once and read again) as reads of the evaluation in progress. */
  replay(reads: readonly Path[]): void {
    for (const read of reads) this.reads.push(read);
  }
}

/**
 * `value`, found at `path` of the reviewed object, as celInputOf converts it, except that each field CEL selects,
 * looks up or tests with `has()` or `in` (present or missing) is recorded as read. Objects are converted as they are
 * read; a list's items only carry their paths, so iterating a list records the items whose fields are read.
 */
export function recordingCelInputOf(value: JsonValue, path: Path, record: (path: Path) => void): CelInput {
  if (Array.isArray(value)) return value.map((item, index) => recordingCelInputOf(item, [...path, index], record));
  if (isObject(value)) return celMap(new RecordingMap(value, path, record));
  return celInputOf(value);
}

/** A JSON object as a map for CEL, recording the keys looked up in it (CEL's `has()` and `in` look up too). */
class RecordingMap implements ReadonlyMap<string, CelInput> {
  constructor(
    private readonly fields: JsonObject,
    private readonly path: Path,
    private readonly record: (path: Path) => void,
  ) {}

  /** CEL also looks up int, uint and bool keys, which a JSON object does not have. */
  get(key: unknown): CelInput | undefined {
    if (typeof key !== 'string') return undefined;
    const path = [...this.path, key];
    this.record(path);
    return Object.hasOwn(this.fields, key) ? recordingCelInputOf(this.fields[key], path, this.record) : undefined;
  }

  has(key: unknown): boolean {
    return this.get(key) !== undefined;
  }

  get size(): number {
    return Object.keys(this.fields).length;
  }

  *keys(): MapIterator<string> {
    yield* Object.keys(this.fields);
  }

  *values(): MapIterator<CelInput> {
    for (const [, value] of this.entries()) yield value;
  }

  *entries(): MapIterator<[string, CelInput]> {
    for (const [key, value] of Object.entries(this.fields)) yield [key, recordingCelInputOf(value, [...this.path, key], this.record)];
  }

  [Symbol.iterator](): MapIterator<[string, CelInput]> {
    return this.entries();
  }

  forEach(callback: (value: CelInput, key: string, map: ReadonlyMap<string, CelInput>) => void): void {
    for (const [key, value] of this.entries()) callback(value, key, this);
  }
}
