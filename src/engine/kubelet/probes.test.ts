import { describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import { RESOURCES } from '../client/resources.ts';
import { fullNodeLab } from './testing.ts';

const yieldToHost = () => new Promise<void>((resolve) => setImmediate(resolve));

const nginxPod = (name: string, probe: string) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, labels: {app: web}}
spec:
  containers:
  - name: nginx
    image: nginx
    ports: [{name: http, containerPort: 80}]
    readinessProbe: ${probe}
`;

/** Container statuses reduced to what the probes decide. */
const brief = (p: Pod) => p.status?.containerStatuses?.map((s) => ({ ready: s.ready, started: s.started, restarts: s.restartCount, running: Boolean(s.state?.running), last: s.lastState?.terminated ? `${s.lastState.terminated.reason} ${s.lastState.terminated.exitCode}` : undefined }));

describe('Kubelet probes on a full node', () => {
  it('restarts a container whose exec liveness probe fails after `rm /tmp/healthy`, with the events', async () => {
    const { apply, tick, pod, events } = await fullNodeLab({ yieldToHost });
    await apply(`apiVersion: v1
kind: Pod
metadata: {name: liveness-exec}
spec:
  containers:
  - name: liveness
    image: busybox
    args: [/bin/sh, -c, "touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600"]
    livenessProbe:
      exec: {command: [cat, /tmp/healthy]}
      initialDelaySeconds: 5
      periodSeconds: 5
`);
    await tick(30_000);
    expect(brief(await pod('liveness-exec'))).toEqual([{ ready: true, started: true, restarts: 0, running: true, last: undefined }]);
    expect((await events('liveness-exec')).filter((e) => !e.startsWith('Normal'))).toEqual([]);
    await tick(20_000);
    const failed = "Warning Unhealthy: Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory\n";
    expect((await events('liveness-exec')).slice(-2)).toEqual([`${failed} (x3)`, 'Normal Killing: Container liveness failed liveness probe, will be restarted']);
    // sh as pid 1 ignores SIGTERM: SIGKILL comes after the 30s grace period, and the container starts again.
    await tick(32_000);
    expect(brief(await pod('liveness-exec'))).toEqual([{ ready: true, started: true, restarts: 1, running: true, last: 'Error 137' }]);
    expect((await events('liveness-exec')).map((e) => e.replace(/ in [\d.]+m?s \([\d.]+m?s including waiting\)\. Image size: \d+ bytes\./, ''))).toEqual([
      'Normal Scheduled: Successfully assigned default/liveness-exec to worker-1',
      'Normal Pulling: Pulling image "busybox" (x2)',
      'Normal Pulled: Successfully pulled image "busybox"',
      'Normal Created: Created container liveness (x2)',
      'Normal Started: Started container liveness (x2)',
      `${failed} (x3)`,
      'Normal Killing: Container liveness failed liveness probe, will be restarted',
      'Normal Pulled: Successfully pulled image "busybox"',
    ]);
  });

  it('keeps a pod 0/1 whose readiness httpGet port nobody listens on, and out of its Service’s ready endpoints', async () => {
    const { apply, tick, pod, events, sh, client } = await fullNodeLab({ yieldToHost });
    await apply(`apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: http}]
---
${nginxPod('web-ok', '{httpGet: {path: /, port: http}, periodSeconds: 5}')}---
${nginxPod('web-bad', '{httpGet: {path: /healthz, port: 8080}, periodSeconds: 5}')}`);
    await tick(40_000);
    const bad = await pod('web-bad');
    const ok = await pod('web-ok');
    expect(brief(ok)).toEqual([{ ready: true, started: true, restarts: 0, running: true, last: undefined }]);
    expect(brief(bad)).toEqual([{ ready: false, started: true, restarts: 0, running: true, last: undefined }]);
    expect(bad.status?.conditions?.filter((c) => c.type === 'Ready' || c.type === 'ContainersReady').map((c) => `${c.type}=${c.status} ${c.reason}: ${c.message}`)).toEqual([
      'Ready=False ContainersNotReady: containers with unready status: [nginx]',
      'ContainersReady=False ContainersNotReady: containers with unready status: [nginx]',
    ]);
    const failures = (await events('web-bad')).filter((e) => e.startsWith('Warning'));
    expect(failures).toHaveLength(1);
    const ip = bad.status?.podIP ?? '';
    expect(failures[0]?.replace(/ \(x\d+\)$/, '')).toBe(`Warning Unhealthy: Readiness probe failed: Get "http://${ip}:8080/healthz": dial tcp ${ip}:8080: connect: connection refused`);
    expect((await sh('kubectl get pods')).replace(/ +\d+s\n/g, ' AGE\n')).toBe('NAME      READY   STATUS    RESTARTS   AGE\nweb-bad   0/1     Running   0 AGE\nweb-ok    1/1     Running   0 AGE\n');
    const slices = (await client.resource(RESOURCES.endpointslices).list('default')).items as unknown as EndpointSlice[];
    const endpoints = slices.filter((s) => s.metadata?.labels?.['kubernetes.io/service-name'] === 'web').flatMap((s) => s.endpoints.map((e) => `${e.targetRef?.name} ready=${e.conditions?.ready}`));
    expect(endpoints.sort()).toEqual(['web-bad ready=false', 'web-ok ready=true']);
    // The successful probes are in nginx's access log, from the node's bridge address.
    expect((await sh('kubectl logs web-ok')).split('\n').filter((l) => l.includes('kube-probe'))[0]).toMatch(/^10\.244\.0\.1 - - \[01\/Jan\/2026:00:00:\d\d \+0000\] "GET \/ HTTP\/1\.1" 200 615 "-" "kube-probe\/1\.32" "-"$/);
  });

  it('holds liveness off until the startup probe succeeds', async () => {
    const { apply, tick, pod, events } = await fullNodeLab({ yieldToHost });
    await apply(`apiVersion: v1
kind: Pod
metadata: {name: slow}
spec:
  containers:
  - name: app
    image: busybox
    args: [/bin/sh, -c, "sleep 20; touch /tmp/started; sleep 600"]
    startupProbe:
      exec: {command: [cat, /tmp/started]}
      periodSeconds: 5
      failureThreshold: 10
    livenessProbe:
      exec: {command: [cat, /tmp/started]}
      periodSeconds: 1
      failureThreshold: 1
`);
    await tick(15_000);
    expect(brief(await pod('slow'))).toEqual([{ ready: false, started: false, restarts: 0, running: true, last: undefined }]);
    await tick(20_000);
    expect(brief(await pod('slow'))).toEqual([{ ready: true, started: true, restarts: 0, running: true, last: undefined }]);
    const warnings = (await events('slow')).filter((e) => e.startsWith('Warning'));
    expect(warnings).toEqual(["Warning Unhealthy: Startup probe failed: cat: can't open '/tmp/started': No such file or directory\n (x4)"]);
  });

  it('restarts a container whose startup probe never succeeds', async () => {
    const { apply, tick, pod, events } = await fullNodeLab({ yieldToHost });
    await apply(`apiVersion: v1
kind: Pod
metadata: {name: never}
spec:
  containers:
  - name: app
    image: nginx
    startupProbe:
      tcpSocket: {port: 8080}
      periodSeconds: 2
      failureThreshold: 3
      terminationGracePeriodSeconds: 1
`);
    let ev: string[] = [];
    for (let i = 0; i < 30 && !ev.some((e) => e.includes('Killing')); i++) {
      await tick(1000);
      ev = await events('never');
    }
    const ip = (await pod('never')).status?.podIP ?? '';
    expect(ev.filter((e) => e.includes('probe'))).toEqual([`Warning Unhealthy: Startup probe failed: dial tcp ${ip}:8080: connect: connection refused (x3)`, 'Normal Killing: Container app failed startup probe, will be restarted']);
    await tick(1000);
    expect(brief(await pod('never'))).toEqual([{ ready: false, started: false, restarts: 1, running: true, last: 'Completed 0' }]);
  });
});
