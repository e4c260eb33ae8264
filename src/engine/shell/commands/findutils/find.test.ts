import { describe, expect, it } from 'vitest';
import { Clock } from '../../../base/clock.ts';
import type { RunCommand } from '../coreutils/xargs.ts';
import { EPOCH, filesystem, run } from '../coreutils/testing.ts';
import { builtinCommands } from '../index.ts';
import { bootNode } from '../util-linux/testing.ts';
import { find } from './find.ts';

/** A runner that records each command line and answers as `echo` would, failing for `false`. */
function recorder() {
  const calls: string[][] = [];
  const runner: RunCommand = async (argv) => {
    calls.push(argv);
    return argv[0] === 'false' ? { status: 1, stdout: '' } : { status: 0, stdout: `${argv.slice(1).join(' ')}\n` };
  };
  return { calls, cmd: find(runner) };
}

/** ./a/x.txt (3 bytes), ./a/b/big (5000), ./e/.h (empty), ./z (empty dir); a/x.txt an hour older than the rest. */
function tree() {
  const clock = new Clock({ startTime: EPOCH, paused: true });
  const { fs } = filesystem({ 'a/x.txt': 'hi\n' }, clock);
  clock.advance(3_600_000);
  for (const [path, data] of [['/home/student/a/b/big', '0'.repeat(5000)], ['/home/student/e/.h', '']] as const) {
    fs.mkdir(path.slice(0, path.lastIndexOf('/')), { recursive: true });
    fs.writeFile(path, data);
  }
  fs.mkdir('/home/student/z');
  clock.advance(120_000);
  return { fs, clock };
}

describe('find on the laptop', () => {
  it.each([
    ['find', '.\n./a\n./a/b\n./a/b/big\n./a/x.txt\n./e\n./e/.h\n./z\n'],
    ['find . -name "*.txt"', './a/x.txt\n'],
    ['find . -iname "X*"', './a/x.txt\n'],
    ["find a -path 'a/b*'", 'a/b\na/b/big\n'],
    ['find . -type d', '.\n./a\n./a/b\n./e\n./z\n'],
    ['find . -maxdepth 1 -type f,d', '.\n./a\n./e\n./z\n'],
    ['find . -mindepth 2 -type f', './a/b/big\n./a/x.txt\n./e/.h\n'],
    ['find . -size +4k', './a/b/big\n'],
    ['find . -size -1k', './e/.h\n'],
    ['find . -size 3c', './a/x.txt\n'],
    ['find . -empty', './e/.h\n./z\n'],
    ['find . -name b -prune -o -type f -print', './a/x.txt\n./e/.h\n'],
    ['find . ! -type d', './a/b/big\n./a/x.txt\n./e/.h\n'],
    ["find . -not -name '.*' -type f", './a/b/big\n./a/x.txt\n'],
    ["find . ( -name x.txt -o -name big ) -printf '%f:%s:%d:%h:%P:%k:%b\\n'", 'big:5000:3:./a/b:a/b/big:8:16\nx.txt:3:2:./a:a/x.txt:4:8\n'],
    ['find a -depth', 'a/b/big\na/b\na/x.txt\na\n'],
    ['find a -maxdepth 1 -print0', 'a\0a/b\0a/x.txt\0'],
    ['find . -type f -print -quit', './a/b/big\n'],
    ['find . -type f -quit', ''],
    ['find . -name big , -name x.txt', './a/x.txt\n'],
    ['find a e -type f', 'a/b/big\na/x.txt\ne/.h\n'],
    ['find a/ -name b', 'a/b\n'],
    ['find a// -maxdepth 1', 'a//\na//b\na//x.txt\n'],
    ['find . -perm 644 -type f', './a/b/big\n./a/x.txt\n./e/.h\n'],
    ['find . -perm -u+w -name big', './a/b/big\n'],
    ['find . -perm /o+w', ''],
    ["find . -name x.txt -printf '%m|%#m|%M|%y|%Y|%-7f|%5s|%U:%G|%t\\n'", '644|0644|-rw-r--r--|f|f|x.txt  |    3|1000:1000|Thu Jan  1 00:00:00.0000000000 2026\n'],
    ['find . -mmin -10 -type f', './a/b/big\n./e/.h\n'],
    ['find . -mmin +10 -type f', './a/x.txt\n'],
    ['find . -mmin 62 -type f', './a/x.txt\n'],
    ['find . -mtime 0 -name x.txt', './a/x.txt\n'],
    ['find . -mtime +0', ''],
    ['find . -newer a/x.txt -type f', './a/b/big\n./e/.h\n'],
    ['find . -uid 1000 -name z', './z\n'],
    ['find . -links 3 -type d', './a\n'],
    ['find a -true -a -false -o -name b', 'a/b\n'],
    ["find . -name x.txt -printf 'a\\tb\\101\\c'", 'a\tbA'],
  ])('%s', async (line, want) => {
    const { fs, clock } = tree();
    const r = await run(recorder().cmd, line, { fs, clock });
    expect(r).toEqual({ status: 0, stdout: want, stderr: '' });
  });

  it.each([
    ['find nope', '', "find: ‘nope’: No such file or directory\n"],
    ['find . -foo', '', "find: unknown predicate `-foo'\n"],
    ['find . -exec echo', '', "find: missing argument to `-exec'\n"],
    ['find . -exec echo {} x +', '', "find: missing argument to `-exec'\n"],
    ['find . -type q', '', 'find: Unknown argument to -type: q\n'],
    ['find . -name', '', "find: missing argument to `-name'\n"],
    ['find . -size 3x', '', "find: invalid -size type `x'\n"],
    ['find . -maxdepth x', '', 'find: Expected a positive decimal integer argument to -maxdepth, but got ‘x’\n'],
    ['find . -mindepth -1', '', 'find: Expected a positive decimal integer argument to -mindepth, but got ‘-1’\n'],
    ['find . ( -name a', '', "find: invalid expression; I was expecting to find a ')' somewhere but did not see one.\n"],
    ['find . -name a )', '', "find: you have too many ')'\n"],
    ['find . -mtime x', '', "find: invalid argument `x' to `-mtime'\n"],
    ['find . -user nobodyxx', '', 'find: ‘nobodyxx’ is not the name of a known user\n'],
    ['find . -group nogroupxx', '', 'find: ‘nogroupxx’ is not the name of an existing group\n'],
    ['find . -perm 999', '', 'find: invalid mode ‘999’\n'],
    ['find . -newer nope', '', "find: ‘nope’: No such file or directory\n"],
    ['find . -name a b', '', "find: paths must precede expression: `b'\n"],
    ['find . !', '', "find: expected an expression after '!'\n"],
    ['find . -not', '', "find: expected an expression after '-not'\n"],
    ['find . -o', '', "find: invalid expression; you have used a binary operator '-o' with nothing before it.\n"],
    ['find . -a', '', "find: invalid expression; you have used a binary operator '-a' with nothing before it.\n"],
    ['find . -name a -o', '', "find: expected an expression after '-o'\n"],
    ['find ( )', '', 'find: invalid expression; empty parentheses are not allowed.\n'],
    ['find . -uid x', '', "find: invalid argument `x' to `-uid'\n"],
    ["find . -printf '%w%q%'", '', "find: warning: unrecognized format directive `%w'\nfind: warning: unrecognized format directive `%q'\nfind: error: % at end of format string\n"],
    ['find a nope -name x.txt', 'a/x.txt\n', "find: ‘nope’: No such file or directory\n"],
  ])('%s fails', async (line, stdout, stderr) => {
    const { fs, clock } = tree();
    const r = await run(recorder().cmd, line, { fs, clock });
    expect(r).toEqual({ status: 1, stdout, stderr });
  });

  it('lists files as ls -dils does', async () => {
    const { fs, clock } = tree();
    const ino = fs.getattr('/home/student/a/x.txt').ino;
    const r = await run(recorder().cmd, 'find a/x.txt z -ls', { fs, clock });
    const zIno = fs.getattr('/home/student/z').ino;
    expect(r.stdout).toBe(
      `${String(ino).padStart(9)}      4 -rw-r--r--   1 1000     1000            3 Jan  1 00:00 a/x.txt\n` +
        `${String(zIno).padStart(9)}      4 drwxr-xr-x   2 1000     1000         4096 Jan  1 01:00 z\n`,
    );
  });

  it('runs -exec once per file with ;, and once for all with +, where a failure makes the status 1', async () => {
    const { fs, clock } = tree();
    const { calls, cmd } = recorder();
    const r = await run(cmd, 'find a -type f -exec echo file:{} ; -exec echo {} + -exec false {} +', { fs, clock });
    expect(calls).toEqual([['echo', 'file:a/b/big'], ['echo', 'file:a/x.txt'], ['echo', 'a/b/big', 'a/x.txt'], ['false', 'a/b/big', 'a/x.txt']]);
    expect(r).toEqual({ status: 1, stdout: 'file:a/b/big\nfile:a/x.txt\na/b/big a/x.txt\n', stderr: '' });
  });

  it('takes -exec … ; as a test: its status decides what follows', async () => {
    const { fs, clock } = tree();
    const r = await run(recorder().cmd, 'find a -exec false {} ; -o -name x.txt -print', { fs, clock });
    expect(r).toEqual({ status: 0, stdout: 'a/x.txt\n', stderr: '' });
  });

  it('deletes depth first, and refuses a directory that keeps entries', async () => {
    const { fs, clock } = tree();
    const r = await run(recorder().cmd, 'find e z -delete', { fs, clock });
    expect(r).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(fs.readdir('/home/student')).toEqual(['a']);
    const again = await run(recorder().cmd, 'find a -type d -delete', { fs, clock });
    expect(again).toEqual({ status: 1, stdout: '', stderr: 'find: cannot delete ‘a/b’: Directory not empty\nfind: cannot delete ‘a’: Directory not empty\n' });
    expect(fs.readdir('/home/student/a/b')).toEqual(['big']);
  });
});

describe('find on a host', () => {
  const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
  const registered = builtinCommands().get('find')!.run;

  it.each([
    ["find /proc -maxdepth 1 -name 'self' -printf '%y %p\\n'", 'l /proc/self\n'],
    ["find /proc/self -maxdepth 0 -printf '%Y %u %g\\n'", 'd root root\n'],
    ["find /etc -maxdepth 0 -printf '%m %u:%g %d\\n'", '755 root:root 0\n'],
    ['find /etc/hostname -exec cat {} ;', 'node-1\n'],
    ['find /etc/hostname /etc/hostname -exec echo found {} +', 'found /etc/hostname /etc/hostname\n'],
    ['find / -maxdepth 1 -name proc -xdev -type d', '/proc\n'],
    ['find /proc/1 -maxdepth 1 -name comm -size -1k', '/proc/1/comm\n'],
  ])('%s', async (line, want) => {
    const node = bootNode(tick);
    expect(await node.run(registered, line)).toMatchObject({ status: 0, stdout: want, stderr: '' });
  });

  it('says which directories it may not read, and goes on', async () => {
    const node = bootNode(tick);
    const r = await node.run(registered, 'find /root -maxdepth 1 -name nothing', { process: node.spawn({ uid: 1000 }) });
    expect(r).toMatchObject({ status: 1, stdout: '', stderr: 'find: ‘/root’: Permission denied\n' });
  });
});
