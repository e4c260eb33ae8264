/**
 * The kubelet on the lab's default cluster (a light control plane, two full workers, metrics-server),
 * as a student meets it in the laptop's terminal: a memory hog OOM-killed into CrashLoopBackOff, init
 * containers in order, `kubectl exec`, `kubectl logs -f` and `--previous`, the nodes' own view
 * (`ssh worker-1 crictl ps`, `ps -ef --forest`) agreeing with `kubectl get pods -o wide`, `kubectl top`
 * and an HPA scaling a Deployment under load. `sleep` in a script moves virtual time. Probes are left to
 * their own tests.
 */
import { describe, expect, it } from 'vitest';
import { defaultCluster, lines, rows, write } from './scenario.ts';

/** Ages ("60s", "2m30s") as `AGE`, so a table reads the same whatever the exact second. */
const ages = (text: string) => text.replace(/\b\d+m\d+s\b|\b\d+[smh]\b/g, 'AGE');


const HOG = `apiVersion: v1
kind: Pod
metadata:
  name: hog
spec:
  containers:
  - name: stress
    image: polinux/stress
    command: ["stress"]
    args: ["--vm", "1", "--vm-bytes", "100M", "--vm-hang", "1"]
    resources:
      limits:
        memory: 64Mi
`;

const INIT = `apiVersion: v1
kind: Pod
metadata:
  name: init
spec:
  initContainers:
  - {name: first, image: busybox, command: [sh, -c, "echo first done; sleep 5"]}
  - {name: second, image: busybox, command: [sh, -c, "echo second done; sleep 5"]}
  containers:
  - {name: app, image: busybox, command: [sh, -c, "echo app up; sleep 3600"]}
`;

const AUTOSCALED = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: app
        image: polinux/stress
        command: [sh, -c, "trap 'exit 0' TERM; while true; do sleep 1; done"]
        resources:
          requests: {cpu: 200m}
          limits: {cpu: 500m}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 1
  maxReplicas: 5
  metrics:
  - type: Resource
    resource:
      name: cpu
      target: {type: Utilization, averageUtilization: 50}
`;

/** The messages of the events with `reason` (about `name` when given), oldest first. */
const eventMessages = (reason: string, name?: string) =>
  `kubectl get events --sort-by=.firstTimestamp --field-selector reason=${reason}${name ? `,involvedObject.name=${name}` : ''} -o jsonpath='{range .items[*]}{.message}{"\\n"}{end}'`;

describe('the kubelet on the default cluster', () => {
  it('OOM-kills a pod allocating 100M under a 64Mi limit, restarts it with backoff, and shows CrashLoopBackOff', async () => {
    const { out } = await defaultCluster();
    expect(await out(`${write('hog.yaml', HOG)}kubectl apply -f hog.yaml`)).toBe('pod/hog created\n');
    expect(await out('sleep 60; kubectl get pods')).toBe('NAME   READY   STATUS             RESTARTS      AGE\nhog    0/1     CrashLoopBackOff   3 (29s ago)   60s\n');
    const described = await out('kubectl describe pod hog');
    const uid = (await out("kubectl get pod hog -o jsonpath='{.metadata.uid}'")).trim();
    expect(described).toContain(
      [
        '    State:          Waiting',
        '      Reason:       CrashLoopBackOff',
        '    Last State:     Terminated',
        '      Reason:       OOMKilled',
        '      Exit Code:    137',
        '      Started:      Thu, 01 Jan 2026 00:01:31 +0000',
        '      Finished:     Thu, 01 Jan 2026 00:01:31 +0000',
        '    Ready:          False',
        '    Restart Count:  3',
        '    Limits:',
        '      memory:  64Mi',
        '    Requests:',
        '      memory:     64Mi',
        '',
      ].join('\n'),
    );
    expect(described).toContain('QoS Class:                   Burstable\n');
    // Restarted at once after the first OOM kill, then 10s and 20s after the next ones (the 40s back-off
    // runs now); every sync inside a back-off is a BackOff event.
    const events = described.slice(described.indexOf('Events:'));
    expect(events).toMatch(/ {2}Normal {3}Scheduled {2}60s {16}default-scheduler {2}Successfully assigned default\/hog to worker-\d\n/);
    expect(events).toContain('  Normal   Started    29s (x4 over 60s)  kubelet            Started container stress\n');
    expect(events).toContain(`  Warning  BackOff    28s (x3 over 58s)  kubelet            Back-off restarting failed container stress in pod hog_default(${uid})\n`);
  });

  it('runs init containers one after another before the app container', async () => {
    const { out } = await defaultCluster();
    await out(`${write('init.yaml', INIT)}kubectl apply -f init.yaml`);
    const seen: string[] = [];
    for (let i = 0; i < 20; i++) {
      const status = rows(await out('sleep 1; kubectl get pod init --no-headers'))[0]![2]!;
      if (seen[seen.length - 1] !== status) seen.push(status);
    }
    expect(seen.filter((s) => s !== 'Pending' && s !== 'PodInitializing')).toEqual(['Init:0/2', 'Init:1/2', 'Running']);
    expect(await out('kubectl logs init -c first; kubectl logs init -c second; kubectl logs init -c app')).toBe('first done\nsecond done\napp up\n');
    expect(lines(await out(eventMessages('Started', 'init')))).toEqual(['Started container first', 'Started container second', 'Started container app']);
  });

  it("execs into a pod: the container's hostname, its own processes and its image's files", async () => {
    const { out, run } = await defaultCluster();
    await out('kubectl run box --image=busybox -- sleep 3600; kubectl run web --image=nginx; sleep 20');
    expect(await out('kubectl exec box -- hostname')).toBe('box\n');
    const ps = rows(await out('kubectl exec box -- ps'));
    expect(ps.map((r) => [r[0], r.slice(3).join(' ')])).toEqual([
      ['PID', 'COMMAND'],
      ['1', 'sleep 3600'],
      [ps[2]![0], 'ps'],
    ]);
    expect(await out('kubectl exec web -- ls /usr/share/nginx/html; kubectl exec web -- cat /etc/hostname')).toBe('50x.html\nindex.html\nweb\n');
    expect(await out("kubectl exec box -- sh -c 'echo hello > /tmp/note; cat /tmp/note'")).toBe('hello\n');
    // The nginx image has no ps, as on Docker Hub.
    const noPs = await run('kubectl exec web -- ps');
    expect(noPs.status).toBe(1);
    expect(noPs.stderr).toMatch(/^error: Internal error occurred: error executing command in container: .*exec: "ps": executable file not found in \$PATH: unknown\n$/);
  });

  it('streams logs with -f until the container exits, and shows the previous run after a restart', async () => {
    const { lab, out } = await defaultCluster();
    await out("kubectl run count --image=busybox --restart=Never -- sh -c 'for i in 1 2 3 4 5; do echo line $i; sleep 1; done'; sleep 3");
    const before = lab.clock.now();
    expect(await out('kubectl logs -f count')).toBe('line 1\nline 2\nline 3\nline 4\nline 5\n');
    expect(lab.clock.now() - before).toBeGreaterThanOrEqual(2_000);
    expect(rows(await out('kubectl get pod count --no-headers'))[0]!.slice(1, 3)).toEqual(['0/1', 'Completed']);

    await out("kubectl run crash --image=busybox -- sh -c 'echo started at $(date +%s); sleep 3; exit 1'; sleep 20");
    const current = await out('kubectl logs crash');
    const previous = await out('kubectl logs crash --previous');
    expect(current).toMatch(/^started at \d+\n$/);
    expect(previous).toMatch(/^started at \d+\n$/);
    expect(Number(current.split(' ')[2]) - Number(previous.split(' ')[2])).toBeGreaterThanOrEqual(10);
  });

  it("agrees with itself: each node's crictl ps and process tree hold the pods kubectl places there", async () => {
    const { out } = await defaultCluster();
    await out('kubectl create deployment web --image=nginx --replicas=4; sleep 30');
    const wide = rows(await out('kubectl get pods -o wide --no-headers'));
    expect(wide.map((r) => r[2])).toEqual(['Running', 'Running', 'Running', 'Running']);
    for (const node of ['worker-1', 'worker-2']) {
      const here = wide
        .filter((r) => r[6] === node)
        .map((r) => r[0]!)
        .sort();
      // kube-system's pods (kube-proxy, CoreDNS) run there too: crictl lists by the pod's namespace label.
      const crictl = rows(await out(`ssh ${node} crictl ps --namespace default`)).slice(1);
      expect(crictl.map((r) => r[r.length - 2]!).sort()).toEqual(here);
      expect(crictl.every((r) => r[r.length - 1] === 'default' && r.includes('Running'))).toBe(true);
      // Under each pod's shim: nginx's master, and under it a worker per CPU (the node has two).
      const forest = lines(await out(`ssh ${node} ps -ef --forest`));
      expect(forest.filter((l) => /\\_ nginx: master process/.test(l))).toHaveLength(here.length);
      expect(forest.filter((l) => /\\_ nginx: worker process/.test(l))).toHaveLength(2 * here.length);
    }
  });

  it('shows a stress program in kubectl top, and an HPA scales the Deployment up under load and down after', async () => {
    const { out } = await defaultCluster();
    await out(`${write('web.yaml', AUTOSCALED)}kubectl apply -f web.yaml; sleep 60`);
    expect(ages(await out('kubectl get hpa'))).toBe('NAME   REFERENCE        TARGETS       MINPODS   MAXPODS   REPLICAS   AGE\nweb    Deployment/web   cpu: 0%/50%   1         5         1          AGE\n');
    const pod = (await out('kubectl get pods -o name')).trim();
    // The load: stress in the pod for 90 s, held to the container's 500m limit.
    expect(await out(`kubectl exec ${pod} -- stress --cpu 1 --timeout 90`)).toMatch(/^stress: info: \[\d+\] dispatching hogs: 1 cpu, 0 io, 0 vm, 0 hdd\nstress: info: \[\d+\] successful run completed in 90s\n$/);
    const top = rows(await out('kubectl top pod --no-headers'));
    expect(top.find((r) => `pod/${r[0]}` === pod)?.[1]).toBe('500m');
    expect(top).toHaveLength(5);
    expect(ages(await out('kubectl get hpa; kubectl get deploy web'))).toBe(
      'NAME   REFERENCE        TARGETS        MINPODS   MAXPODS   REPLICAS   AGE\nweb    Deployment/web   cpu: 50%/50%   1         5         5          AGE\nNAME   READY   UP-TO-DATE   AVAILABLE   AGE\nweb    5/5     5            5           AGE\n',
    );
    // Idle again: once the five-minute downscale stabilization window has passed, one replica.
    expect(ages(await out('sleep 400; kubectl get hpa; kubectl get deploy web'))).toBe(
      'NAME   REFERENCE        TARGETS       MINPODS   MAXPODS   REPLICAS   AGE\nweb    Deployment/web   cpu: 0%/50%   1         5         1          AGE\nNAME   READY   UP-TO-DATE   AVAILABLE   AGE\nweb    1/1     1            1           AGE\n',
    );
    // One SuccessfulRescale per write of the scale subresource, each with the size written: up as the
    // measured load grows (1 → 3 → 5), down as the five-minute-old high recommendations expire.
    expect(lines(await out(eventMessages('SuccessfulRescale')))).toEqual([
      'New size: 3; reason: cpu resource utilization (percentage of request) above target',
      'New size: 5; reason: cpu resource utilization (percentage of request) above target',
      'New size: 3; reason: All metrics below target',
      'New size: 1; reason: All metrics below target',
    ]);
    expect(lines(await out(eventMessages('ScalingReplicaSet', 'web')))).toEqual([
      expect.stringMatching(/^Scaled up replica set web-\w+ from 0 to 1$/),
      expect.stringMatching(/^Scaled up replica set web-\w+ from 1 to 3$/),
      expect.stringMatching(/^Scaled up replica set web-\w+ from 3 to 5$/),
      expect.stringMatching(/^Scaled down replica set web-\w+ from 5 to 3$/),
      expect.stringMatching(/^Scaled down replica set web-\w+ from 3 to 1$/),
    ]);
  }, 60_000);
});
