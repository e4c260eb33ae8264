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
  return freezeNode(value, intern, undefined)[0] as T;
}

/**
 * deepFreeze with structural sharing: every small subtree (its canonical text at most the sharer's
 * `maxKeyLength`) equal to one seen recently is replaced by that one — the tolerations, the projected
 * service-account volume, `resources`, a condition stamped in the same second — so a hundred thousand
 * decoded pods hold one copy of what they have in common. Returns the frozen graph (possibly a shared
 * object, when the whole value was small and seen before). Readers cannot tell: everything is frozen and
 * equal; only the identity of equal sub-objects changes.
 */
export function freezeShared<T extends object>(value: T, sharer: SubtreeSharer, intern?: (text: string) => string): T {
  if (Object.isFrozen(value)) return value;
  return freezeNode(value, intern, sharer)[0] as T;
}

/** Freeze `value` bottom-up; with a sharer, also its canonical text (undefined once too long or not shareable). */
function freezeNode(value: object, intern: ((text: string) => string) | undefined, sharer: SubtreeSharer | undefined): [object, string | undefined] {
  const limit = sharer?.maxKeyLength ?? 0;
  let key: string | undefined = sharer ? (Array.isArray(value) ? '[' : '{') : undefined;
  const visit = (item: unknown): unknown => {
    if (typeof item === 'string') {
      const text = intern ? intern(item) : item;
      if (key !== undefined) key = key.length > limit ? undefined : key + JSON.stringify(text);
      return text;
    }
    if (item !== null && typeof item === 'object') {
      if (Object.isFrozen(item)) {
        key = undefined;
        return item;
      }
      const [child, childKey] = freezeNode(item, intern, sharer);
      key = key === undefined || childKey === undefined ? undefined : key + childKey;
      return child;
    }
    if (key !== undefined) key += String(item);
    return item;
  };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      value[i] = visit(value[i]);
      if (key !== undefined) key += ',';
    }
  } else {
    const record = value as Record<string, unknown>;
    for (const name in record) {
      if (key !== undefined) key += JSON.stringify(name) + ':';
      record[name] = visit(record[name]);
      if (key !== undefined) key += ',';
    }
  }
  Object.freeze(value);
  if (!sharer || key === undefined || key.length > limit) return [value, undefined];
  return [sharer.share(key, value), key];
}

/**
 * The table behind freezeShared: canonical text → the first frozen subtree seen with it. Bounded: when
 * full it starts over (subtrees already shared stay shared where they are).
 */
export class SubtreeSharer {
  private table = new Map<string, object>();

  constructor(
    private readonly capacity = 32_768,
    /** Subtrees whose canonical text is longer are left alone (they are rarely repeated whole). */
    readonly maxKeyLength = 320,
  ) {}

  /** How many subtrees the table holds now. */
  get size(): number {
    return this.table.size;
  }

  /** The shared subtree equal to `value` (canonical text `key`), which becomes it when there is none. */
  share<T extends object>(key: string, value: T): T {
    const known = this.table.get(key);
    if (known !== undefined) return known as T;
    if (this.table.size >= this.capacity) this.table = new Map();
    this.table.set(key, value);
    return value;
  }
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

/**
 * The engine's shared interner: the watch cache's decoded objects and fields, and the informers' keys,
 * so that N components holding the same object's key or values hold one string.
 */
export const SHARED_INTERNER = new StringInterner();

/** The engine's shared subtree table, beside SHARED_INTERNER: the watch cache's decoded objects share through it. */
export const SHARED_SUBTREES = new SubtreeSharer();
