import { describe, expect, it } from 'vitest';
import { lsns } from './lsns.ts';
import { goldenCases, hostFileSystem, HOST, runOnHost, SELF } from './testing.ts';

// util-linux 2.38.1's output on the machine the fixture was copied from (NPROCS recounted: see the notes).
describe('lsns against util-linux on the same /proc', () => {
  it.each(goldenCases('lsns'))('%s', async (line, g) => {
    const result = await runOnHost(lsns, line, hostFileSystem(HOST, { self: SELF }));
    expect(result).toEqual({ status: g.status, stdout: g.stdout, stderr: g.stderr });
  });
});

describe('lsns', () => {
  it.each([
    ['lsns -x', "lsns: invalid option -- 'x'\nTry 'lsns --help' for more information.\n"],
    ['lsns -o BOGUS', 'lsns: unknown column: BOGUS\n'],
    ['lsns -p abc', "lsns: invalid PID argument: 'abc'\n"],
  ])('%s fails', async (line, stderr) => {
    expect(await runOnHost(lsns, line, hostFileSystem(HOST, { self: SELF }))).toEqual({ status: 1, stdout: '', stderr });
  });

  it('prints nothing for a pid that does not exist', async () => {
    expect(await runOnHost(lsns, 'lsns -p 99999', hostFileSystem(HOST, { self: SELF }))).toEqual({ status: 0, stdout: '', stderr: '' });
  });

  it('shows PATH and the namespaces of one type given as an inode', async () => {
    const result = await runOnHost(lsns, 'lsns -o NS,PATH 4026532179', hostFileSystem(HOST, { self: SELF }));
    expect(result.stdout).toBe('        NS PATH\n4026532179 /proc/25685/ns/net\n');
  });
});
