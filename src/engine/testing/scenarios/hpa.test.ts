/**
 * The HorizontalPodAutoscaler walkthrough of the Kubernetes documentation (tasks/run-application/
 * horizontal-pod-autoscale-walkthrough), on the lab's default cluster: the php-apache Deployment and
 * Service of registry.k8s.io/hpa-example (Apache with mod_php, each request computing a million square
 * roots), `kubectl autoscale … --cpu-percent=50 --min=1 --max=10`, and the walkthrough's load generator —
 * a busybox pod running `while sleep 0.01; do wget -q -O- http://php-apache; done`, the name found through
 * CoreDNS and the Service's ClusterIP DNATed to a pod by kube-proxy. The one pod is held to its 500m
 * limit (CFS throttling in its cgroup), the HPA's target climbs past 50% and it scales the Deployment up
 * until the load, spread over the replicas, sits at the target; with the load gone, the five-minute
 * downscale stabilization window passes and it is back to one replica. `sleep` in a script moves virtual
 * time.
 *
 * Left out: busybox:1.28, the walkthrough's tag (the catalogue has busybox 1.36), and `-i --tty --rm`
 * (the generator runs as a background pod and is deleted at the end).
 */
import { describe, expect, it } from 'vitest';
import { defaultCluster, lines, rows, write } from './scenario.ts';


/** application/php-apache.yaml of the walkthrough. */
const PHP_APACHE = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: php-apache
spec:
  selector:
    matchLabels:
      run: php-apache
  template:
    metadata:
      labels:
        run: php-apache
    spec:
      containers:
      - name: php-apache
        image: registry.k8s.io/hpa-example
        ports:
        - containerPort: 80
        resources:
          limits:
            cpu: 500m
          requests:
            cpu: 200m
---
apiVersion: v1
kind: Service
metadata:
  name: php-apache
  labels:
    run: php-apache
spec:
  ports:
  - port: 80
  selector:
    run: php-apache
`;

/** The HPA's TARGETS percentage and REPLICAS, from `kubectl get hpa php-apache --no-headers`. */
const hpaState = (text: string) => {
  const row = rows(text)[0]!;
  return { target: Number(/cpu: (\d+)%\/50%/.exec(text)![1]), replicas: Number(row[row.length - 2]) };
};

/** The messages of the events with `reason`, oldest first. */
const eventMessages = (reason: string) => `kubectl get events --sort-by=.firstTimestamp --field-selector reason=${reason} -o jsonpath='{range .items[*]}{.message}{"\\n"}{end}'`;

describe('the HPA walkthrough on the default cluster', () => {
  it('scales php-apache up under a wget loop, each pod throttled at its limit, and back to one after the load', async () => {
    const { out } = await defaultCluster();
    expect(await out(`${write('php-apache.yaml', PHP_APACHE)}kubectl apply -f php-apache.yaml`)).toBe('deployment.apps/php-apache created\nservice/php-apache created\n');
    expect(rows(await out('sleep 30; kubectl get deploy php-apache --no-headers'))[0]!.slice(0, 4)).toEqual(['php-apache', '1/1', '1', '1']);
    const first = (await out("kubectl get pods -l run=php-apache -o jsonpath='{.items[0].metadata.name} {.items[0].status.podIP}'")).split(' ');
    const [pod, podIp] = [first[0]!, first[1]!];
    // The php:5-apache image's startup, on its container's stderr.
    expect(lines(await out(`kubectl logs ${pod}`))).toEqual([
      ...Array(2).fill(`AH00558: apache2: Could not reliably determine the server's fully qualified domain name, using ${podIp}. Set the 'ServerName' directive globally to suppress this message`),
      expect.stringMatching(/^\[Thu Jan 01 00:01:\d\d\.\d{6} 2026\] \[mpm_prefork:notice\] \[pid 1\] AH00163: Apache\/2\.4\.10 \(Debian\) PHP\/5\.6\.18 configured -- resuming normal operations$/),
      expect.stringMatching(/^\[Thu Jan 01 00:01:\d\d\.\d{6} 2026\] \[core:notice\] \[pid 1\] AH00094: Command line: 'apache2 -D FOREGROUND'$/),
    ]);

    expect(await out('kubectl autoscale deployment php-apache --cpu-percent=50 --min=1 --max=10')).toBe('horizontalpodautoscaler.autoscaling/php-apache autoscaled\n');
    expect(hpaState(await out('sleep 30; kubectl get hpa php-apache --no-headers'))).toEqual({ target: 0, replicas: 1 });

    expect(await out('kubectl run load-generator --image=busybox:1.36 --restart=Never -- /bin/sh -c "while sleep 0.01; do wget -q -O- http://php-apache; done"')).toBe('pod/load-generator created\n');
    // One pod takes all the load, its cgroup held to the 500m limit: CFS grants it 50 ms of every 100 ms period.
    const cpuStat = async () => {
      const stat = await out(`kubectl exec ${pod} -- cat /sys/fs/cgroup/cpu.stat`);
      return { usage: Number(/usage_usec (\d+)/.exec(stat)![1]), throttled: Number(/nr_throttled (\d+)/.exec(stat)![1]) };
    };
    expect(await out(`kubectl exec ${pod} -- cat /sys/fs/cgroup/cpu.max`)).toBe('50000 100000\n');
    await out('sleep 10');
    const before = await cpuStat();
    await out('sleep 5');
    const after = await cpuStat();
    expect(after.usage - before.usage).toBeGreaterThan(2_450_000);
    expect(after.usage - before.usage).toBeLessThanOrEqual(2_500_000);
    expect(after.throttled - before.throttled).toBeGreaterThanOrEqual(45);
    // kubectl top agrees, within its window: metrics-server's first one for the pod began before the load did.
    const loaded = rows(await out('sleep 10; kubectl top pod --no-headers')).find((r) => r[0] === pod)!;
    const millicores = Number(loaded[1]!.replace(/m$/, ''));
    expect(millicores).toBeGreaterThan(200);
    expect(millicores).toBeLessThanOrEqual(500);
    const clientIp = (await out("kubectl get pod load-generator -o jsonpath='{.status.podIP}'")).trim();
    expect(lines(await out(`kubectl logs ${pod} | tail -1`))[0]).toMatch(new RegExp(`^${clientIp.replace(/\./g, '\\.')} - - \\[01/Jan/2026:00:0\\d:\\d\\d \\+0000\\] "GET / HTTP/1\\.1" 200 229 "-" "Wget"$`));

    // The HPA every 30 s for five minutes: the target well above 50%, the replicas growing until it is spread.
    const states = [hpaState(await out('kubectl get hpa php-apache --no-headers'))];
    expect(states[0]!.target).toBeGreaterThan(100);
    for (let i = 0; i < 10; i++) states.push(hpaState(await out('sleep 30; kubectl get hpa php-apache --no-headers')));
    expect(states.map((s) => s.replicas)).toEqual([...states.map((s) => s.replicas)].sort((a, b) => a - b));
    const settled = states.at(-1)!;
    expect(settled.replicas).toBeGreaterThanOrEqual(5);
    expect(settled.target).toBeGreaterThanOrEqual(40);
    expect(settled.target).toBeLessThanOrEqual(55);
    expect(rows(await out('kubectl get deploy php-apache --no-headers'))[0]!.slice(0, 4)).toEqual(['php-apache', `${settled.replicas}/${settled.replicas}`, `${settled.replicas}`, `${settled.replicas}`]);
    // Every replica serves: each has requests from the generator in its access log.
    for (const name of lines(await out("kubectl get pods -l run=php-apache -o jsonpath='{range .items[*]}{.metadata.name}{\"\\n\"}{end}'"))) {
      expect(await out(`kubectl logs ${name} | grep -c '"GET / HTTP/1.1" 200 229'`)).not.toBe('0\n');
    }

    // The load stops; the replicas stay for the five-minute stabilization window, then go back to one.
    expect(await out('kubectl delete pod load-generator')).toBe('pod "load-generator" deleted\n');
    expect(hpaState(await out('sleep 60; kubectl get hpa php-apache --no-headers'))).toEqual({ target: 0, replicas: settled.replicas });
    expect(hpaState(await out('sleep 300; kubectl get hpa php-apache --no-headers'))).toEqual({ target: 0, replicas: 1 });
    expect(rows(await out('kubectl get deploy php-apache --no-headers'))[0]!.slice(0, 4)).toEqual(['php-apache', '1/1', '1', '1']);
    // One SuccessfulRescale per write of the scale subresource: up as the measured load grows, down as
    // the five-minute-old recommendations expire.
    expect(lines(await out(eventMessages('SuccessfulRescale')))).toEqual([
      'New size: 3; reason: cpu resource utilization (percentage of request) above target',
      'New size: 4; reason: cpu resource utilization (percentage of request) above target',
      `New size: ${settled.replicas}; reason: cpu resource utilization (percentage of request) above target`,
      'New size: 2; reason: All metrics below target',
      'New size: 1; reason: All metrics below target',
    ]);
  }, 120_000);
});
