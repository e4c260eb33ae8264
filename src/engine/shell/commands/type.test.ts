import { describe, expect, it } from 'vitest';
import { runScript } from '../testing.ts';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

// What bash 5.2 prints for the same lines (its special builtins among them).
describe('type', () => {
  it.each([
    ['type exec', 'exec is a shell builtin\n', '', 0],
    ['type -t exec :', 'builtin\nbuiltin\n', '', 0],
    ['type : . set shift unset', ': is a shell builtin\n. is a shell builtin\nset is a shell builtin\nshift is a shell builtin\nunset is a shell builtin\n', '', 0],
    ['type find', 'find is /usr/bin/find\n', '', 0],
    ['type nope', '', 'bash: line 1: type: nope: not found\n', 1],
  ])('%s', async (script, stdout, stderr, status) => {
    expect(await runScript(script, { yieldToHost: tick })).toMatchObject({ stdout, stderr, status });
  });
});
