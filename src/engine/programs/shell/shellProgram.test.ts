import { describe, expect, it } from 'vitest';
import { bootShellHost, runIn } from '../../shell/host/testing.ts';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

async function run(script: string, files: Record<string, string> = {}) {
  const { clock, host, shell } = bootShellHost();
  for (const [path, text] of Object.entries(files)) host.vfsFor(host.init).writeFile(path, text, { mode: 0o755 });
  return runIn(shell.openSession({ id: '1', tty: false }), clock, script, tick);
}

describe('ShellProgram', () => {
  it.each([
    ["bash -c 'echo $$ is $(cat /proc/$$/comm); exit 5'", /^\d+ is bash\n$/, '', 5],
    ["bash -c 'foo'", /^$/, 'bash: line 1: foo: command not found\n', 127],
    ["sh -c 'foo'", /^$/, 'sh: 1: foo: not found\n', 127],
    ["sh -c 'cat /proc/$$/comm'", /^sh\n$/, '', 0],
    ['echo "echo from stdin" | bash', /^from stdin\n$/, '', 0],
    ["echo piped | bash -c 'cat; cat /proc/self/comm'", /^piped\ncat\n$/, '', 0],
    ['bash /nope.sh', /^$/, 'bash: /nope.sh: No such file or directory\n', 127],
    ['bash -z', /^$/, 'bash: -z: invalid option\n', 2],
    ["bash -c 'echo $0 $1' sh x", /^sh x\n$/, '', 0],
    ["bash -c 'echo $0 $#'", /^bash 0\n$/, '', 0],
    ["sh -c 'echo \"$0|$#|$*\"; for a in \"$@\"; do echo \"<$a>\"; done' me 'a b' '' c", /^me\|3\|a b {2}c\n<a b>\n<>\n<c>\n$/, '', 0],
    ["bash -c 'foo' name", /^$/, 'name: line 1: foo: command not found\n', 127],
    ["sh -c 'foo' name", /^$/, 'name: 1: foo: not found\n', 127],
    ["echo 'echo $0 $2' | bash -s a b", /^bash b\n$/, '', 0],
    ["printf 'echo $0 $# \"$2\"\\nshift; echo $1\\n' > /tmp/s.sh; bash /tmp/s.sh a 'b c'", /^\/tmp\/s.sh 2 b c\nb c\n$/, '', 0],
    // A failed redirection, in each shell's words and status (dash 0.5.12 and bash 5.2 on this machine).
    ["sh -c 'echo > /nonexistent/x'", /^$/, 'sh: 1: cannot create /nonexistent/x: Directory nonexistent\n', 2],
    ["sh -c 'cat < /nope'", /^$/, 'sh: 1: cannot open /nope: No such file\n', 2],
    ["bash -c 'echo > /nonexistent/x'", /^$/, 'bash: line 1: /nonexistent/x: No such file or directory\n', 1],
  ])('%s', async (script, stdout, stderr, status) => {
    const result = await run(script);
    expect(result.stdout).toMatch(stdout);
    expect(result.stderr).toBe(stderr);
    expect(result.status).toBe(status);
  });

  it('runs a #! script with its path as $0 and its arguments, and exec replaces the shell with a command', async () => {
    const script = '#!/bin/sh\necho "$0 $#"\nexec /bin/sh -c \'echo "$0:$1"; cat /proc/$$/comm\' "$@"\necho never\n';
    const result = await run("/usr/local/bin/entry 'a b' c; echo $?", { '/usr/local/bin/entry': script });
    expect(result).toEqual({ stdout: '/usr/local/bin/entry 2\na b:c\nsh\n0\n', stderr: '', status: 0 });
  });

  it.each([
    ['sh', 'sh: 1: exec: nope: not found\n'],
    ['bash', 'bash: line 1: exec: nope: not found\n'],
  ])('%s: exec of a command found nowhere ends the script with 127', async (shell, stderr) => {
    expect(await run(`${shell} -c 'exec nope; echo after'; echo $?`)).toEqual({ stdout: '127\n', stderr, status: 0 });
  });
});
