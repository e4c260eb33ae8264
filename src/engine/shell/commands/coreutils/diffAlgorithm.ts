/**
 * GNU diff's analysis (diffutils 3.8: io.c, analyze.c, and gnulib's diffseq.h), in the C locale: which
 * lines of two texts were deleted and inserted, chosen exactly as GNU diff chooses them, so that hunks
 * match the real tool's for the same inputs.
 *
 * The steps are GNU's: find_identical_ends trims the common prefix and suffix (keeping `horizonLines`
 * of each, so boundaries can still shift); find_and_hash_each_line puts lines into equivalence classes
 * under -i, -E, -Z, -b, -w (an incomplete last line matches only the other file's incomplete line);
 * discard_confusing_lines sets aside lines that match nothing in the other file (unless `minimal`);
 * compareseq/diag find a shortest edit script (Myers' O(ND) middle-snake search, with the
 * too-expensive cut-off); shift_boundaries slides runs of changes to merge them and to end them as late
 * as possible; build_script turns the flags into changes.
 *
 * Contract: `compareTexts(a, b, options)` never throws; `changes` are in file order, with 0-based line
 * indices into `a.lines`/`b.lines`. `analyzeHunk` is analyze_hunk: a hunk's line range and whether it
 * deletes, inserts or both, honouring -B (ignore changes of blank lines only).
 *
 * Left out: the --speed-large-files heuristic and -I (ignore lines matching a regexp); multibyte
 * characters (the lab's shells run in the C locale).
 */

/** GNU's ignore_white_space levels, in its order (each includes what the smaller ones ignore but tabs). */
export type WhiteSpace = 'none' | 'tab-expansion' | 'trailing' | 'tab-expansion-trailing' | 'space-change' | 'all';

const WHITE_SPACE_LEVEL: Readonly<Record<WhiteSpace, number>> = {
  none: 0,
  'tab-expansion': 1,
  trailing: 2,
  'tab-expansion-trailing': 3,
  'space-change': 4,
  all: 5,
};

export interface CompareOptions {
  /** -i */
  ignoreCase?: boolean;
  /** -E, -Z, -b, -w */
  whiteSpace?: WhiteSpace;
  /** -B: a hunk whose changed lines are all blank is no difference. */
  ignoreBlankLines?: boolean;
  /** -d: skip discard_confusing_lines and the too-expensive cut-off. */
  minimal?: boolean;
  /** Lines of the common prefix and suffix kept for the analysis (GNU: at least the context). */
  horizonLines?: number;
}

export interface FileLines {
  /** The lines, without their newlines. */
  readonly lines: readonly string[];
  /** The last line has no newline. */
  readonly missingNewline: boolean;
}

/** Lines `line0…line0+deleted-1` of a became `line1…line1+inserted-1` of b (0-based). */
export interface Change {
  readonly line0: number;
  readonly line1: number;
  readonly deleted: number;
  readonly inserted: number;
}

export interface Comparison {
  readonly a: FileLines;
  readonly b: FileLines;
  readonly changes: readonly Change[];
}

/** What a hunk changes: GNU's enum changes (UNCHANGED, OLD, NEW, CHANGED). */
export type HunkKind = 'unchanged' | 'old' | 'new' | 'changed';

export interface HunkRange {
  kind: HunkKind;
  first0: number;
  last0: number;
  first1: number;
  last1: number;
}

/** SNAKE_LIMIT is unused without the --speed-large-files heuristic; OFFSET_MAX stands for "unreached". */
const OFFSET_MAX = 0x7fffffff;

/** C's isspace() in the C locale, without the newline that ends a line. */
function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\v' || c === '\f' || c === '\r';
}

function floorLog2(n: number): number {
  return 31 - Math.clz32(n);
}

/** The text as GNU's prepare_text leaves it: ending in a newline, and whether one had to be added. */
function prepare(text: string): { buffer: string; missingNewline: boolean } {
  if (text !== '' && !text.endsWith('\n')) return { buffer: `${text}\n`, missingNewline: true };
  return { buffer: text, missingNewline: false };
}

/** Split a buffer ending in "\n" (or empty) into lines without their newlines. */
function splitLines(buffer: string): string[] {
  if (buffer === '') return [];
  return buffer.slice(0, -1).split('\n');
}

function countNewlines(s: string, end: number): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0 && i < end; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * find_identical_ends: the character offsets where the analysed middle of each buffer begins (after the
 * identical prefix, less `horizon` lines) and ends (before the identical suffix, less `horizon` lines and
 * one more for shift_boundaries).
 */
function identicalEnds(b0: string, m0: boolean, b1: string, m1: boolean, horizon: number): { prefixEnd: number; suffix0: number; suffix1: number } {
  const n0 = b0.length;
  const n1 = b1.length;
  let p = 0;
  const limit = Math.min(n0, n1);
  while (p < limit && b0[p] === b1[p]) p++;
  // Don't mistakenly count the added newline as part of the prefix.
  if ((n0 - (m0 ? 1 : 0) < p) !== (n1 - (m1 ? 1 : 0) < p)) p--;
  let hor = horizon;
  while (p !== 0 && (b0[p - 1] !== '\n' || hor-- > 0)) p--;
  const prefixEnd = p;

  let p0 = n0;
  let p1 = n1;
  if (m0 === m1) {
    const end0 = n0;
    let beg0 = prefixEnd + (n0 < n1 ? 0 : n0 - n1);
    while (p0 !== beg0) {
      if (b0[--p0] !== b1[--p1]) {
        ++p0;
        ++p1;
        beg0 = p0;
        break;
      }
    }
    const atLineBeginning = (p0 === 0 || b0[p0 - 1] === '\n') && (p1 === 0 || b1[p1 - 1] === '\n');
    let i = horizon + (atLineBeginning ? 0 : 1);
    while (i-- > 0 && p0 !== end0) {
      while (b0[p0++] !== '\n') continue;
    }
    p1 += p0 - beg0;
  }
  return { prefixEnd, suffix0: p0, suffix1: p1 };
}

/** The equivalence-class key of a line under the options (lines_differ's notion of "the same"). */
function lineKey(line: string, level: number, ignoreCase: boolean): string {
  let s = line;
  if (level === WHITE_SPACE_LEVEL.all) {
    let out = '';
    for (const c of s) if (!isSpace(c)) out += c;
    s = out;
  } else if (level === WHITE_SPACE_LEVEL['space-change']) {
    let out = '';
    for (let i = 0; i < s.length; i++) {
      const c = s[i]!;
      if (!isSpace(c)) {
        out += c;
        continue;
      }
      while (i + 1 < s.length && isSpace(s[i + 1]!)) i++;
      if (i + 1 < s.length) out += ' ';
    }
    s = out;
  } else if (level > 0) {
    if (level & WHITE_SPACE_LEVEL.trailing) {
      let end = s.length;
      while (end > 0 && isSpace(s[end - 1]!)) end--;
      s = s.slice(0, end);
    }
    if (level & WHITE_SPACE_LEVEL['tab-expansion']) s = expandTabs(s);
  }
  return ignoreCase ? s.replace(/[A-Z]/g, (c) => c.toLowerCase()) : s;
}

/** Tabs as the spaces they stand for (tab stops every 8 columns; \r returns, \b backs up). */
function expandTabs(s: string): string {
  let out = '';
  let column = 0;
  for (const c of s) {
    if (c === '\t') {
      const n = 8 - (column % 8);
      out += ' '.repeat(n);
      column += n;
    } else {
      out += c;
      if (c === '\r') column = 0;
      else if (c === '\b') column = Math.max(0, column - 1);
      else if (c >= ' ') column++;
    }
  }
  return out;
}

interface Side {
  /** Equivalence class of each middle line. */
  equivs: number[];
  /** changed[i + 1] for middle line i; changed[0] and changed[length + 1] stay 0. */
  changed: Uint8Array;
  length: number;
  /** The lines left for compareseq (undiscarded) and their indices among the middle lines. */
  undiscarded: number[];
  realIndexes: number[];
}

/** discard_confusing_lines: lines matching nothing in the other file are changes outright. */
function discardConfusingLines(sides: [Side, Side], equivMax: number, minimal: boolean): void {
  const counts = [new Int32Array(equivMax), new Int32Array(equivMax)];
  for (let f = 0; f < 2; f++) for (const e of sides[f]!.equivs) counts[f]![e]!++;
  const discarded = [new Uint8Array(sides[0].length), new Uint8Array(sides[1].length)];
  for (let f = 0; f < 2; f++) {
    const end = sides[f]!.length;
    const discards = discarded[f]!;
    const other = counts[1 - f]!;
    const equivs = sides[f]!.equivs;
    const many = 5 << (end < 64 ? 0 : (floorLog2(end) >> 1) - 3);
    for (let i = 0; i < end; i++) {
      const e = equivs[i]!;
      if (e === 0) continue;
      const nmatch = other[e]!;
      if (nmatch === 0) discards[i] = 1;
      else if (nmatch > many) discards[i] = 2;
    }
  }
  for (let f = 0; f < 2; f++) {
    const end = sides[f]!.length;
    const discards = discarded[f]!;
    for (let i = 0; i < end; i++) {
      if (discards[i] === 2) discards[i] = 0;
      else if (discards[i] !== 0) {
        let provisional = 0;
        let j: number;
        for (j = i; j < end; j++) {
          if (discards[j] === 0) break;
          if (discards[j] === 2) ++provisional;
        }
        while (j > i && discards[j - 1] === 2) {
          discards[--j] = 0;
          --provisional;
        }
        const length = j - i;
        if (length >> 2 < provisional) {
          while (j > i) if (discards[--j] === 2) discards[j] = 0;
        } else {
          const minimum = length < 4 ? 2 : (1 << ((floorLog2(length) >> 1) - 1)) + 1;
          let consec = 0;
          for (j = 0; j < length; j++) {
            if (discards[i + j] !== 2) consec = 0;
            else if (minimum === ++consec) j -= consec;
            else if (minimum < consec) discards[i + j] = 0;
          }
          for (j = 0, consec = 0; j < length; j++) {
            if (j >= 8 && discards[i + j] === 1) break;
            if (discards[i + j] === 2) {
              consec = 0;
              discards[i + j] = 0;
            } else if (discards[i + j] === 0) consec = 0;
            else consec++;
            if (consec === 3) break;
          }
          i += length - 1;
          for (j = 0, consec = 0; j < length; j++) {
            if (j >= 8 && discards[i - j] === 1) break;
            if (discards[i - j] === 2) {
              consec = 0;
              discards[i - j] = 0;
            } else if (discards[i - j] === 0) consec = 0;
            else consec++;
            if (consec === 3) break;
          }
        }
      }
    }
  }
  for (let f = 0; f < 2; f++) {
    const side = sides[f]!;
    const discards = discarded[f]!;
    for (let i = 0; i < side.length; i++) {
      if (minimal || discards[i] === 0) {
        side.undiscarded.push(side.equivs[i]!);
        side.realIndexes.push(i);
      } else side.changed[i + 1] = 1;
    }
  }
}

interface Partition {
  xmid: number;
  ymid: number;
  loMinimal: boolean;
  hiMinimal: boolean;
}

/** diffseq.h's context: the vectors, the diagonal tables, and where results go. */
class Context {
  readonly fd: Int32Array;
  readonly bd: Int32Array;
  readonly offset: number;

  constructor(
    readonly xv: readonly number[],
    readonly yv: readonly number[],
    readonly tooExpensive: number,
    readonly noteDelete: (x: number) => void,
    readonly noteInsert: (y: number) => void,
  ) {
    const diags = xv.length + yv.length + 3;
    this.fd = new Int32Array(diags);
    this.bd = new Int32Array(diags);
    this.offset = yv.length + 1;
  }

  /** diag(): the midpoint of a shortest edit script of xv[xoff,xlim) and yv[yoff,ylim). */
  diag(xoff: number, xlim: number, yoff: number, ylim: number, findMinimal: boolean): Partition {
    const { fd, bd, xv, yv, offset: o } = this;
    const dmin = xoff - ylim;
    const dmax = xlim - yoff;
    const fmid = xoff - yoff;
    const bmid = xlim - ylim;
    let fmin = fmid;
    let fmax = fmid;
    let bmin = bmid;
    let bmax = bmid;
    const odd = ((fmid - bmid) & 1) !== 0;
    fd[fmid + o] = xoff;
    bd[bmid + o] = xlim;
    for (let c = 1; ; ++c) {
      if (fmin > dmin) fd[--fmin - 1 + o] = -1;
      else ++fmin;
      if (fmax < dmax) fd[++fmax + 1 + o] = -1;
      else --fmax;
      for (let d = fmax; d >= fmin; d -= 2) {
        const tlo = fd[d - 1 + o]!;
        const thi = fd[d + 1 + o]!;
        const x0 = tlo < thi ? thi : tlo + 1;
        let x = x0;
        let y = x0 - d;
        while (x < xlim && y < ylim && xv[x] === yv[y]) {
          x++;
          y++;
        }
        fd[d + o] = x;
        if (odd && bmin <= d && d <= bmax && bd[d + o]! <= x) return { xmid: x, ymid: y, loMinimal: true, hiMinimal: true };
      }
      if (bmin > dmin) bd[--bmin - 1 + o] = OFFSET_MAX;
      else ++bmin;
      if (bmax < dmax) bd[++bmax + 1 + o] = OFFSET_MAX;
      else --bmax;
      for (let d = bmax; d >= bmin; d -= 2) {
        const tlo = bd[d - 1 + o]!;
        const thi = bd[d + 1 + o]!;
        const x0 = tlo < thi ? tlo : thi - 1;
        let x = x0;
        let y = x0 - d;
        while (xoff < x && yoff < y && xv[x - 1] === yv[y - 1]) {
          x--;
          y--;
        }
        bd[d + o] = x;
        if (!odd && fmin <= d && d <= fmax && x <= fd[d + o]!) return { xmid: x, ymid: y, loMinimal: true, hiMinimal: true };
      }
      if (findMinimal) continue;
      // Heuristic: if we've gone well beyond the call of duty, give up and report halfway between our
      // best results so far.
      if (c >= this.tooExpensive) {
        let fxybest = -1;
        let fxbest = 0;
        for (let d = fmax; d >= fmin; d -= 2) {
          let x = Math.min(fd[d + o]!, xlim);
          let y = x - d;
          if (ylim < y) {
            x = ylim + d;
            y = ylim;
          }
          if (fxybest < x + y) {
            fxybest = x + y;
            fxbest = x;
          }
        }
        let bxybest = OFFSET_MAX;
        let bxbest = 0;
        for (let d = bmax; d >= bmin; d -= 2) {
          let x = Math.max(xoff, bd[d + o]!);
          let y = x - d;
          if (y < yoff) {
            x = yoff + d;
            y = yoff;
          }
          if (x + y < bxybest) {
            bxybest = x + y;
            bxbest = x;
          }
        }
        if (xlim + ylim - bxybest < fxybest - (xoff + yoff)) return { xmid: fxbest, ymid: fxybest - fxbest, loMinimal: true, hiMinimal: false };
        return { xmid: bxbest, ymid: bxybest - bxbest, loMinimal: false, hiMinimal: true };
      }
    }
  }

  /** compareseq(): note every deletion and insertion between xv[xoff,xlim) and yv[yoff,ylim). */
  compareseq(xoffIn: number, xlimIn: number, yoffIn: number, ylimIn: number, findMinimal: boolean): void {
    let xoff = xoffIn;
    let xlim = xlimIn;
    let yoff = yoffIn;
    let ylim = ylimIn;
    const { xv, yv } = this;
    while (xoff < xlim && yoff < ylim && xv[xoff] === yv[yoff]) {
      xoff++;
      yoff++;
    }
    while (xoff < xlim && yoff < ylim && xv[xlim - 1] === yv[ylim - 1]) {
      xlim--;
      ylim--;
    }
    if (xoff === xlim) {
      while (yoff < ylim) this.noteInsert(yoff++);
    } else if (yoff === ylim) {
      while (xoff < xlim) this.noteDelete(xoff++);
    } else {
      const part = this.diag(xoff, xlim, yoff, ylim, findMinimal);
      this.compareseq(xoff, part.xmid, yoff, part.ymid, part.loMinimal);
      this.compareseq(part.xmid, xlim, part.ymid, ylim, part.hiMinimal);
    }
  }
}

/**
 * shift_boundaries: slide each run of changes back while the line before it equals its last line (to
 * merge with earlier runs), then forward as far as it goes (to merge with later ones, or to end late),
 * and finally back again to line up with a run of changes in the other file when it can.
 */
function shiftBoundaries(sides: [Side, Side]): void {
  for (let f = 0; f < 2; f++) {
    const changed = sides[f]!.changed;
    const other = sides[1 - f]!.changed;
    const equivs = sides[f]!.equivs;
    const iEnd = sides[f]!.length;
    // changed[k + 1] is line k's flag: these read and write GNU's changed[k].
    const ch = (k: number) => changed[k + 1] === 1;
    const oc = (k: number) => other[k + 1] === 1;
    let i = 0;
    let j = 0;
    for (;;) {
      while (i < iEnd && !ch(i)) {
        while (oc(j++)) continue;
        i++;
      }
      if (i === iEnd) break;
      let start = i;
      while (ch(++i)) continue;
      while (oc(j)) j++;
      let runlength: number;
      let corresponding: number;
      do {
        runlength = i - start;
        while (start !== 0 && equivs[start - 1] === equivs[i - 1]) {
          changed[--start + 1] = 1;
          changed[--i + 1] = 0;
          while (ch(start - 1)) start--;
          while (oc(--j)) continue;
        }
        corresponding = oc(j - 1) ? i : iEnd;
        while (i !== iEnd && equivs[start] === equivs[i]) {
          changed[start++ + 1] = 0;
          changed[i++ + 1] = 1;
          while (ch(i)) i++;
          while (oc(++j)) corresponding = i;
        }
      } while (runlength !== i - start);
      while (corresponding < i) {
        changed[--start + 1] = 1;
        changed[--i + 1] = 0;
        while (oc(--j)) continue;
      }
    }
  }
}

/** Compare two texts as GNU diff does. */
export function compareTexts(text0: string, text1: string, options: CompareOptions = {}): Comparison {
  const f0 = prepare(text0);
  const f1 = prepare(text1);
  const a: FileLines = { lines: splitLines(f0.buffer), missingNewline: f0.missingNewline };
  const b: FileLines = { lines: splitLines(f1.buffer), missingNewline: f1.missingNewline };
  const { prefixEnd, suffix0, suffix1 } = identicalEnds(f0.buffer, f0.missingNewline, f1.buffer, f1.missingNewline, options.horizonLines ?? 0);
  const prefixLines = countNewlines(f0.buffer, prefixEnd);
  const level = WHITE_SPACE_LEVEL[options.whiteSpace ?? 'none'];
  const ignoreCase = options.ignoreCase ?? false;
  const classes = new Map<string, number>();
  const sides = [f0, f1].map((file, f): Side => {
    const end = f === 0 ? suffix0 : suffix1;
    const middle = countNewlines(file.buffer, end) - prefixLines;
    const equivs: number[] = [];
    const all = f === 0 ? a.lines : b.lines;
    for (let k = 0; k < middle; k++) {
      const index = prefixLines + k;
      // An incomplete last line can only equal the other file's incomplete line (unless trailing
      // white space is ignored): it lives in a bucket of its own.
      const incomplete = file.missingNewline && index === all.length - 1 && level < WHITE_SPACE_LEVEL.trailing;
      const key = (incomplete ? '\u0000' : '\n') + lineKey(all[index]!, level, ignoreCase);
      let e = classes.get(key);
      if (e === undefined) {
        e = classes.size + 1;
        classes.set(key, e);
      }
      equivs.push(e);
    }
    return { equivs, changed: new Uint8Array(middle + 2), length: middle, undiscarded: [], realIndexes: [] };
  }) as [Side, Side];
  const minimal = options.minimal ?? false;
  discardConfusingLines(sides, classes.size + 1, minimal);
  const [s0, s1] = sides;
  const diags = s0.undiscarded.length + s1.undiscarded.length + 3;
  const tooExpensive = minimal ? OFFSET_MAX : Math.max(4096, 1 << ((floorLog2(diags) >> 1) + 1));
  const context = new Context(
    s0.undiscarded,
    s1.undiscarded,
    tooExpensive,
    (x) => (s0.changed[s0.realIndexes[x]! + 1] = 1),
    (y) => (s1.changed[s1.realIndexes[y]! + 1] = 1),
  );
  context.compareseq(0, s0.undiscarded.length, 0, s1.undiscarded.length, minimal);
  shiftBoundaries(sides);
  return { a, b, changes: buildScript(s0, s1, prefixLines) };
}

/** build_script: runs of changed lines as changes, in file order, in whole-file line numbers. */
function buildScript(s0: Side, s1: Side, prefixLines: number): Change[] {
  const changes: Change[] = [];
  const c0 = (k: number) => s0.changed[k + 1] === 1;
  const c1 = (k: number) => s1.changed[k + 1] === 1;
  let i0 = s0.length;
  let i1 = s1.length;
  while (i0 >= 0 || i1 >= 0) {
    if (c0(i0 - 1) || c1(i1 - 1)) {
      const line0 = i0;
      const line1 = i1;
      while (c0(i0 - 1)) --i0;
      while (c1(i1 - 1)) --i1;
      changes.push({ line0: i0 + prefixLines, line1: i1 + prefixLines, deleted: line0 - i0, inserted: line1 - i1 });
    }
    i0--;
    i1--;
  }
  return changes.reverse();
}

/**
 * analyze_hunk: the range of lines a group of changes touches, and what it does. With -B a group whose
 * deleted and inserted lines are all blank is `unchanged` (with -Z, -b or -w, lines of only white space
 * count as blank).
 */
export function analyzeHunk(comparison: Comparison, hunk: readonly Change[], options: CompareOptions = {}): HunkRange {
  const first = hunk[0]!;
  const last = hunk[hunk.length - 1]!;
  let showFrom = 0;
  let showTo = 0;
  let trivial = options.ignoreBlankLines ?? false;
  const skipWhiteSpace = trivial && WHITE_SPACE_LEVEL[options.whiteSpace ?? 'none'] >= WHITE_SPACE_LEVEL.trailing;
  const blank = (line: string) => line === '' || (skipWhiteSpace && [...line].every(isSpace));
  for (const change of hunk) {
    showFrom += change.deleted;
    showTo += change.inserted;
    for (let i = change.line0; trivial && i < change.line0 + change.deleted; i++) if (!blank(comparison.a.lines[i]!)) trivial = false;
    for (let i = change.line1; trivial && i < change.line1 + change.inserted; i++) if (!blank(comparison.b.lines[i]!)) trivial = false;
  }
  const range = { first0: first.line0, last0: last.line0 + last.deleted - 1, first1: first.line1, last1: last.line1 + last.inserted - 1 };
  if (trivial) return { kind: 'unchanged', ...range };
  const kind: HunkKind = showFrom && showTo ? 'changed' : showFrom ? 'old' : showTo ? 'new' : 'unchanged';
  return { kind, ...range };
}
