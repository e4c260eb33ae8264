import { describe, expect, it } from 'vitest';
import { pstree } from './pstree.ts';
import { goldenCases, hostFileSystem, HOST, runOnHost, SELF } from './testing.ts';

// psmisc 23.6's pstree writing to a pipe (ASCII lines), on the same processes; `pstree -p 2` there saw
// every kernel thread, the fixture holds five of them.
describe('pstree against psmisc on the same /proc', () => {
  it.each(goldenCases('pstree').filter(([line]) => line !== 'pstree -p 2'))('%s', async (line, g) => {
    const result = await runOnHost(pstree, line, hostFileSystem(HOST, { self: SELF }));
    expect(result).toEqual({ status: g.status, stdout: g.stdout, stderr: g.stderr });
  });
});

describe('pstree', () => {
  it.each([
    ['pstree -p 2', 'kthreadd(2)-+-kdevtmpfs(25)\n            |-ksmd(37)\n            |-ksoftirqd/0(14)\n            |-kworker/1:1(27057)\n            `-rcu_preempt(15)\n'],
    ['pstree -U 25686', 'sleep───sleep\n'],
    ['pstree -T 25689', 'python3\n'],
    ['pstree -a 25690', 'script -qc sleep 1007 /dev/null---sleep 1007\n'],
    ['pstree -n -p 25686', 'sleep(25686)---sleep(25694)\n'],
    ['pstree nobody', 'sleep\n'],
    ['pstree 999999', ''],
  ])('%s', async (line, stdout) => {
    expect(await runOnHost(pstree, line, hostFileSystem(HOST, { self: SELF }))).toEqual({ status: 0, stdout, stderr: '' });
  });

  it('names an unknown user', async () => {
    expect(await runOnHost(pstree, 'pstree nosuch', hostFileSystem(HOST, { self: SELF }))).toEqual({ status: 1, stdout: '', stderr: 'pstree: No such user name: nosuch\n' });
  });

  it('cuts long lines at $COLUMNS with a +', async () => {
    const result = await runOnHost(pstree, 'pstree -p 25690', hostFileSystem(HOST, { self: SELF }), { COLUMNS: '20' });
    expect(result.stdout).toBe('script(25690)---sle+\n');
  });
});
