import { describe, expect, it } from 'vitest';
import { bootShellHost, runIn } from '../../shell/host/testing.ts';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

async function run(script: string) {
  const { clock, shell } = bootShellHost();
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
  ])('%s', async (script, stdout, stderr, status) => {
    const result = await run(script);
    expect(result.stdout).toMatch(stdout);
    expect(result.stderr).toBe(stderr);
    expect(result.status).toBe(status);
  });
});
