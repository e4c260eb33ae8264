import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = path.resolve(import.meta.dirname, '../../bin/kubelab.js');

function kubelab(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { input, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('kubelab CLI', () => {
  it('runs stdin: `echo hi` prints hi and exits 0', () => {
    expect(kubelab(['run', '-'], 'echo hi\n')).toEqual({ status: 0, stdout: 'hi\n', stderr: '' });
  });

  it('exits with the last command\'s status and keeps stderr apart', () => {
    expect(kubelab(['run', '-'], 'echo a\nnope\n')).toEqual({ status: 127, stdout: 'a\n', stderr: 'bash: line 2: nope: command not found\n' });
  });

  it('runs a file, naming it in errors as bash does, on virtual time', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kubelab-'));
    const file = path.join(dir, 'lab.sh');
    writeFileSync(file, 'date\nsleep 3600\ndate\nmissing\n');
    const r = kubelab(['run', file]);
    expect(r.stdout).toBe('Thu Jan  1 00:00:00 UTC 2026\nThu Jan  1 01:00:00 UTC 2026\n');
    expect(r.stderr).toBe(`${file}: line 4: missing: command not found\n`);
    expect(r.status).toBe(127);
  });

  it('gives a clear error and exit 2 for a missing file', () => {
    expect(kubelab(['run', '/no/such/lab.sh'])).toEqual({ status: 2, stdout: '', stderr: 'kubelab run: cannot read /no/such/lab.sh: no such file or directory\n' });
  });

  it('gives the same output for the same --seed, and checks the seed', () => {
    const a = kubelab(['run', '-', '--seed', '9'], 'echo $$\n');
    expect(a.status).toBe(0);
    expect(kubelab(['run', '-', '--seed=9'], 'echo $$\n').stdout).toBe(a.stdout);
    expect(kubelab(['run', '-', '--seed', 'x'])).toMatchObject({ status: 2, stderr: expect.stringContaining('--seed needs an integer') });
  });

  it('prints help, and usage errors with exit 2', () => {
    const help = kubelab(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('kubelab run FILE');
    expect(kubelab(['frobnicate'])).toMatchObject({ status: 2, stderr: expect.stringContaining('unknown command "frobnicate"') });
    expect(kubelab(['run'])).toMatchObject({ status: 2, stderr: expect.stringContaining('missing FILE') });
  });
});
