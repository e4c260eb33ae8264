/**
 * awk's associative arrays laid out as mawk 1.3.4 lays them out (array.w), so that `for (k in a)` visits
 * keys in the order mawk does: a split() result is a plain vector; other arrays are a hash table of
 * 64·2^n lists, each node on an integer list (keys that are integral doubles) and/or a string list
 * (keys hashed with FNV-1), a found node moves to the front of its list, and the table doubles when it
 * averages more than 12 nodes a list. A loop walks the string lists in table order over a snapshot of
 * the keys (adding string keys for integer-only nodes first). Keys are byte strings.
 */
import { dToI, numToStr, UNINIT, type Value } from './value.ts';

interface Node {
  slink: Node | undefined;
  ilink: Node | undefined;
  sval: string | undefined;
  hval: number;
  ival: number;
  cell: Value;
}

interface Link {
  slink: Node | undefined;
  ilink: Node | undefined;
}

const NOT_AN_IVALUE = -2147483648;
const STARTING_HMASK = 63;
const MAX_AVE_LIST_LENGTH = 12;
const hmaskToLimit = (x: number) => (x + 1) * MAX_AVE_LIST_LENGTH;

const AY_NULL = 0;
const AY_INT = 1;
const AY_STR = 2;
const AY_SPLIT = 4;

/** FNV-1 over the key's bytes (mawk's hash2). */
function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0;
  return h;
}

export class AwkArray {
  private type = AY_NULL;
  private size = 0;
  private limit = 0;
  private hmask = 0;
  private table: Link[] = [];
  private split: Value[] = [];

  get length(): number {
    return this.size;
  }

  /** The element for `key` (a number or a byte string); referring to an element creates it, as in awk. */
  get(key: Value, convfmt: string): Value {
    const node = this.find(key, convfmt, true)!;
    return 'cell' in node ? node.cell : node.value;
  }

  set(key: Value, convfmt: string, value: Value): void {
    const node = this.find(key, convfmt, true)!;
    if ('cell' in node) node.cell = value;
    else this.split[node.index] = value;
  }

  /** `key in a`: tests without creating (but, as in mawk, moves a found node to the front). */
  has(key: Value, convfmt: string): boolean {
    return this.find(key, convfmt, false) !== undefined;
  }

  private find(key: Value, convfmt: string, create: boolean): Node | { index: number; value: Value } | undefined {
    if (this.size === 0 && !create) return undefined;
    if (typeof key === 'number') {
      const ival = dToI(key);
      if (ival === key) {
        if (this.type === AY_SPLIT) {
          if (ival >= 1 && ival <= this.size) return { index: ival - 1, value: this.split[ival - 1]! };
          if (!create) return undefined;
          this.convertSplitToTable();
        } else if (this.type === AY_NULL) this.makeEmptyTable(AY_INT);
        return this.findByIval(ival, create);
      }
      return this.findBySval(numToStr(key, convfmt), create);
    }
    return this.findBySval(key === UNINIT ? '' : typeof key === 'string' ? key : key.str, create);
  }

  delete(key: Value, convfmt: string): void {
    if (this.size === 0) return;
    let node: Node | undefined;
    if (typeof key === 'number' && dToI(key) === key) {
      const ival = key;
      if (this.type === AY_SPLIT) {
        if (ival >= 1 && ival <= this.size) this.convertSplitToTable();
        else return;
      }
      node = this.findByIval(ival, false);
      if (!node) return;
      const table = this.table;
      table[(ival >>> 0) & this.hmask]!.ilink = node.ilink;
      if (node.sval !== undefined) this.unlinkS(node);
    } else {
      const s = typeof key === 'number' ? numToStr(key, convfmt) : key === UNINIT ? '' : typeof key === 'string' ? key : key.str;
      node = this.findBySval(s, false);
      if (!node) return;
      this.table[node.hval & this.hmask]!.slink = node.slink;
      if (node.ival !== NOT_AN_IVALUE) this.unlinkI(node);
    }
    if (--this.size === 0) this.clear();
  }

  private unlinkS(node: Node): void {
    const link = this.table[node.hval & this.hmask]!;
    let p = link.slink;
    let q: Node | undefined;
    while (p !== node && p) {
      q = p;
      p = p.slink;
    }
    if (q) q.slink = node.slink;
    else link.slink = node.slink;
  }

  private unlinkI(node: Node): void {
    const link = this.table[(node.ival >>> 0) & this.hmask]!;
    let p = link.ilink;
    let q: Node | undefined;
    while (p !== node && p) {
      q = p;
      p = p.ilink;
    }
    if (q) q.ilink = node.ilink;
    else link.ilink = node.ilink;
  }

  clear(): void {
    this.type = AY_NULL;
    this.size = 0;
    this.limit = 0;
    this.hmask = 0;
    this.table = [];
    this.split = [];
  }

  /** split()'s result: elements 1..n. */
  load(values: Value[]): void {
    this.clear();
    this.type = AY_SPLIT;
    this.split = values;
    this.size = values.length;
  }

  /** The keys a `for (k in a)` loop visits, in mawk's order. */
  keys(): string[] {
    if (this.size === 0) return [];
    if (!(this.type & AY_STR)) this.addStringAssociations();
    const out: string[] = [];
    for (let i = 0; i <= this.hmask; i++) {
      for (let p = this.table[i]!.slink; p; p = p.slink) out.push(p.sval!);
    }
    return out;
  }

  private findByIval(ival: number, create: boolean): Node | undefined {
    let indx = (ival >>> 0) & this.hmask;
    let p = this.table[indx]!.ilink;
    let q: Node | undefined;
    for (;;) {
      if (!p) {
        if (this.type & AY_STR) {
          p = this.findBySval(String(ival), create);
          if (!p) return undefined;
          indx = (ival >>> 0) & this.hmask;
        } else if (create) {
          p = { slink: undefined, ilink: undefined, sval: undefined, hval: 0, ival, cell: UNINIT };
          if (++this.size > this.limit) {
            this.doubleTheHashTable();
            indx = (ival >>> 0) & this.hmask;
          }
        } else return undefined;
        p.ival = ival;
        this.type |= AY_INT;
        break;
      } else if (p.ival === ival) {
        if (!q) return p;
        q.ilink = p.ilink;
        break;
      }
      q = p;
      p = p.ilink;
    }
    const link = this.table[indx]!;
    p.ilink = link.ilink;
    link.ilink = p;
    return p;
  }

  private findBySval(sval: string, create: boolean): Node | undefined {
    const hval = hash(sval);
    if (!(this.type & AY_STR)) this.addStringAssociations();
    let indx = hval & this.hmask;
    let p = this.table[indx]!.slink;
    let q: Node | undefined;
    for (;;) {
      if (!p) {
        if (!create) return undefined;
        p = { slink: undefined, ilink: undefined, sval, hval, ival: NOT_AN_IVALUE, cell: UNINIT };
        if (++this.size > this.limit) {
          this.doubleTheHashTable();
          indx = hval & this.hmask;
        }
        break;
      } else if (p.hval === hval && p.sval === sval) {
        if (!q) return p;
        q.slink = p.slink;
        break;
      }
      q = p;
      p = p.slink;
    }
    const link = this.table[indx]!;
    p.slink = link.slink;
    link.slink = p;
    return p;
  }

  private addStringAssociations(): void {
    if (this.type === AY_NULL) {
      this.makeEmptyTable(AY_STR);
      return;
    }
    if (this.type === AY_SPLIT) this.convertSplitToTable();
    for (let i = 0; i <= this.hmask; i++) {
      for (let p = this.table[i]!.ilink; p; p = p.ilink) {
        p.sval = String(p.ival);
        p.hval = hash(p.sval);
        const link = this.table[this.hmask & p.hval]!;
        p.slink = link.slink;
        link.slink = p;
      }
    }
    this.type |= AY_STR;
  }

  private newTable(hmask: number): Link[] {
    return Array.from({ length: hmask + 1 }, () => ({ slink: undefined, ilink: undefined }));
  }

  private makeEmptyTable(type: number): void {
    this.type = type;
    this.hmask = STARTING_HMASK;
    this.limit = hmaskToLimit(STARTING_HMASK);
    this.table = this.newTable(this.hmask);
  }

  private convertSplitToTable(): void {
    const cells = this.split;
    this.split = [];
    this.hmask = STARTING_HMASK;
    this.limit = hmaskToLimit(STARTING_HMASK);
    while (this.size > this.limit) {
      this.hmask = this.hmask * 2 + 1;
      this.limit = hmaskToLimit(this.hmask);
    }
    this.table = this.newTable(this.hmask);
    for (let i = 0, j = 1; i < this.size; i++) {
      const link = this.table[j]!;
      link.ilink = { slink: undefined, ilink: link.ilink, sval: undefined, hval: 0, ival: i + 1, cell: cells[i]! };
      j = (j + 1) & this.hmask;
    }
    this.type = AY_INT;
  }

  private doubleTheHashTable(): void {
    const oldHmask = this.hmask;
    const newHmask = oldHmask * 2 + 1;
    this.table.push(...this.newTable(oldHmask));
    const table = this.table;
    const move = (list: 'slink' | 'ilink', key: (p: Node) => number) => {
      for (let i = 0, j = oldHmask + 1; i <= oldHmask; i++, j++) {
        let keep: Node | undefined;
        let keepTail: Node | undefined;
        let moved: Node | undefined;
        let movedTail: Node | undefined;
        for (let p = table[i]![list]; p; p = p[list]) {
          if ((key(p) & newHmask) !== i) {
            if (movedTail) movedTail[list] = p;
            else moved = p;
            movedTail = p;
          } else {
            if (keepTail) keepTail[list] = p;
            else keep = p;
            keepTail = p;
          }
        }
        if (keepTail) keepTail[list] = undefined;
        if (movedTail) movedTail[list] = undefined;
        table[i]![list] = keep;
        table[j]![list] = moved;
      }
    };
    if (this.type & AY_STR) move('slink', (p) => p.hval);
    if (this.type & AY_INT) move('ilink', (p) => p.ival >>> 0);
    this.hmask = newHmask;
    this.limit = hmaskToLimit(newHmask);
  }
}
