/**
 * `kubectl exec` on the trace: on the lab's default cluster (two full workers), one
 * `kubectl exec box -- hostname` shows up as the six steps of notes 003 — kubectl → the apiserver's
 * `POST pods/box/exec` (authenticated, authorized) → the kubelet's `/exec/default/box/box` → its CRI Exec
 * → the streaming URL the CRI returns → the connection to containerd's streaming server → the process
 * runc exec starts in the container — all carrying the API request's id and the session's token, in
 * order, on the virtual clock, on the cluster's own trace.
 */
import { describe, expect, it } from 'vitest';
import { KUBEADM_CLUSTER } from '../cluster/cluster.ts';
import { runHeadless } from '../cluster/headless.ts';
import { Lab } from '../cluster/lab.ts';
import type { TraceEvent } from './traceEvent.ts';

const yieldToHost = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The default cluster, booted and traced; scripts run in the laptop's shell. */
async function tracedCluster() {
  const lab = new Lab({ seed: 1, cluster: KUBEADM_CLUSTER });
  await lab.cluster.boot();
  const trace = lab.cluster.trace;
  /** Run a script; its stdout, stderr, exit status and the events traced meanwhile. */
  const run = async (script: string) => {
    const events: TraceEvent[] = [];
    const subscription = trace.onDidTrace((e) => events.push(e));
    let stdout = '';
    let stderr = '';
    const status = await runHeadless(lab, script, { yieldToHost, onOutput: (c) => (c.stream === 'stdout' ? (stdout += c.text) : (stderr += c.text)) });
    subscription.dispose();
    return { stdout, stderr, status, events };
  };
  return { lab, trace, run };
}

/** One line per event: who, what, and the detail that tells the steps apart. */
function step(e: TraceEvent): string {
  switch (e.component) {
    case 'apiserver':
      return `apiserver ${e.stage} ${e.outcome}${e.detail ? ` ${e.detail}` : ''}`;
    case 'kubelet':
      if (e.kind === 'serve') return `kubelet serve ${e.method} ${e.path} ${e.status}`;
      if (e.kind === 'runtimeCall') return `kubelet runtimeCall ${e.method}`;
      if (e.kind === 'connect') return 'kubelet connect';
      return `kubelet close ${e.status}`;
    case 'cri':
      return `cri ${e.method}${e.url ? ' url' : ''}${e.error ? ` ${e.error.code}` : ''}`;
    case 'streaming':
      return e.kind === 'refused' ? 'streaming refused' : `streaming ${e.kind} ${e.session}${e.kind === 'closed' && e.exitCode !== undefined ? ` ${e.exitCode}` : ''}`;
    case 'runtime':
      return e.kind === 'execStarted' ? `runtime execStarted ${e.argv?.join(' ')}` : `runtime execExited ${e.exitCode}`;
    case 'watch':
    case 'scheduler':
    case 'runc':
      return `${e.component} ${e.kind}`;
  }
}

/** The events of one API request, and that request's id: the exec of pod `name`. */
function execChain(events: readonly TraceEvent[], name: string) {
  const exec = events.find((e) => e.component === 'apiserver' && e.stage === 'storage' && e.name === name && e.detail === 'exec');
  const request = exec?.request;
  if (request === undefined) throw new Error(`no exec of ${name} traced`);
  return { request, chain: events.filter((e) => e.request === request) };
}

/** The first event of the chain matching `test`, and its place. */
function at<T extends TraceEvent>(chain: readonly TraceEvent[], test: (e: TraceEvent) => e is T): { e: T; i: number } {
  const i = chain.findIndex(test);
  if (i < 0) throw new Error('step not traced');
  return { e: chain[i] as T, i };
}

describe('kubectl exec on the trace', () => {
  it('shows the six steps of notes 003 in order, correlated, on the virtual clock', async () => {
    const { lab, trace, run } = await tracedCluster();
    expect((await run('kubectl run box --image=busybox -- sleep 3600; sleep 20')).status).toBe(0);
    const where = await run("kubectl get pod box -o jsonpath='{.spec.nodeName} {.status.containerStatuses[0].containerID}'");
    const [nodeName, containerUri] = where.stdout.split(' ') as [string, string];
    const containerId = containerUri.replace('containerd://', '');
    const node = lab.cluster.fullNodes.get(nodeName)!;

    const t0 = lab.clock.now();
    const { stdout, stderr, status, events } = await run('kubectl exec box -- hostname');
    const t1 = lab.clock.now();
    expect({ stdout, stderr, status }).toEqual({ stdout: 'box\n', stderr: '', status: 0 });

    const { request, chain } = execChain(events, 'box');
    expect(chain.map(step)).toEqual([
      'apiserver authentication ok kubernetes-admin',
      'apiserver authorization ok',
      'kubelet serve POST /exec/default/box/box 101',
      'apiserver storage ok exec',
      'kubelet runtimeCall Exec',
      'streaming requested exec',
      'cri Exec url',
      'kubelet connect',
      'streaming connected exec',
      'runtime execStarted hostname',
      'streaming started exec',
      'runtime execExited 0',
      'streaming closed exec 0',
      'kubelet close Success',
    ]);

    // 1. kubectl → the apiserver: POST pods/box/exec, authenticated and authorized.
    const authn = at(chain, (e): e is Extract<TraceEvent, { component: 'apiserver' }> => e.component === 'apiserver' && e.stage === 'authentication');
    expect(authn.e).toMatchObject({ verb: 'create', resource: 'pods', namespace: 'default', name: 'box', outcome: 'ok' });
    // 2. the apiserver → the kubelet on the pod's node: /exec/<ns>/<pod>/<container>.
    const served = at(chain, (e): e is Extract<TraceEvent, { kind: 'serve' }> => e.component === 'kubelet' && e.kind === 'serve');
    expect(served.e).toMatchObject({ node: nodeName, handler: 'exec', pod: 'box', container: 'box', command: ['hostname'], status: 101 });
    // 3. the kubelet → the CRI's Exec, for the pod's container.
    const criExec = at(chain, (e): e is Extract<TraceEvent, { component: 'cri' }> => e.component === 'cri' && e.method === 'Exec');
    expect(criExec.e).toMatchObject({ node: nodeName, service: 'RuntimeService', target: containerId });
    expect(criExec.e.error).toBeUndefined();
    // 4. the CRI returns the streaming server's URL: the session's token.
    const token = criExec.e.stream!;
    expect(criExec.e.url).toBe(`${node.cri.streaming.baseUrl}/exec/${token}`);
    // 5. that URL is connected to.
    const connect = at(chain, (e): e is Extract<TraceEvent, { kind: 'connect' }> => e.component === 'kubelet' && e.kind === 'connect');
    expect(connect.e.url).toBe(criExec.e.url);
    const connected = at(chain, (e): e is Extract<TraceEvent, { component: 'streaming' }> => e.component === 'streaming' && e.kind === 'connected');
    // 6. runc exec: a process in the container's namespaces and cgroup, on the node's pid table.
    const started = at(chain, (e): e is Extract<TraceEvent, { kind: 'execStarted' }> => e.component === 'runtime' && e.kind === 'execStarted');
    const sleeper = node.host.table.list().find((p) => p.argv.join(' ') === 'sleep 3600')!;
    const links = Object.fromEntries(sleeper.nsLinks().map((l) => [l.name, l.link]));
    expect(started.e).toMatchObject({ node: nodeName, containerId, argv: ['hostname'], cgroup: sleeper.cgroup.path, containerPid: expect.any(Number) as number });
    for (const ns of ['net', 'uts', 'ipc', 'mnt', 'pid', 'cgroup']) expect(started.e.namespaces?.[ns]).toBe(links[ns]);
    expect(started.e.pid).toBeGreaterThan(sleeper.hostPid);
    const order = [authn.i, served.i, criExec.i, connect.i, connected.i, started.i];
    expect(order.every((i, k) => k === 0 || i > order[k - 1]!)).toBe(true);

    // Correlated: one request throughout, one session from the URL on, the node's parts on the node.
    expect(chain.every((e) => e.request === request)).toBe(true);
    expect(chain.filter((e) => e.component !== 'apiserver').every((e) => e.node === nodeName)).toBe(true);
    expect(chain.slice(chain.findIndex((e) => e.component === 'streaming')).filter((e) => e.component !== 'kubelet' || e.kind === 'connect').every((e) => e.stream === token)).toBe(true);
    // On the virtual clock: stamped within the run, never going back, in bus order.
    for (const [i, e] of chain.entries()) {
      expect(e.time).toBeGreaterThanOrEqual(t0);
      expect(e.time).toBeLessThanOrEqual(t1);
      if (i > 0) {
        expect(e.time).toBeGreaterThanOrEqual(chain[i - 1]!.time);
        expect(e.seq).toBeGreaterThan(chain[i - 1]!.seq);
      }
    }
    // A diagram opened now finds the exec in the ring.
    const kept = trace.recent();
    expect(kept.length).toBeLessThanOrEqual(trace.capacity);
    expect(kept.slice(-chain.length - 10).filter((e) => e.request === request)).toEqual(chain);
    // Plain data: what crosses the worker boundary survives structured cloning unchanged.
    expect(structuredClone(chain)).toEqual(chain);
  });

  it('follows a failed exec to its end: no process, the runtime error on the session and the kubelet', async () => {
    const { run } = await tracedCluster();
    expect((await run('kubectl run box --image=busybox -- sleep 3600; sleep 20')).status).toBe(0);
    const { stderr, status, events } = await run('kubectl exec box -- nosuch');
    expect(status).not.toBe(0);
    expect(stderr).toMatch(/executable file not found in \$PATH/);
    const { chain } = execChain(events, 'box');
    expect(chain.map(step)).toEqual([
      'apiserver authentication ok kubernetes-admin',
      'apiserver authorization ok',
      'kubelet serve POST /exec/default/box/box 101',
      'apiserver storage ok exec',
      'kubelet runtimeCall Exec',
      'streaming requested exec',
      'cri Exec url',
      'kubelet connect',
      'streaming connected exec',
      'streaming started exec',
      'streaming closed exec',
      'kubelet close Failure',
    ]);
    const closed = chain.find((e) => e.component === 'streaming' && e.kind === 'closed');
    expect(closed).toMatchObject({ error: expect.stringMatching(/executable file not found/) as string });
  });

  it("leaves an exec that comes through no API request (crictl on the node) with its session's token only", async () => {
    const { run } = await tracedCluster();
    expect((await run('kubectl run box --image=busybox -- sleep 3600; sleep 20')).status).toBe(0);
    const where = await run("kubectl get pod box -o jsonpath='{.spec.nodeName} {.status.containerStatuses[0].containerID}'");
    const [nodeName, containerUri] = where.stdout.split(' ') as [string, string];
    const { stdout, events } = await run(`ssh ${nodeName} crictl exec ${containerUri.replace('containerd://', '')} hostname`);
    expect(stdout).toBe('box\n');
    const started = events.find((e) => e.component === 'runtime' && e.kind === 'execStarted');
    expect(started).toMatchObject({ node: nodeName, argv: ['hostname'] });
    expect(started?.request).toBeUndefined();
    const session = events.filter((e) => e.stream !== undefined && e.stream === started?.stream).map(step);
    expect(session).toEqual(['streaming requested exec', 'cri Exec url', 'streaming connected exec', 'runtime execStarted hostname', 'streaming started exec', 'runtime execExited 0', 'streaming closed exec 0']);
    expect(events.some((e) => e.component === 'kubelet')).toBe(false);
  });
});
