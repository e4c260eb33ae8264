/**
 * coreutils — the GNU text and file tools a student uses at a lab shell (coreutils, grep, sed, util-linux's
 * rev, findutils' xargs, diffutils' diff, and awk as Debian's mawk), each matching the real tool's output
 * and error texts on Debian. (jq is a command of its own: ../jq/.)
 */
import type { CommandSpec } from '../index.ts';
import { awk } from './awk/awk.ts';
import { base64 } from './base64.ts';
import { basename } from './basename.ts';
import { cat } from './cat.ts';
import { cp, mv } from './cpMv.ts';
import { cut } from './cut.ts';
import { diff } from './diff.ts';
import { dirname } from './dirname.ts';
import { du } from './du.ts';
import { grep } from './grep.ts';
import { head, tail } from './headTail.ts';
import { ls } from './ls.ts';
import { mkdir } from './mkdir.ts';
import { nl } from './nl.ts';
import { rev } from './rev.ts';
import { rm } from './rm.ts';
import { sed } from './sed.ts';
import { seq } from './seq.ts';
import { sort } from './sort.ts';
import { tee } from './tee.ts';
import { touch } from './touch.ts';
import { tr } from './tr.ts';
import { uniq } from './uniq.ts';
import { wc } from './wc.ts';
import { yes } from './yes.ts';

export { xargs, type RunCommand } from './xargs.ts';

/** Every coreutils command but xargs, which needs the shell's runner: register `xargs(run)` beside these. */
export function coreutils(): Map<string, CommandSpec> {
  return new Map<string, CommandSpec>([
    ['awk', { run: awk, summary: 'pattern scanning and text processing language (-F, -v, -f)' }],
    ['base64', { run: base64, summary: 'encode or decode base64 (-d, -w COLS)' }],
    ['basename', { run: basename, summary: 'strip directories and a suffix from a name' }],
    ['cat', { run: cat, summary: 'print files (-n numbers lines)' }],
    ['cp', { run: cp, summary: 'copy files (-r for directories)' }],
    ['cut', { run: cut, summary: 'select fields (-d, -f) or characters (-c) of lines' }],
    ['diff', { run: diff, summary: 'compare files line by line (-u, -c, -q, -r, -N, -i, -w, -b, -B)' }],
    ['dirname', { run: dirname, summary: 'strip the last component of a name' }],
    ['du', { run: du, summary: 'estimate file space usage (-s, -h, -a, -c, -d N, --apparent-size)' }],
    ['grep', { run: grep, summary: 'print lines matching a pattern (-i -v -E -c -n -o -q -r -l -w)' }],
    ['head', { run: head, summary: 'print the first lines of files (-n N, -c N)' }],
    ['ls', { run: ls, summary: 'list directory contents (-l, -a, -h, -1)' }],
    ['mkdir', { run: mkdir, summary: 'make directories (-p)' }],
    ['mv', { run: mv, summary: 'move or rename files' }],
    ['nl', { run: nl, summary: 'number the lines of files' }],
    ['rev', { run: rev, summary: 'reverse each line' }],
    ['rm', { run: rm, summary: 'remove files (-r, -f)' }],
    ['sed', { run: sed, summary: 'stream editor (GNU sed 4.9: s///, addresses, blocks, hold space, branches; -n -e -f -i -E -s -z)' }],
    ['seq', { run: seq, summary: 'print a sequence of numbers' }],
    ['sort', { run: sort, summary: 'sort lines (-n, -r, -u, -k N, -t SEP)' }],
    ['tail', { run: tail, summary: 'print the last lines of files (-n N, -n +N, -c N, -f)' }],
    ['tee', { run: tee, summary: 'copy stdin to stdout and files (-a)' }],
    ['touch', { run: touch, summary: 'create files or update their time' }],
    ['tr', { run: tr, summary: 'translate, delete (-d) or squeeze (-s) characters' }],
    ['uniq', { run: uniq, summary: 'collapse repeated lines (-c, -d, -u)' }],
    ['wc', { run: wc, summary: 'count lines, words and bytes (-l, -w, -c)' }],
    ['yes', { run: yes, summary: 'print a line over and over until Ctrl-C' }],
  ]);
}
