import { describe, expect, it } from 'vitest';
import { DEFAULT_EPOCH } from '../base/clock.ts';
import { EXIT_GAVE_UP, runHeadless } from './headless.ts';
import { Lab } from './lab.ts';

const yieldToHost = () => new Promise<void>((resolve) => setImmediate(resolve));

async function run(script: string, opts: { scriptName?: string; seed?: number } = {}) {
  const lab = new Lab({ seed: opts.seed ?? 1 });
  let stdout = '';
  let stderr = '';
  const status = await runHeadless(lab, script, {
    scriptName: opts.scriptName,
    yieldToHost,
    onOutput: (c) => (c.stream === 'stdout' ? (stdout += c.text) : (stderr += c.text)),
  });
  return { status, stdout, stderr, lab };
}

describe('runHeadless', () => {
  it('prints what commands write, with plain newlines, and exits with the last status', async () => {
    expect(await run('echo hi\necho -n a; echo b\n')).toMatchObject({ status: 0, stdout: 'hi\nab\n', stderr: '' });
  });

  it('reports unknown commands as bash does for stdin and for a file', async () => {
    expect(await run('echo a\nfoo\n')).toMatchObject({ status: 127, stdout: 'a\n', stderr: 'bash: line 2: foo: command not found\n' });
    expect(await run('foo', { scriptName: 'setup.sh' })).toMatchObject({ stderr: 'setup.sh: line 1: foo: command not found\n' });
  });

  it('advances virtual time only while a command waits on it', async () => {
    const { stdout, lab, status } = await run('date +%s\nsleep 90\ndate +%s\nsleep 1.5 2m\ndate +%T.%N');
    expect(status).toBe(0);
    const start = DEFAULT_EPOCH / 1000;
    expect(stdout).toBe(`${start}\n${start + 90}\n00:03:31.500000000\n`);
    expect(lab.clock.now()).toBe(DEFAULT_EPOCH + 211_500);
  });

  it('runs && / || / ; with bash semantics and $?', async () => {
    const { stdout } = await run('false_cmd && echo no || echo "status $?"\necho one; echo two\nsleep x || echo "after $?"');
    expect(stdout).toBe('status 127\none\ntwo\nafter 1\n');
  });

  it('continues a quoted string across lines and reports an unclosed one', async () => {
    expect((await run('echo "a\nb"')).stdout).toBe('a\nb\n');
    expect(await run('echo a\necho "x\n')).toMatchObject({ status: 2, stderr: "bash: line 3: unexpected EOF while looking for matching `\"'\n" });
  });

  it('stops at a syntax error with bash\'s two lines', async () => {
    expect(await run('echo a;;\necho b')).toMatchObject({
      status: 2,
      stdout: '',
      stderr: "bash: line 1: syntax error near unexpected token `;;'\nbash: line 1: `echo a;;'\n",
    });
  });

  it('pipes stdout into the next command', async () => {
    expect((await run('echo hello | echo piped')).stdout).toBe('piped\n');
  });

  it('honours exit N and stops there', async () => {
    expect(await run('echo a\nexit 3\necho b')).toMatchObject({ status: 3, stdout: 'a\n' });
  });

  it('gives up on a script that waits forever', async () => {
    const { status, stderr } = await run('sleep 100000000');
    expect(status).toBe(EXIT_GAVE_UP);
    expect(stderr).toBe('kubelab: stopped the script: it waited more than 86400s of virtual time\n');
  });

  it('is deterministic: same seed and script, same output', async () => {
    const script = 'echo $$\ndate\nsleep 3\ndate';
    const a = await run(script, { seed: 7 });
    const b = await run(script, { seed: 7 });
    expect(b.stdout).toBe(a.stdout);
    expect((await run(script, { seed: 8 })).stdout).not.toBe(a.stdout);
  });
});
