/**
 * A binary heap keyed by string (pkg/scheduler/backend/heap): items can be found, updated and deleted by
 * key in O(log n). `less(a, b)` is true when a comes out before b.
 */
export class Heap<T> {
  private readonly items: T[] = [];
  private readonly index = new Map<string, number>();

  constructor(
    private readonly keyOf: (item: T) => string,
    private readonly less: (a: T, b: T) => boolean,
  ) {}

  get length(): number {
    return this.items.length;
  }

  has(key: string): boolean {
    return this.index.has(key);
  }

  get(key: string): T | undefined {
    const i = this.index.get(key);
    return i === undefined ? undefined : this.items[i];
  }

  peek(): T | undefined {
    return this.items[0];
  }

  /** Add, or replace the item with the same key and restore the order. */
  addOrUpdate(item: T): void {
    const key = this.keyOf(item);
    const i = this.index.get(key);
    if (i !== undefined) {
      this.items[i] = item;
      this.fix(i);
      return;
    }
    this.items.push(item);
    this.index.set(key, this.items.length - 1);
    this.up(this.items.length - 1);
  }

  delete(key: string): T | undefined {
    const i = this.index.get(key);
    if (i === undefined) return undefined;
    const item = this.items[i]!;
    this.removeAt(i);
    return item;
  }

  pop(): T | undefined {
    if (this.items.length === 0) return undefined;
    const item = this.items[0]!;
    this.removeAt(0);
    return item;
  }

  list(): T[] {
    return this.items.slice();
  }

  private removeAt(i: number): void {
    this.index.delete(this.keyOf(this.items[i]!));
    const last = this.items.pop()!;
    if (i === this.items.length) return;
    this.items[i] = last;
    this.index.set(this.keyOf(last), i);
    this.fix(i);
  }

  private fix(i: number): void {
    if (!this.down(i)) this.up(i);
  }

  private up(i: number): void {
    const items = this.items;
    const item = items[i]!;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent]!;
      if (!this.less(item, p)) break;
      items[i] = p;
      this.index.set(this.keyOf(p), i);
      i = parent;
    }
    items[i] = item;
    this.index.set(this.keyOf(item), i);
  }

  /** Sift down; true when the item moved. */
  private down(i0: number): boolean {
    const items = this.items;
    const n = items.length;
    const item = items[i0]!;
    let i = i0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const child = r < n && this.less(items[r]!, items[l]!) ? r : l;
      if (!this.less(items[child]!, item)) break;
      items[i] = items[child]!;
      this.index.set(this.keyOf(items[i]!), i);
      i = child;
    }
    items[i] = item;
    this.index.set(this.keyOf(item), i);
    return i > i0;
  }
}
