/**
 * deepFreeze — freeze an object graph (parsed JSON: plain objects and arrays) in place and return it.
 * The apiserver's watch cache shares one decoded object per stored version with every in-process
 * reader (informers of every component); freezing makes a reader that writes into it fail loudly at
 * the write (a TypeError in strict-mode code), instead of corrupting what everyone else sees.
 *
 * With an `intern` function, every string value on the way (not keys: the engine interns those) is
 * replaced by the interned one, so the thousands of decoded objects of a big cluster share one copy of
 * "default-scheduler", "IfNotPresent", a node's IP or a second's timestamp.
 */
export function deepFreeze<T>(value: T, intern?: (text: string) => string): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === 'string') {
        if (intern) value[i] = intern(item);
      } else deepFreeze(item, intern);
    }
  } else {
    const record = value as Record<string, unknown>;
    for (const key in record) {
      const item = record[key];
      if (typeof item === 'string') {
        if (intern) record[key] = intern(item);
      } else deepFreeze(item, intern);
    }
  }
  return Object.freeze(value);
}

/**
 * A bounded string interner: equal short strings seen close together come back as one shared string.
 * When full it starts over (strings already handed out stay shared where they are), so it never holds
 * more than `capacity` strings however long the engine runs.
 */
export class StringInterner {
  private table = new Map<string, string>();

  constructor(
    private readonly capacity = 65_536,
    /** Longer strings (certificates, manifests, messages) are rarely repeated: not worth a lookup. */
    private readonly maxLength = 96,
  ) {}

  /** How many strings the table holds now. */
  get size(): number {
    return this.table.size;
  }

  readonly intern = (text: string): string => {
    if (text.length > this.maxLength) return text;
    const known = this.table.get(text);
    if (known !== undefined) return known;
    if (this.table.size >= this.capacity) this.table = new Map();
    this.table.set(text, text);
    return text;
  };
}
