/**
 * The lab's own `kubectl port-forward` over HttpTransport against a served full cluster: the laptop's
 * curl reaching nginx through it, over SPDY tunneled in a WebSocket (what kubelab serve offers first) and
 * over plain SPDY (an apiserver that refuses the tunnel, as one before 1.31 does), and a port nobody
 * listens on in the pod ending it as kubectl does.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ApiRequest, ApiResponse } from '../engine/apiserver/http.ts';
import { ADMIN_USER } from '../engine/apiserver/kubeApiserver.ts';
import { RealTimeDriver } from '../engine/base/realTimeDriver.ts';
import { KUBEADM_CLUSTER, Lab } from '../engine/cluster/index.ts';
import { NGINX_INDEX_HTML } from '../engine/runtime/registry/catalogue/nginxFiles.ts';
import { Interrupt } from '../engine/shell/command.ts';
import { curl } from '../engine/shell/commands/curl.ts';
import { kubectl } from '../engine/shell/commands/kubectl/kubectl.ts';
import { kubectlContext, runKubectl, type KubectlTarget } from '../engine/shell/commands/kubectl/testing.ts';
import { HttpTransport } from './httpTransport.ts';
import { ADMIN_TOKEN, startServer } from './serve.ts';

describe('kubectl port-forward over HttpTransport', () => {
  let lab: Lab;
  let driver: RealTimeDriver;
  const servers: Server[] = [];
  /** The served lab, and the same behind an apiserver that refuses the WebSocket tunnel. */
  const targets: Record<string, KubectlTarget> = {};

  async function serve(handle: (request: ApiRequest) => ApiResponse): Promise<KubectlTarget> {
    const server = await startServer({ handle }, 0, (e) => {
      throw e;
    });
    servers.push(server);
    const transport = new HttpTransport(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, ADMIN_TOKEN);
    return { clock: lab.clock, fs: lab.fs, kube: { transport } };
  }

  /** A command of the laptop's (curl) with the lab's clock, and so its loopback, where port-forward listens. */
  async function laptop(line: string) {
    const { ctx, out } = kubectlContext(targets.tunnel!, line);
    const code = await curl({ ...ctx, argv: ctx.argv.slice(1) });
    return { ...out, code };
  }

  /** `kubectl port-forward …` started, once it listens. */
  async function portForward(target: KubectlTarget, line: string) {
    const interrupt = new Interrupt();
    const { ctx, out } = kubectlContext(target, line, { interrupt });
    const done = kubectl(ctx);
    await vi.waitFor(() => expect(out.stdout).toContain('Forwarding from [::1]'), { timeout: 10_000 });
    return { out, done, interrupt };
  }

  beforeAll(async () => {
    lab = new Lab({ seed: 7, running: true, cluster: KUBEADM_CLUSTER });
    lab.authenticate(ADMIN_TOKEN, ADMIN_USER);
    await lab.cluster.apiserver.openapi.load();
    driver = new RealTimeDriver(lab.clock, { now: () => performance.now(), setTimer: (fn, ms) => { const t = setTimeout(fn, ms); return () => clearTimeout(t); } }, (e) => {
      throw e;
    });
    targets.tunnel = await serve((request) => lab.handle(request));
    targets.spdy = await serve((request) =>
      request.method === 'GET' && request.path.endsWith('/portforward')
        ? { status: 400, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'no tunnel here', reason: 'BadRequest', code: 400 }) }
        : lab.handle(request),
    );
    await lab.cluster.boot();
    await vi.waitFor(async () => expect((await runKubectl(targets.tunnel!, 'get sa default')).code).toBe(0), { timeout: 20_000, interval: 200 });
    expect((await runKubectl(targets.tunnel!, 'run web --image=nginx:1.27')).stdout).toBe('pod/web created\n');
    expect((await runKubectl(targets.tunnel!, 'wait --for=condition=Ready pod/web --timeout=30s')).stdout).toBe('pod/web condition met\n');
  }, 60_000);

  afterAll(async () => {
    driver?.dispose();
    for (const server of servers) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it.each([
    ['SPDY tunneled in a WebSocket', 'tunnel', 8080],
    ['SPDY', 'spdy', 8090],
  ])('over %s: curl localhost reaches nginx in the pod until Ctrl-C', { timeout: 30_000 }, async (_name, target, port) => {
    const pf = await portForward(targets[target]!, `port-forward pod/web ${port}:80`);
    expect(pf.out.stdout).toBe(`Forwarding from 127.0.0.1:${port} -> 80\nForwarding from [::1]:${port} -> 80\n`);
    expect(await laptop(`curl -s localhost:${port}`)).toEqual({ stdout: NGINX_INDEX_HTML, stderr: '', code: 0 });
    expect(await laptop(`curl -s http://127.0.0.1:${port}/ -o /tmp/index.html -w %{http_code}`)).toEqual({ stdout: '200', stderr: '', code: 0 });
    expect(lab.fs.readFile('/tmp/index.html')).toBe(NGINX_INDEX_HTML);
    pf.interrupt.fire();
    expect(await pf.done).toBe(0);
    expect(pf.out).toEqual({ stdout: `Forwarding from 127.0.0.1:${port} -> 80\nForwarding from [::1]:${port} -> 80\nHandling connection for ${port}\nHandling connection for ${port}\n`, stderr: '' });
  });

  it('a port nobody listens on in the pod: curl gets an empty reply, kubectl the error stream’s message', { timeout: 30_000 }, async () => {
    const pf = await portForward(targets.tunnel!, 'port-forward pod/web 8082:8081');
    expect(await laptop('curl -s localhost:8082')).toEqual({ stdout: '', stderr: '', code: 52 });
    expect(await pf.done).toBe(1);
    expect(pf.out.stdout).toBe('Forwarding from 127.0.0.1:8082 -> 8081\nForwarding from [::1]:8082 -> 8081\nHandling connection for 8082\n');
    expect(pf.out.stderr).toMatch(/^E\d{4} \d\d:\d\d:\d\d\.\d{6} +\d+ portforward\.go:413\] "Unhandled Error" err="an error occurred forwarding 8082 -> 8081: error forwarding port 8081 to pod [0-9a-f]{64}, uid : failed to execute portforward in network namespace .*connect: connection refused "\nerror: lost connection to pod\n$/);
  });

  it('a pod that does not exist: the server’s refusal, as kubectl prints it', async () => {
    expect(await runKubectl(targets.spdy!, 'port-forward pod/nope 8083:80')).toEqual({ stdout: '', stderr: 'Error from server (NotFound): pods "nope" not found\n', code: 1 });
  });
});
