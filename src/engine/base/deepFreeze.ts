/**
 * deepFreeze — freeze an object graph (parsed JSON: plain objects and arrays) in place and return it.
 * The apiserver's watch cache shares one decoded object per stored version with every in-process
 * reader (informers of every component); freezing makes a reader that writes into it fail loudly at
 * the write (a TypeError in strict-mode code), instead of corrupting what everyone else sees.
 */
export function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  Object.freeze(value);
  if (Array.isArray(value)) {
    for (const item of value) deepFreeze(item);
  } else {
    for (const key in value) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
