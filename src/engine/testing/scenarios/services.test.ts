/**
 * Services and cluster DNS on the lab's default cluster (a light control plane, two full workers), as a
 * student meets them: a Deployment exposed as a Service, a busybox pod that finds it by its short name
 * (`nslookup web`: busybox's own resolver over UDP to the kube-dns ClusterIP, answered by CoreDNS
 * through kube-proxy's DNAT, one query per search domain) and fetches nginx's page through it (`wget`:
 * glibc's resolver with search domains and ndots:5, then TCP to the ClusterIP DNATed to a pod on either
 * node), and a name nobody has failing as busybox says it.
 */
import { describe, expect, it } from 'vitest';
import { defaultCluster, rows } from './scenario.ts';


describe('Services and cluster DNS', () => {
  it('finds a Service by its short name from a busybox pod and fetches its page through kube-proxy', async () => {
    const { run, out } = await defaultCluster();
    await out('kubectl create deployment web --image=nginx --replicas=2');
    await out('kubectl expose deployment web --port=80');
    await out('kubectl run box --image=busybox -- sleep 3600; sleep 30');
    const pods = rows(await out('kubectl get pods -o wide --no-headers'));
    expect(pods.filter((p) => p[0]!.startsWith('web-')).map((p) => p[2])).toEqual(['Running', 'Running']);
    const web = pods.filter((p) => p[0]!.startsWith('web-'));
    expect(new Set(web.map((p) => p[6]))).toEqual(new Set(['worker-1', 'worker-2']));
    const boxIP = pods.find((p) => p[0] === 'box')![5]!;
    const clusterIP = (await out("kubectl get service web -o jsonpath='{.spec.clusterIP}'")).trim();
    expect(clusterIP).toMatch(/^10\.(9[6-9]|10[0-9]|11[01])\.\d+\.\d+$/);

    expect(await out('kubectl exec box -- cat /etc/resolv.conf')).toBe('search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n');

    const lookup = await run('kubectl exec box -- nslookup web');
    expect(lookup.stderr).toBe('command terminated with exit code 1\n');
    expect(lookup.stdout).toBe(
      'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n' +
        `Name:\tweb.default.svc.cluster.local\nAddress: ${clusterIP}\n\n` +
        "** server can't find web.svc.cluster.local: NXDOMAIN\n\n" +
        "** server can't find web.cluster.local: NXDOMAIN\n\n" +
        "*** Can't find web.default.svc.cluster.local: No answer\n\n" +
        "** server can't find web.svc.cluster.local: NXDOMAIN\n\n" +
        "** server can't find web.cluster.local: NXDOMAIN\n\n",
    );
    expect(await out('kubectl exec box -- nslookup web.default.svc.cluster.local 10.96.0.10')).toBe(
      'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n' + `Name:\tweb.default.svc.cluster.local\nAddress: ${clusterIP}\n\n` + "*** Can't find web.default.svc.cluster.local: No answer\n\n",
    );

    // Through the ClusterIP, many times: kube-proxy's random choice reaches both endpoints.
    for (let i = 0; i < 6; i++) {
      const page = await out('kubectl exec box -- wget -qO- http://web');
      expect(page).toContain('<title>Welcome to nginx!</title>');
    }
    for (const [name] of web) expect(await out(`kubectl logs ${name}`)).toContain(`${boxIP} - - [`);
    const loud = await run('kubectl exec box -- wget -O /tmp/index.html http://web');
    expect(loud.status).toBe(0);
    expect(loud.stderr).toBe(`Connecting to web (${clusterIP}:80)\nsaving to '/tmp/index.html'\n/tmp/index.html      100% |*******************************|   615   0:00:00 ETA\n'/tmp/index.html' saved\n`);

    const missing = await run('kubectl exec box -- wget -qO- http://nosuch');
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toBe("wget: bad address 'nosuch'\ncommand terminated with exit code 1\n");

    // A Service without endpoints: kube-proxy's REJECT answers the SYN.
    await out('kubectl create service clusterip empty --tcp=80:80; sleep 5');
    const emptyIP = (await out("kubectl get service empty -o jsonpath='{.spec.clusterIP}'")).trim();
    const refused = await run('kubectl exec box -- wget -qO- http://empty');
    expect(refused.stderr).toBe(`wget: can't connect to remote host (${emptyIP}): Connection refused\ncommand terminated with exit code 1\n`);

    // curl in the nginx image (Debian's glibc) resolves through the same search path.
    const [webPod] = web[0]!;
    expect(await out(`kubectl exec ${webPod} -- curl -s http://web`)).toContain('<title>Welcome to nginx!</title>');
    const unknown = await run(`kubectl exec ${webPod} -- curl -sS http://nosuch`);
    expect(unknown.stderr).toBe('curl: (6) Could not resolve host: nosuch\ncommand terminated with exit code 6\n');
    // From a node, the ClusterIP: kube-proxy's OUTPUT rules DNAT it to a pod on either worker; -w reports
    // the address curl dialled (conntrack keeps the translation out of its sight) and 000 for no answer.
    const webIP = (await out("kubectl get service web -o jsonpath='{.spec.clusterIP}'")).trim();
    // (ssh hands the remote shell one line: the format is quoted inside it, as with a real ssh.)
    expect(await out(`ssh worker-1 "curl -s -o /dev/null -w '%{http_code} %{remote_ip}:%{remote_port} %{size_download}\\n' http://${webIP}/"`)).toBe(`200 ${webIP}:80 615\n`);
    const noAnswer = await run(`ssh worker-1 "curl -s -w '%{http_code} %{exitcode} %{nosuch}\\n' http://${emptyIP}/"`);
    expect([noAnswer.stdout, noAnswer.stderr]).toEqual(['000 7 \n', "curl: unknown --write-out variable: 'nosuch'\n"]);
  }, 120_000);

  it('keeps a client on one pod with sessionAffinity: ClientIP (kube-proxy’s -m recent lists)', async () => {
    const { out } = await defaultCluster();
    await out('kubectl create deployment web --image=nginx --replicas=2; kubectl expose deployment web --port=80; kubectl run box --image=busybox -- sleep 3600; sleep 30');
    await out(`kubectl patch service web -p '{"spec":{"sessionAffinity":"ClientIP"}}'; sleep 5`);
    for (let i = 0; i < 8; i++) await out('kubectl exec box -- wget -qO- http://web >/dev/null');
    // Every request reached the same pod: one nginx logged eight, the other none.
    const served = (await out("for p in $(kubectl get pods -l app=web -o name); do kubectl logs $p | grep -c 'GET / HTTP/1.1' || true; done")).trim().split('\n').map(Number).sort();
    expect(served).toEqual([0, 8]);
    expect(await out("ssh worker-1 iptables-save -t nat | grep -c -- '-m recent --rcheck --seconds 10800 --reap'")).toBe('2\n');
  }, 120_000);
});
