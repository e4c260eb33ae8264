import { describe, expect, it } from 'vitest';
import { Scenario, defaultCluster, rows } from '../testing/scenarios/scenario.ts';
import { Lab } from './lab.ts';
import { KUBEADM_CLUSTER, KUBEADM_LIGHT_CLUSTER } from './cluster.ts';
import { LabImageError, type LabImage } from './labImage.ts';

describe('lab image: save and restore', () => {
  it('restores a lab as a cluster restored from an etcd backup: same objects, nodes rebooted, pods running again', async () => {
    const { lab, out } = await defaultCluster();
    await out('kubectl create deployment web --image=nginx --replicas=2; kubectl expose deployment web --port=80; kubectl create configmap settings --from-literal=colour=blue');
    await out('kubectl run box --image=busybox -- sleep 3600; echo hello > notes.txt; sleep 30');
    const before = await out('kubectl get deployment,service,configmap -o yaml');
    const podsBefore = rows(await out('kubectl get pods -o wide --no-headers'));
    const bootIDs = "kubectl get nodes -o jsonpath='{.items[*].status.nodeInfo.bootID}'";
    const bootsBefore = (await out(bootIDs)).split(' ');
    const image = JSON.parse(JSON.stringify(lab.save())) as unknown;
    const savedAt = lab.clock.now();

    const restored = new Scenario(new Lab({ seed: 99, cluster: KUBEADM_CLUSTER }));
    await restored.lab.cluster.boot();
    const report = restored.lab.load(image);
    expect(report.lost).toEqual(["the containers' processes, memory and files, and the nodes' pulled images (the nodes rebooted and started their pods afresh)"]);
    expect(restored.lab.clock.now()).toBe(savedAt);
    await restored.lab.cluster.boot();
    expect(await restored.out('kubectl get deployment,service,configmap -o yaml')).toBe(before);
    expect(await restored.out('cat notes.txt')).toBe('hello\n');
    await restored.out('sleep 60');
    const podsAfter = rows(await restored.out('kubectl get pods -o wide --no-headers'));
    expect(podsAfter.map((p) => [p[0], p[2], p[6]])).toEqual(podsBefore.map((p) => [p[0], 'Running', p[6]]));
    // Every node booted again: a new boot ID.
    const bootsAfter = (await restored.out(bootIDs)).split(' ');
    expect(bootsAfter).toHaveLength(3);
    for (const [i, id] of bootsAfter.entries()) expect(id).not.toBe(bootsBefore[i]);
    const page = await restored.out('kubectl exec box -- wget -qO- http://web');
    expect(page).toContain('<title>Welcome to nginx!</title>');
  }, 120_000);
});

describe('lab image: restoring in place', () => {
  it("goes back to the saved cluster in the same lab, and the diagrams' view follows it as after `lab reset`", async () => {
    const { lab, out } = await defaultCluster();
    lab.viewCluster();
    await out('kubectl create deployment web --image=nginx --replicas=2; sleep 20');
    const image = JSON.parse(JSON.stringify(lab.save())) as LabImage;
    await out('kubectl delete deployment web; kubectl create deployment other --image=nginx --replicas=3; sleep 60');
    const shown = () => Object.keys(lab.snapshot().added).filter((id) => /^(pods|deployments)\/default\//.test(id)).map((id) => id.replace(/-[a-z0-9]+-[a-z0-9]{5}$/, '-…'));
    expect(shown()).toEqual(['deployments/default/other', 'pods/default/other-…', 'pods/default/other-…', 'pods/default/other-…']);
    let resets = 0;
    lab.onDidReset(() => resets++);
    lab.load(image);
    expect(resets).toBe(1);
    expect(lab.clock.now()).toBe(image.clock.now);
    await out('sleep 60');
    expect(shown().sort()).toEqual(['deployments/default/web', 'pods/default/web-…', 'pods/default/web-…']);
    expect(await out('kubectl get pods -l app=web --no-headers -o custom-columns=STATUS:.status.phase')).toBe('Running\nRunning\n');
  }, 120_000);
});

describe('lab image: a light cluster', () => {
  it('brings back the same machines (nodes added later, a lab host changed), revision, compaction and IPs', async () => {
    const { lab, out } = new Scenario(new Lab({ seed: 3, cluster: KUBEADM_LIGHT_CLUSTER }));
    await lab.cluster.boot();
    await out('lab node add extra --cpu 8; lab host reset docker-host --cgroup v1 >/dev/null; kubectl create deployment web --image=nginx --replicas=3; sleep 20');
    lab.cluster.etcd.compact(lab.cluster.etcd.revision - 5);
    const pods = await out('kubectl get pods -o wide --no-headers');
    const nodes = await out('kubectl get nodes -o custom-columns=NAME:.metadata.name,CPU:.status.capacity.cpu,UID:.metadata.uid --no-headers');
    const { revision, compactRevision } = lab.cluster.etcd;
    const image = JSON.parse(JSON.stringify(lab.save())) as LabImage;
    expect(image.cluster.nodes.map((n) => n.name)).toEqual(['control-plane', 'worker-1', 'worker-2', 'extra']);
    expect(image.hosts['docker-host']).toEqual({ cpus: 2, memoryBytes: 4 * 1024 ** 3, cgroupVersion: 1 });

    const restored = new Scenario(new Lab());
    expect(restored.lab.load(image)).toEqual({ lost: [] });
    expect(restored.lab.cluster.etcd.revision).toBe(revision);
    expect(restored.lab.cluster.etcd.compactRevision).toBe(compactRevision);
    expect(restored.lab.seed).toBe(3);
    await restored.lab.cluster.boot();
    await restored.out('sleep 30');
    expect(await restored.out('kubectl get nodes -o custom-columns=NAME:.metadata.name,CPU:.status.capacity.cpu,UID:.metadata.uid --no-headers')).toBe(nodes);
    // Lightweight nodes run no processes: their pods keep their IPs and age across the reboot.
    expect(await restored.out('kubectl get pods -o wide --no-headers')).toBe(pods.replace(/ 20s /g, ' 50s '));
    expect(restored.lab.labHosts().find((h) => h.name === 'docker-host')).toMatchObject({ cgroupVersion: 1, running: false });
    // A restored lab is a function of its image: another lab, whatever its seed, does the same from it.
    const again = new Scenario(new Lab({ seed: 12345, startTime: Date.UTC(2031, 5, 1) }));
    again.lab.load(image);
    await again.out('sleep 30');
    const scale = 'kubectl scale deployment web --replicas=5 >/dev/null; sleep 10; kubectl get pods -o wide --no-headers; etcdctl get --prefix --keys-only /registry/pods | sort';
    expect(await again.out(scale)).toBe(await restored.out(scale));
    // `lab reset` boots the lab's own spec again, without the node added later.
    await restored.out('lab reset >/dev/null; sleep 5');
    expect(await restored.out('kubectl get nodes -o name')).toBe('node/control-plane\nnode/worker-1\nnode/worker-2\n');
  }, 60_000);
});

describe('lab image: what cannot be restored', () => {
  it("says so: the open shells and docker-host's containers and images", async () => {
    const { lab, out } = new Scenario(new Lab());
    const image = lab.save();
    await out('docker run -d --name web --entrypoint nginx nginx -g "daemon off;" >/dev/null 2>&1');
    lab.openSession({ tty: false }).start();
    const saved = lab.save();
    expect(saved.unsaved).toEqual({ sessions: 1, dockerContainers: 1, dockerImages: 1 });
    expect(lab.load(image)).toEqual({ lost: ['1 shell session', "docker-host's 1 container and 1 image"] });
    expect(await out('docker ps -a -q | wc -l')).toBe('0\n');
    // Loaded elsewhere, the image says what its own lab had.
    expect(new Lab().load(saved)).toEqual({ lost: ['1 shell session', "docker-host's 1 container and 1 image"] });
   }, 60_000);
});

describe('lab image: files', () => {
  it('keeps the student files with their modes, mtimes and any UTF-16 text, and only those', () => {
    const lab = new Lab();
    lab.fs.mkdir('/home/student/.kube', { recursive: true });
    lab.fs.writeFile('/home/student/.kube/config', 'apiVersion: v1\n');
    lab.fs.chmod('/home/student/.kube/config', 0o600);
    const binary = 'a\u0000b\uffff\ud800\u00e9中';
    lab.fs.writeFile('/tmp/blob', binary);
    lab.clock.advance(60_000);
    lab.fs.mkdir('/home/student/empty');
    const image = JSON.parse(JSON.stringify(lab.save())) as LabImage;
    expect(image.files.map((f) => f.path)).toEqual(['/home/student', '/home/student/.kube', '/home/student/.kube/config', '/home/student/empty', '/tmp', '/tmp/blob']);

    const other = new Lab({ startTime: Date.UTC(2030, 0, 1) });
    other.fs.writeFile('/home/student/stale', 'x');
    other.load(image);
    expect(other.fs.readdir('/home/student')).toEqual(['.kube', 'empty']);
    expect(other.fs.stat('/home/student/.kube/config')).toMatchObject({ mode: 0o600, mtimeMs: image.files[2]!.mtimeMs });
    expect(other.fs.stat('/home/student/empty')).toMatchObject({ type: 'dir', mtimeMs: lab.clock.now() });
    expect(other.fs.readFile('/tmp/blob')).toBe(binary);
    expect(other.fs.readFile('/etc/passwd')).toContain('student:x:1000');
  });
});

describe('lab image: a bad image is refused and the lab is untouched', () => {
  const good = async () => {
    const scenario = new Scenario(new Lab({ seed: 4 }));
    await scenario.out('kubectl create configmap keep --from-literal=a=b; echo mine > mine.txt');
    return { scenario, image: JSON.parse(JSON.stringify(scenario.lab.save())) as LabImage };
  };
  const snapshotOf = (image: LabImage) => image.cluster.etcd;

  it.each<[string, (image: LabImage) => unknown, string]>([
    ['not an object', () => 'kubelab', 'lab image: expected an object, got "kubelab"'],
    ['an array', () => [], 'lab image: expected an object, got an array'],
    ['another format', (i) => ({ ...i, format: 'excalidraw' }), 'lab image: format: expected "kubelab-lab", got "excalidraw": not a Kubelab lab'],
    ['a newer version', (i) => ({ ...i, version: 7 }), 'lab image: version 7 is newer than this Kubelab understands (1)'],
    ['no version', (i) => ({ ...i, version: undefined }), 'lab image: version: expected an integer from 1 to 9007199254740991, got nothing'],
    ['a truncated etcd snapshot', (i) => ({ ...i, cluster: { ...i.cluster, etcd: snapshotOf(i).slice(0, 200) } }), 'lab image: etcd snapshot: not an etcd snapshot'],
    ['an altered etcd snapshot', (i) => ({ ...i, cluster: { ...i.cluster, etcd: snapshotOf(i).replace('configmaps/default/keep', 'configmaps/default/kept') } }), 'lab image: etcd snapshot: checksum mismatch'],
    ['a snapshot that is a number', (i) => ({ ...i, cluster: { ...i.cluster, etcd: 42 } }), 'lab image: etcd snapshot: expected a string, got number 42'],
    ['a file outside the student directories', (i) => ({ ...i, files: [{ path: '/etc/passwd', type: 'file', mode: 0o644, mtimeMs: 0, data: 'root::0:0::/:/bin/sh\n' }, ...i.files] }), 'lab image: files[0].path: /etc/passwd is outside /home/student and /tmp'],
    ['a path climbing out', (i) => ({ ...i, files: [{ path: '/tmp/../etc/x', type: 'file', mode: 0o644, mtimeMs: 0, data: '' }, ...i.files] }), 'lab image: files[0].path: "/tmp/../etc/x" is not an absolute, normalised path'],
    ['a file before its directory', (i) => ({ ...i, files: [{ path: '/tmp/a/b', type: 'file', mode: 0o644, mtimeMs: 0, data: '' }, ...i.files] }), 'lab image: files[0].path: its directory /tmp/a does not come before it in the image'],
    ['a symlink', (i) => ({ ...i, files: [{ path: '/tmp/link', type: 'symlink', mode: 0o777, mtimeMs: 0 }, ...i.files] }), 'lab image: files[0].type: expected "file" or "dir", got "symlink"'],
    ['a mode that is text', (i) => ({ ...i, files: i.files.map((f, n) => (n === 0 ? { ...f, mode: '755' } : f)) }), 'lab image: files[0].mode: expected an integer from 0 to 4095, got "755"'],
    ['a clock that is text', (i) => ({ ...i, clock: { ...i.clock, now: 'yesterday' } }), 'lab image: clock.now: expected a number, got "yesterday"'],
    ['a speed out of range', (i) => ({ ...i, clock: { ...i.clock, speed: 1000 } }), 'lab image: clock.speed: expected 0.25 to 100, got 1000'],
    ['a node with a bad address', (i) => ({ ...i, cluster: { ...i.cluster, nodes: [{ name: 'n1', address: '300.1.1.1', podCIDR: '10.244.0.0/24' }] } }), 'lab image: cluster.nodes[0].address: "300.1.1.1" is not an IPv4 address'],
    ['a node listed twice', (i) => ({ ...i, cluster: { ...i.cluster, nodes: [{ name: 'n1', address: '172.18.0.2', podCIDR: '10.244.0.0/24' }], fullNodes: [{ name: 'n1', address: '172.18.0.3', podCIDR: '10.244.1.0/24' }] } }), 'lab image: cluster.fullNodes[0].name: node n1 is listed twice'],
    ['an unknown lab host', (i) => ({ ...i, hosts: { ...i.hosts, mainframe: { cpus: 64, memoryBytes: 1, cgroupVersion: 2 } } }), 'lab image: hosts.mainframe: this lab has no host named mainframe'],
    ['no cluster', (i) => ({ ...i, cluster: undefined }), 'lab image: cluster: expected an object, got nothing'],
  ])('refuses %s', async (_name, corrupt, message) => {
    const { scenario, image } = await good();
    scenario.lab.clock.advance(1000);
    const now = scenario.lab.clock.now();
    const cluster = scenario.lab.cluster;
    expect(() => scenario.lab.load(corrupt(image))).toThrow(new LabImageError(message));
    expect(scenario.lab.cluster).toBe(cluster);
    expect(scenario.lab.clock.now()).toBe(now);
    expect(await scenario.out('kubectl get configmap keep -o jsonpath={.data.a}; cat mine.txt')).toBe('bmine\n');
  });
});
