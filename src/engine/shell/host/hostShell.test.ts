import { describe, expect, it } from 'vitest';
import { bootShellHost, runIn } from './testing.ts';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

async function run(script: string, files: Record<string, string> = {}) {
  const { clock, shell, host } = bootShellHost();
  for (const [path, data] of Object.entries(files)) host.vfsFor(host.init).writeFile(path, data, { mode: 0o755 });
  const result = await runIn(shell.openSession({ id: '1', tty: false }), clock, script, tick);
  return { ...result, host };
}

describe('HostShell', () => {
  it('runs bash as a process whose $$ is its pid, and each command as its child', async () => {
    const { stdout, status } = await run('echo $$; ps -o pid,ppid,comm');
    expect(status).toBe(0);
    const [pid, ...table] = stdout.trimEnd().split('\n');
    const rows = table.slice(1).map((line) => line.trim().split(/\s+/));
    const bash = rows.find((r) => r[2] === 'bash')!;
    const ps = rows.find((r) => r[2] === 'ps')!;
    expect(bash[0]).toBe(pid);
    expect(ps[1]).toBe(pid);
  });

  it.each([
    ['cat /proc/self/status | head -1', 'Name:\tcat\n'],
    ['x=$(cat /proc/self/comm); echo $x', 'cat\n'],
    ['cat /proc/self/comm | cat /proc/self/comm - | tr a-z A-Z', 'CAT\nCAT\n'],
    ['echo hi | while read x; do echo got $x; done', 'got hi\n'],
    ['printf "b\\na\\n" | sort | head -1', 'a\n'],
    // A process that does not read its stdin leaves the loop's input to `read`.
    ['printf "a\\nb\\nc\\n" | while read f; do echo $f; /usr/bin/true; grep -c x /proc/self/comm; done', 'a\n0\nb\n0\nc\n0\n'],
    ['printf "a\\nb\\n" | while read f; do echo $f; cat; done', 'a\nb\n'],
    // A nested shell's `read` takes one line; the rest stays for the loop.
    ['printf "a\\nb\\nc\\n" | while read f; do echo $f; sh -c "read g; echo inner \\$g"; done', 'a\ninner b\nc\ninner\n'],
  ])('runs %s as processes joined by pipes', async (script, expected) => {
    expect((await run(script)).stdout).toBe(expected);
  });

  it('forks every stage of a pipeline before any runs, so ps sees the grep', async () => {
    const { stdout } = await run('ps -ef | grep "grep ps"');
    expect(stdout).toMatch(/ grep grep ps\n$/);
  });

  it.each([
    ['foo', 'bash: line 1: foo: command not found\n', 127],
    ['./nope', 'bash: line 1: ./nope: No such file or directory\n', 127],
    ['/tmp', 'bash: line 1: /tmp: Is a directory\n', 126],
    ['kubectl version', 'bash: line 1: kubectl: command not found\n', 127],
    ['ls /nope', "ls: cannot access '/nope': No such file or directory\n", 2],
    ['sh -c foo', 'sh: 1: foo: not found\n', 127],
  ])('reports %s as bash does', async (script, stderr, status) => {
    const result = await run(script);
    expect(result.stderr).toBe(stderr);
    expect(result.status).toBe(status);
  });

  it('finds commands on PATH in the host files, as `which` and `type` show', async () => {
    const { stdout } = await run('which ls; type -a echo; ls -l /usr/bin/ls | cut -c1-10');
    expect(stdout).toBe('/usr/bin/ls\necho is a shell builtin\necho is /usr/bin/echo\necho is /bin/echo\n-rwxr-xr-x\n');
  });

  it.each([
    ['a script without #!, in a bash of its own', 'echo $0 ran as $(cat /proc/$$/comm); exit 3\n', '/tmp/s ran as bash\n3\n'],
    ['a #! script, by its interpreter', '#!/bin/sh\necho $0 ran as $(cat /proc/$$/comm); exit 4\n', '/tmp/s ran as s\n4\n'],
  ])('runs %s', async (_, text, expected) => {
    expect((await run('/tmp/s; echo $?', { '/tmp/s': text })).stdout).toBe(expected);
  });

  it('refuses a file without the x bit as bash does', async () => {
    const { host, clock, shell } = bootShellHost();
    host.vfsFor(host.init).writeFile('/tmp/s', 'echo hi\n', { mode: 0o644 });
    const result = await runIn(shell.openSession({ id: '1', tty: false }), clock, '/tmp/s', tick);
    expect(result).toEqual({ stdout: '', stderr: 'bash: line 1: /tmp/s: Permission denied\n', status: 126 });
  });

  it('reports 137 for a command SIGKILLed, and the process is gone', async () => {
    const { stdout } = await run('sleep 100 & kill -9 $!; wait $!; echo $?; ps -o comm | grep -c sleep');
    expect(stdout).toBe('137\n0\n');
  });

  it('ends the processes it ran: only init, kernel threads and nothing of the shell remain', async () => {
    const { host } = await run('ls / | wc -l; (cat /proc/self/stat) > /dev/null');
    expect(host.table.list().filter((p) => !p.kthread && p.hostPid !== 1)).toEqual([]);
  });
});
