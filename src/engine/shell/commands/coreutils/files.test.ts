import { describe, expect, it } from 'vitest';
import type { Command } from '../../command.ts';
import { basename } from './basename.ts';
import { cat } from './cat.ts';
import { cp, mv } from './cpMv.ts';
import { dirname } from './dirname.ts';
import { ls } from './ls.ts';
import { mkdir } from './mkdir.ts';
import { rm } from './rm.ts';
import { filesystem, run } from './testing.ts';
import { touch } from './touch.ts';

const FILES = {
  f5: '1\n2\n3\n4\n5\n',
  fab: 'a\nb',
  'd/x': 'xx\n',
  'd/sub/y': '',
  '.hidden': '',
  '/etc/passwd': 'root:x:0:0:root:/root:/bin/bash\nstudent:x:1000:1000::/home/student:/bin/bash\n',
  '/etc/group': 'root:x:0:\nstudent:x:1000:\n',
};

const COMMANDS: Record<string, Command> = { cat, basename, dirname, ls, mkdir, rm, cp, mv, touch };

describe('file commands', () => {
  it.each([
    ['cat -n f5 fab', 0, '     1\t1\n     2\t2\n     3\t3\n     4\t4\n     5\t5\n     6\ta\n     7\tb', ''],
    ['cat nonexist f5', 1, '1\n2\n3\n4\n5\n', 'cat: nonexist: No such file or directory\n'],
    ['cat d', 1, '', 'cat: d: Is a directory\n'],
    ['cat -x', 1, '', "cat: invalid option -- 'x'\nTry 'cat --help' for more information.\n"],
    ['basename /a/b/c.txt .txt', 0, 'c\n', ''],
    ['basename -a x/y z/', 0, 'y\nz\n', ''],
    ['basename', 1, '', "basename: missing operand\nTry 'basename --help' for more information.\n"],
    ['dirname /a/b/ a / //x', 0, '/a\n.\n/\n/\n', ''],
    ['ls', 0, 'd\nf5\nfab\n', ''],
    ['ls -a d', 0, '.\n..\nsub\nx\n', ''],
    ['ls f5 d nonexist', 2, 'f5\n\nd:\nsub\nx\n', "ls: cannot access 'nonexist': No such file or directory\n"],
    ['ls -l d', 0, 'total 8\ndrwxr-xr-x 2 student student 4096 Jan  1 00:00 sub\n-rw-r--r-- 1 student student    3 Jan  1 00:00 x\n', ''],
    ['ls -n d/x f5', 0, '-rw-r--r-- 1 1000 1000  3 Jan  1 00:00 d/x\n-rw-r--r-- 1 1000 1000 10 Jan  1 00:00 f5\n', ''],
    ['mkdir d', 1, '', 'mkdir: cannot create directory ‘d’: File exists\n'],
    ['mkdir a/b', 1, '', 'mkdir: cannot create directory ‘a/b’: No such file or directory\n'],
    ['rm nonexist', 1, '', "rm: cannot remove 'nonexist': No such file or directory\n"],
    ['rm d', 1, '', "rm: cannot remove 'd': Is a directory\n"],
    ['rm -f nonexist', 0, '', ''],
    ['rm', 1, '', "rm: missing operand\nTry 'rm --help' for more information.\n"],
    ['cp nonexist x', 1, '', "cp: cannot stat 'nonexist': No such file or directory\n"],
    ['cp d x', 1, '', "cp: -r not specified; omitting directory 'd'\n"],
    ['cp f5', 1, '', "cp: missing destination file operand after 'f5'\nTry 'cp --help' for more information.\n"],
    ['mv nonexist x', 1, '', "mv: cannot stat 'nonexist': No such file or directory\n"],
    ['touch /nonexist/x', 1, '', "touch: cannot touch '/nonexist/x': No such file or directory\n"],
  ])('%s', async (line, status, stdout, stderr) => {
    const { fs } = filesystem(FILES);
    const name = line.split(' ')[0]!;
    expect(await run(COMMANDS[name]!, line, { fs })).toEqual({ status, stdout, stderr });
  });

  it.each([
    ['mkdir -p a/b/c', 'ls a/b', 'c\n'],
    ['rm -r d', 'ls', 'f5\nfab\n'],
    ['cp -r d e', 'ls e e/sub', 'e:\nsub\nx\n\ne/sub:\ny\n'],
    ['cp f5 d', 'cat d/f5', '1\n2\n3\n4\n5\n'],
    ['mv fab d', 'ls . d', '.:\nd\nf5\n\nd:\nfab\nsub\nx\n'],
    ['mv f5 g', 'cat g', '1\n2\n3\n4\n5\n'],
    ['touch new', 'ls', 'd\nf5\nfab\nnew\n'],
  ])('%s, then %s', async (first, second, stdout) => {
    const { fs } = filesystem(FILES);
    expect((await run(COMMANDS[first.split(' ')[0]!]!, first, { fs })).status).toBe(0);
    expect(await run(COMMANDS[second.split(' ')[0]!]!, second, { fs })).toEqual({ status: 0, stdout, stderr: '' });
  });
});
