import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADMIN_USER } from '../engine/apiserver/kubeApiserver.ts';
import { RestClient } from '../engine/client/rest/restClient.ts';
import { Lab } from '../engine/cluster/index.ts';
import { ADMIN_TOKEN, startServer } from './serve.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/kubelab.js');

/** As `kubelab` below, without blocking this process (which may be serving the API the child calls). */
function kubelabAsync(args: string[], input: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(input);
  });
}

function kubelab(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { input, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

// Each test starts node + tsx (seconds on a busy machine), so the default 5 s is too tight.
describe('kubelab CLI', { timeout: 60_000 }, () => {
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

  it("run --server: the shell's kubectl works on that apiserver's state", async () => {
    const lab = new Lab({ seed: 5 });
    lab.cluster.authenticator.add(ADMIN_TOKEN, ADMIN_USER);
    const client = new RestClient(lab.kube.transport);
    await client.raw('POST', '/api/v1/namespaces/default/configmaps', {}, JSON.stringify({ metadata: { name: 'from-server' }, data: { greeting: 'hello' } }));
    const server = await startServer(lab.cluster, 0, (e) => {
      throw e;
    });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const script = [
        `kubectl get configmap from-server -o jsonpath='{.data.greeting}{"\\n"}'`,
        'kubectl apply -f - <<END',
        'apiVersion: v1',
        'kind: ConfigMap',
        'metadata:',
        '  name: from-run',
        'data:',
        '  made: by-run',
        'END',
        `kubectl config view -o jsonpath='{.clusters[0].cluster.server}{"\\n"}'`,
        'kubectl get configmap nope',
        '',
      ].join('\n');
      const r = await kubelabAsync(['run', '--server', url, '-'], script);
      expect(r).toEqual({ status: 1, stdout: `hello\nconfigmap/from-run created\n${url}\n`, stderr: 'Error from server (NotFound): configmaps "nope" not found\n' });
      // The object the run made is in the server's cluster.
      const made = JSON.parse((await client.raw('GET', '/api/v1/namespaces/default/configmaps/from-run')).body) as { data: Record<string, string> };
      expect(made.data).toEqual({ made: 'by-run' });
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("run --server: the script's laptop has curl on its loopback, where port-forward listens", async () => {
    const lab = new Lab({ seed: 5 });
    lab.cluster.authenticator.add(ADMIN_TOKEN, ADMIN_USER);
    const server = await startServer(lab.cluster, 0, (e) => {
      throw e;
    });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const r = await kubelabAsync(['run', '--server', url, '-'], 'type curl; curl -sS localhost:8080; echo "curl: $?"; kubectl port-forward pod/nope 8080:80\n');
      expect(r).toEqual({
        status: 1,
        stdout: 'curl is /usr/bin/curl\ncurl: 7\n',
        stderr: 'curl: (7) Failed to connect to localhost port 8080 after 0 ms: Couldn\'t connect to server\nError from server (NotFound): pods "nope" not found\n',
      });
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('run --server checks its URL', () => {
    expect(kubelab(['run', '--server', 'localhost:6443', '-'], '')).toEqual({ status: 2, stdout: '', stderr: `kubelab run: --server needs an http:// or https:// URL, got "localhost:6443"\nRun 'kubelab --help' for usage.\n` });
  });
});
