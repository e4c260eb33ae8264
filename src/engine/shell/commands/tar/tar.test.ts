import { describe, expect, it } from 'vitest';
import { readTarMembers } from '../../../runtime/image/tar.ts';
import { filesystem, run } from '../coreutils/testing.ts';
import { tar } from './tar.ts';

const PASSWD = 'root:x:0:0:root:/root:/bin/bash\nstudent:x:1000:1000::/home/student:/bin/bash\n';
const GROUP = 'root:x:0:\nstudent:x:1000:\n';

/** A laptop with the student's files: dir/file, dir/sub/a, and the passwd and group files. */
function laptop() {
  return filesystem({ '/etc/passwd': PASSWD, '/etc/group': GROUP, 'dir/file': 'hello\n', 'dir/sub/a': 'x\n', 'notes.txt': '你好\n' }).fs;
}

describe('tar', () => {
  it('creates an archive of a directory tree, and lists it short and long', async () => {
    const fs = laptop();
    expect(await run(tar, 'tar cvf a.tar dir', { fs })).toEqual({ status: 0, stdout: 'dir/\ndir/file\ndir/sub/\ndir/sub/a\n', stderr: '' });
    const archive = fs.readFile('/home/student/a.tar');
    expect(new TextEncoder().encode(archive).length).toBe(10240);
    expect(readTarMembers(new TextEncoder().encode(archive)).map((m) => [m.name, m.uname, m.mode.toString(8)])).toEqual([
      ['dir/', 'student', '755'], ['dir/file', 'student', '644'], ['dir/sub/', 'student', '755'], ['dir/sub/a', 'student', '644'],
    ]);
    expect(await run(tar, 'tar -tf a.tar', { fs })).toEqual({ status: 0, stdout: 'dir/\ndir/file\ndir/sub/\ndir/sub/a\n', stderr: '' });
    expect(await run(tar, 'tar -tvf a.tar', { fs })).toEqual({
      status: 0,
      stdout:
        'drwxr-xr-x student/student   0 2026-01-01 00:00 dir/\n'
        + '-rw-r--r-- student/student   6 2026-01-01 00:00 dir/file\n'
        + 'drwxr-xr-x student/student   0 2026-01-01 00:00 dir/sub/\n'
        + '-rw-r--r-- student/student   2 2026-01-01 00:00 dir/sub/a\n',
      stderr: '',
    });
  });

  it('grows the owner and size column as GNU tar does, never shrinking it', async () => {
    const fs = filesystem({ small: 'x', big: 'y'.repeat(12345) }).fs;
    await run(tar, 'tar --create --file=n.tar small big small', { fs });
    expect((await run(tar, 'tar tvf n.tar', { fs })).stdout).toBe(
      '-rw-r--r-- 1000/1000         1 2026-01-01 00:00 small\n'
      + '-rw-r--r-- 1000/1000     12345 2026-01-01 00:00 big\n'
      + '-rw-r--r-- 1000/1000         1 2026-01-01 00:00 small\n',
    );
  });

  it('extracts into -C DIR, making missing directories, with the names on stdout', async () => {
    const fs = laptop();
    await run(tar, 'tar -cf a.tar dir notes.txt', { fs });
    fs.mkdir('/tmp/out', { recursive: true });
    expect(await run(tar, 'tar -xvf a.tar -C /tmp/out', { fs })).toEqual({ status: 0, stdout: 'dir/\ndir/file\ndir/sub/\ndir/sub/a\nnotes.txt\n', stderr: '' });
    expect(fs.readFile('/tmp/out/dir/sub/a')).toBe('x\n');
    expect(fs.readFile('/tmp/out/notes.txt')).toBe('你好\n');
    expect(await run(tar, 'tar xf /home/student/a.tar dir/file', { fs, cwd: '/tmp' })).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(fs.readdir('/tmp')).toEqual(['dir', 'out']);
    expect(fs.readdir('/tmp/dir')).toEqual(['file']);
  });

  it('keeps the spelling of an operand and of -C ., and strips a leading slash with a note', async () => {
    const fs = laptop();
    expect(await run(tar, 'tar -cvf b.tar -C dir .', { fs })).toEqual({ status: 0, stdout: './\n./file\n./sub/\n./sub/a\n', stderr: '' });
    expect((await run(tar, 'tar -tf b.tar', { fs })).stdout).toBe('./\n./file\n./sub/\n./sub/a\n');
    expect(await run(tar, 'tar cvf c.tar /home/student/dir/file ../student/notes.txt', { fs })).toEqual({
      status: 0,
      stdout: '/home/student/dir/file\n../student/notes.txt\n',
      stderr: "tar: Removing leading `/' from member names\ntar: Removing leading `../' from member names\n",
    });
    expect((await run(tar, 'tar tf c.tar', { fs })).stdout).toBe('home/student/dir/file\nstudent/notes.txt\n');
  });

  it('goes on past a name it cannot stat, and fails at the end', async () => {
    const fs = laptop();
    expect(await run(tar, 'tar cf d.tar nope notes.txt', { fs })).toEqual({
      status: 2,
      stdout: '',
      stderr: 'tar: nope: Cannot stat: No such file or directory\ntar: Exiting with failure status due to previous errors\n',
    });
    expect((await run(tar, 'tar tf d.tar', { fs })).stdout).toBe('notes.txt\n');
  });

  it('does not put the archive into itself', async () => {
    const fs = laptop();
    expect(await run(tar, 'tar cf self.tar .', { fs })).toEqual({ status: 0, stdout: '', stderr: 'tar: ./self.tar: file is the archive; not dumped\n' });
    expect((await run(tar, 'tar tf self.tar', { fs })).stdout).toBe('./\n./dir/\n./dir/file\n./dir/sub/\n./dir/sub/a\n./notes.txt\n');
  });

  it('writes to stdout and reads from stdin with -f - (the listing of -c goes to stderr)', async () => {
    const fs = laptop();
    const created = await run(tar, 'tar -cvf - dir/sub', { fs });
    expect(created.stderr).toBe('dir/sub/\ndir/sub/a\n');
    expect((await run(tar, 'tar -tf -', { fs, stdin: created.stdout })).stdout).toBe('dir/sub/\ndir/sub/a\n');
    expect(await run(tar, 'tar -xOf - dir/sub/a', { fs, stdin: created.stdout })).toEqual({ status: 0, stdout: 'x\n', stderr: '' });
  });

  it('selects members by name and reports names not in the archive', async () => {
    const fs = laptop();
    await run(tar, 'tar cf a.tar dir', { fs });
    expect(await run(tar, 'tar -tf a.tar dir/sub/ nope', { fs })).toEqual({
      status: 2,
      stdout: 'dir/sub/\ndir/sub/a\n',
      stderr: 'tar: nope: Not found in archive\ntar: Exiting with failure status due to previous errors\n',
    });
  });

  it.each([
    ['tar', 2, "tar: You must specify one of the '-Acdtrux', '--delete' or '--test-label' options\nTry 'tar --help' or 'tar --usage' for more information.\n"],
    ['tar -ctf a.tar', 2, "tar: You may not specify more than one '-Acdtrux', '--delete' or  '--test-label' option\nTry 'tar --help' or 'tar --usage' for more information.\n"],
    ['tar -cf x.tar', 2, "tar: Cowardly refusing to create an empty archive\nTry 'tar --help' or 'tar --usage' for more information.\n"],
    ['tar -q', 64, "tar: invalid option -- 'q'\nTry 'tar --help' or 'tar --usage' for more information.\n"],
    ['tar -cf', 64, "tar: option requires an argument -- 'f'\nTry 'tar --help' or 'tar --usage' for more information.\n"],
    ['tar -tf nope.tar', 2, 'tar: nope.tar: Cannot open: No such file or directory\ntar: Error is not recoverable: exiting now\n'],
    ['tar -tf dir', 2, 'tar: dir: Cannot read: Is a directory\ntar: At beginning of tape, quitting now\ntar: Error is not recoverable: exiting now\n'],
    ['tar -tf notes.txt', 2, 'tar: This does not look like a tar archive\ntar: Exiting with failure status due to previous errors\n'],
    ['tar -xf a.tar -C nodir', 2, 'tar: nodir: Cannot open: No such file or directory\ntar: Error is not recoverable: exiting now\n'],
    ['tar -cf nodir/x.tar dir', 2, 'tar: nodir/x.tar: Cannot open: No such file or directory\ntar: Error is not recoverable: exiting now\n'],
    ['tar -czf z.tar.gz dir', 2, '/bin/sh: 1: gzip: not found\ntar: Child returned status 127\ntar: Error is not recoverable: exiting now\n'],
    ['tar -cjf z.tar.bz2 dir', 2, '/bin/sh: 1: bzip2: not found\ntar: Child returned status 127\ntar: Error is not recoverable: exiting now\n'],
    ['tar -xzf a.tar', 2, 'tar (child): gzip: Cannot exec: No such file or directory\ntar (child): Error is not recoverable: exiting now\ntar: Child returned status 2\ntar: Error is not recoverable: exiting now\n'],
    ['tar -tJf a.tar', 2, 'tar (child): xz: Cannot exec: No such file or directory\ntar (child): Error is not recoverable: exiting now\ntar: Child returned status 2\ntar: Error is not recoverable: exiting now\n'],
    ['tar -tzf nope.tar', 2, 'tar (child): nope.tar: Cannot open: No such file or directory\ntar (child): Error is not recoverable: exiting now\ntar: Child returned status 2\ntar: Error is not recoverable: exiting now\n'],
  ])('%s fails in tar’s words', async (line, status, stderr) => {
    const fs = laptop();
    await run(tar, 'tar cf a.tar dir', { fs });
    expect(await run(tar, line, { fs })).toEqual({ status, stdout: '', stderr });
  });

  it('leaves an empty archive behind when the compressor cannot run, as tar’s child created it', async () => {
    const fs = laptop();
    expect((await run(tar, 'tar -czvf z.tar.gz dir/sub', { fs })).stdout).toBe('dir/sub/\ndir/sub/a\n');
    expect(fs.readFile('/home/student/z.tar.gz')).toBe('');
  });

  it('refuses a member name with ".." on extract', async () => {
    const fs = laptop();
    await run(tar, 'tar cf up.tar ../student/notes.txt', { fs });
    const archive = fs.readFile('/home/student/up.tar').replace('student/notes.txt\0', '../notes.tx\0\0\0\0\0\0\0');
    const fixed = new TextEncoder().encode(archive);
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : fixed[i]!;
    fixed.set(new TextEncoder().encode(`${sum.toString(8).padStart(6, '0')}\0 `), 148);
    expect(await run(tar, 'tar xf -', { fs, stdin: new TextDecoder().decode(fixed), cwd: '/tmp' })).toEqual({
      status: 2,
      stdout: '',
      stderr: "tar: Removing leading `../' from member names\ntar: ../notes.tx: Member name contains '..'\ntar: Exiting with failure status due to previous errors\n",
    });
  });
});
