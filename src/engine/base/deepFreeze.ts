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
  return freezeNode(value, intern, undefined) as T;
}

/**
 * deepFreeze with structural sharing: every small subtree (its key at most the sharer's
 * `maxKeyLength`) equal to one seen recently is replaced by that one — the tolerations, the projected
 * service-account volume, `resources`, a condition stamped in the same second — so a hundred thousand
 * decoded pods hold one copy of what they have in common. Returns the frozen graph (possibly a shared
 * object, when the whole value was small and seen before). Readers cannot tell: everything is frozen and
 * equal; only the identity of equal sub-objects changes.
 */
export function freezeShared<T extends object>(value: T, sharer: SubtreeSharer, intern?: (text: string) => string): T {
  if (Object.isFrozen(value)) return value;
  return freezeNode(value, intern, sharer) as T;
}

/** A subtree and its key: undefined when it is not shareable (too wide, or a child is not). */
let lastKey: string | undefined;

/**
 * Freeze `value` bottom-up, interning its strings; with a sharer, return the shared subtree equal to it
 * when there is one. A subtree's key is its entries in order — names and strings length-prefixed
 * (`5:image12"nginx:1.27.3`), other primitives after `=`, children by their own keys in brackets — so
 * equal keys mean equal subtrees. The key of the value returned is left in `lastKey`.
 */
function freezeNode(value: object, intern: ((text: string) => string) | undefined, sharer: SubtreeSharer | undefined): object {
  const limit = sharer ? sharer.maxKeyLength : 0;
  let key: string | undefined = sharer ? (Array.isArray(value) ? '[' : '{') : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === 'string') {
        const text = intern ? intern(item) : item;
        value[i] = text;
        if (key !== undefined) key += text.length + '"' + text;
      } else if (item !== null && typeof item === 'object') {
        if (Object.isFrozen(item)) key = undefined;
        else {
          value[i] = freezeNode(item, intern, sharer);
          if (key !== undefined) key = lastKey === undefined ? undefined : key + lastKey;
        }
      } else if (key !== undefined) key += '=' + String(item) + ',';
      if (key !== undefined && key.length > limit) key = undefined;
    }
  } else {
    const record = value as Record<string, unknown>;
    for (const name in record) {
      const item = record[name];
      if (key !== undefined) key += name.length + ':' + name;
      if (typeof item === 'string') {
        const text = intern ? intern(item) : item;
        record[name] = text;
        if (key !== undefined) key += text.length + '"' + text;
      } else if (item !== null && typeof item === 'object') {
        if (Object.isFrozen(item)) key = undefined;
        else {
          record[name] = freezeNode(item, intern, sharer);
          if (key !== undefined) key = lastKey === undefined ? undefined : key + lastKey;
        }
      } else if (key !== undefined) key += '=' + String(item) + ',';
      if (key !== undefined && key.length > limit) key = undefined;
    }
  }
  Object.freeze(value);
  if (key === undefined) {
    lastKey = undefined;
    return value;
  }
  lastKey = key + (Array.isArray(value) ? ']' : '}');
  return sharer!.share(lastKey, value);
}

/**
 * The table behind freezeShared: key → the first frozen subtree seen with it. Bounded: when full it
 * starts over (subtrees already shared stay shared where they are).
 */
export class SubtreeSharer {
  private table = new Map<string, object>();

  constructor(
    private readonly capacity = 32_768,
    /** Subtrees whose key is longer are left alone (they are rarely repeated whole). */
    readonly maxKeyLength = 320,
  ) {}

  /** How many subtrees the table holds now. */
  get size(): number {
    return this.table.size;
  }

  /** The shared subtree with key `key`; `value` becomes it when there is none. */
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

/**
 * deepCopy — a controller's own copy of an object it read from an informer, to change and send back (Go's
 * DeepCopy). Unlike structuredClone it keeps no aliasing: the watch cache shares equal subtrees within an
 * object (an empty `status` may be the very object of an empty `resources`), and a copy that kept that
 * sharing would write a change to one field into the other. For parsed JSON: plain objects and arrays.
 */
export function deepCopy<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(deepCopy) as T;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = deepCopy((value as Record<string, unknown>)[key]);
  return out as T;
}
