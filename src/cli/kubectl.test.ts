/**
 * The real kubectl 1.32 (/usr/bin/kubectl) against `kubelab serve`: every expectation here is what kubectl
 * prints against a real 1.32 cluster holding the same objects. The lab's clock is paused, so ages are
 * exact (`0s` until the test advances it) and the run is the same every time.
 *
 * Skipped, loudly, on a machine without /usr/bin/kubectl (or $KUBECTL).
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_USER } from '../engine/apiserver/kubeApiserver.ts';
import { RealTimeDriver } from '../engine/base/realTimeDriver.ts';
import { KUBEADM_CLUSTER, Lab } from '../engine/cluster/index.ts';
import { runKubectl } from '../engine/shell/commands/kubectl/testing.ts';
import { HttpTransport } from './httpTransport.ts';
import { ADMIN_TOKEN, startServer, writeKubeconfig } from './serve.ts';

const KUBECTL = process.env.KUBECTL ?? '/usr/bin/kubectl';
const available = existsSync(KUBECTL);
if (!available) {
  console.warn(`\n*** SKIPPED: the real-kubectl tests: ${KUBECTL} is not on this machine (set $KUBECTL to run them) ***\n`);
}

interface Result {
  stdout: string;
  stderr: string;
  code: number;
}

describe.skipIf(!available)('the real kubectl 1.32 against kubelab serve', () => {
  let lab: Lab;
  let server: Server;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    lab = new Lab({ seed: 7 });
    lab.cluster.authenticator.add(ADMIN_TOKEN, ADMIN_USER);
    await lab.cluster.apiserver.openapi.load();
    server = await startServer(lab.cluster, 0, (e) => {
      throw e;
    });
    dir = mkdtempSync(join(tmpdir(), 'kubelab-kubectl-'));
    writeKubeconfig(join(dir, 'config'), (server.address() as AddressInfo).port);
    env = { PATH: process.env.PATH, HOME: dir, KUBECONFIG: join(dir, 'config') };
  });

  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function kubectl(line: string, input?: string): Promise<Result> {
    const args = splitArgs(line);
    return new Promise((resolve) => {
      const child = execFile(KUBECTL, args, { env, timeout: 20_000 }, (error, stdout, stderr) => {
        resolve({ stdout, stderr, code: error ? ((error as { code?: number }).code ?? 1) : 0 });
      });
      if (input !== undefined) child.stdin!.end(input);
    });
  }

  async function ok(line: string, input?: string): Promise<string> {
    const r = await kubectl(line, input);
    expect(r.stderr, `kubectl ${line}`).toBe('');
    expect(r.code, `kubectl ${line}`).toBe(0);
    return r.stdout;
  }

  const manifest = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: demo
  labels:
    app: web
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports:
        - containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: demo
spec:
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 80
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg
  namespace: demo
data:
  greeting: hello
`;

  it('version, api-versions, get --raw /version', async () => {
    expect(await ok('version')).toMatch(/^Client Version: v1\.32\.\S+\nKustomize Version: v5\.5\.0\nServer Version: v1\.32\.4\n$/);
    expect(await ok('api-versions')).toBe(
      ['apps/v1', 'authentication.k8s.io/v1', 'authorization.k8s.io/v1', 'autoscaling/v1', 'autoscaling/v2', 'batch/v1', 'coordination.k8s.io/v1', 'discovery.k8s.io/v1', 'networking.k8s.io/v1', 'policy/v1', 'rbac.authorization.k8s.io/v1', 'scheduling.k8s.io/v1', 'storage.k8s.io/v1', 'v1', ''].join('\n'),
    );
    const version = JSON.parse(await ok('get --raw /version')) as { gitVersion: string };
    expect(version.gitVersion).toBe('v1.32.4');
  });

  it('api-resources lists every kind with its short names', async () => {
    const out = await ok('api-resources');
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+SHORTNAMES\s+APIVERSION\s+NAMESPACED\s+KIND$/);
    expect(out).toMatch(/\npods\s+po\s+v1\s+true\s+Pod\n/);
    expect(out).toMatch(/\ndeployments\s+deploy\s+apps\/v1\s+true\s+Deployment\n/);
    expect(out).toMatch(/\nhorizontalpodautoscalers\s+hpa\s+autoscaling\/v2\s+true\s+HorizontalPodAutoscaler\n/);
    expect(out).toMatch(/\nnamespaces\s+ns\s+v1\s+false\s+Namespace\n/);
  });

  it('gets the system namespaces', async () => {
    expect(await ok('get ns')).toBe(`NAME              STATUS   AGE
default           Active   0s
kube-node-lease   Active   0s
kube-public       Active   0s
kube-system       Active   0s
`);
  });

  it('creates a namespace, applies a manifest, and applies it again unchanged', async () => {
    expect(await ok('create ns demo')).toBe('namespace/demo created\n');
    expect(await ok('apply -f -', manifest)).toBe('deployment.apps/web created\nservice/web created\nconfigmap/cfg created\n');
    expect(await ok('apply -f -', manifest)).toBe('deployment.apps/web unchanged\nservice/web unchanged\nconfigmap/cfg unchanged\n');
  });

  it('prints tables, wide tables, names, jsonpath, with selectors', async () => {
    lab.clock.advance(75_000);
    expect(await ok('get deploy -n demo -o wide')).toBe(`NAME   READY   UP-TO-DATE   AVAILABLE   AGE   CONTAINERS   IMAGES       SELECTOR
web    0/3     0            0           75s   nginx        nginx:1.27   app=web
`);
    expect(await ok('get cm -n demo')).toBe('NAME   DATA   AGE\ncfg    1      75s\n');
    expect(await ok('get deploy,svc,cm -n demo -o name')).toBe('deployment.apps/web\nservice/web\nconfigmap/cfg\n');
    expect(await ok(`get svc web -n demo -o jsonpath={.spec.type}/{.spec.sessionAffinity}/{.spec.ports[0].protocol}`)).toBe('ClusterIP/None/TCP');
    const ip = await ok('get svc web -n demo -o jsonpath={.spec.clusterIP}');
    expect(ip).toMatch(/^10\.(9[6-9]|1[01][0-9])\.\d+\.\d+$/);
    const width = Math.max('CLUSTER-IP'.length, ip.length);
    expect(await ok('get svc -n demo')).toBe(`NAME   TYPE        ${'CLUSTER-IP'.padEnd(width)}   EXTERNAL-IP   PORT(S)   AGE
web    ClusterIP   ${ip.padEnd(width)}   <none>        80/TCP    75s
`);
    expect(await ok('get deploy -A -l app=web -o name')).toBe('deployment.apps/web\n');
    const none = await kubectl('get deploy -A -l app!=web');
    expect([none.stdout, none.stderr, none.code]).toEqual(['', 'No resources found\n', 0]);
    const badSelector = await kubectl('get pods -l app=web,,');
    expect(badSelector.stderr).toBe('Error from server (BadRequest): Unable to find "/v1, Resource=pods" that match label selector "app=web,,", field selector "": found \',\', expected: identifier after \',\'\n');
    const badField = await kubectl('get pods --field-selector spec.image=x');
    expect(badField.stderr).toBe('Error from server (BadRequest): Unable to find "/v1, Resource=pods" that match label selector "", field selector "spec.image=x": field label not supported: spec.image\n');
    expect(await ok('get ns --field-selector metadata.name=demo -o name')).toBe('namespace/demo\n');
    const yaml = await ok('get deploy web -n demo -o yaml');
    expect(yaml).toContain('  progressDeadlineSeconds: 600\n');
    expect(yaml).toContain('      maxSurge: 25%\n');
    expect(yaml).toContain('        terminationMessagePath: /dev/termination-log\n');
    expect(yaml).toContain('    kubectl.kubernetes.io/last-applied-configuration: |\n');
    const json = JSON.parse(await ok('get deploy web -n demo -o json')) as { metadata: { generation: number; uid: string } };
    expect(json.metadata.generation).toBe(1);
    expect(json.metadata.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('labels, annotates, patches with all three types, and scales', async () => {
    expect(await ok('label deploy web -n demo tier=frontend')).toBe('deployment.apps/web labeled\n');
    expect(await ok('annotate deploy web -n demo note=hi')).toBe('deployment.apps/web annotated\n');
    expect(await ok(`patch deploy web -n demo -p {"spec":{"replicas":2}}`)).toBe('deployment.apps/web patched\n');
    expect(await ok(`patch deploy web -n demo --type merge -p {"spec":{"replicas":2}}`)).toBe('deployment.apps/web patched (no change)\n');
    expect(await ok(`patch deploy web -n demo --type json -p [{"op":"replace","path":"/spec/replicas","value":4}]`)).toBe('deployment.apps/web patched\n');
    expect(await ok(`patch deploy web -n demo -p {"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.28"}]}}}}`)).toBe('deployment.apps/web patched\n');
    expect(await ok('get deploy web -n demo -o jsonpath={.spec.replicas}/{.spec.template.spec.containers[0].image}/{.spec.template.spec.containers[0].ports[0].containerPort}/{.metadata.labels.tier}/{.metadata.generation}')).toBe(
      '4/nginx:1.28/80/frontend/4',
    );
    expect(await ok('scale deploy web -n demo --replicas=5')).toBe('deployment.apps/web scaled\n');
    expect(await ok('get deploy web -n demo -o jsonpath={.spec.replicas}')).toBe('5');
  });

  it('answers errors in the server words', async () => {
    const missing = await kubectl('get pod nope -n demo');
    expect(missing.stderr).toBe('Error from server (NotFound): pods "nope" not found\n');
    expect(missing.code).toBe(1);
    const exists = await kubectl('create ns demo');
    expect(exists.stderr).toBe('Error from server (AlreadyExists): namespaces "demo" already exists\n');
    const invalid = await kubectl('create cm Bad_Name -n demo');
    expect(invalid.stderr).toBe(
      `error: failed to create configmap: ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')\n`,
    );
    expect(invalid.code).toBe(1);
  });

  it('watches: get -w prints later changes', { timeout: 20_000 }, async () => {
    const child = spawn(KUBECTL, ['get', 'cm', '-n', 'demo', '-w', '--output-watch-events'], { env });
    let out = '';
    const seen = (text: string) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (!out.includes(text)) return;
          child.stdout.off('data', check);
          resolve();
        };
        child.stdout.on('data', check);
        check();
      });
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    await seen('cfg');
    await ok('create cm later -n demo --from-literal=a=b');
    await seen('later');
    child.kill('SIGINT');
    // kubectl aligns each flush of its table writer on its own: the header and the first row, then each event.
    expect(out).toBe(`EVENT      NAME   DATA   AGE
ADDED      cfg    1      75s
ADDED      later   1      0s
`);
  });

  it('creates pods once the service account exists, and deletes', async () => {
    const refused = await kubectl('run p -n demo --image=nginx');
    expect(refused.stderr).toBe('Error from server (Forbidden): pods "p" is forbidden: error looking up service account demo/default: serviceaccount "default" not found\n');
    expect(await ok('create sa default -n demo')).toBe('serviceaccount/default created\n');
    expect(await ok('run p -n demo --image=nginx')).toBe('pod/p created\n');
    expect(await ok('get pods -n demo -o wide')).toBe(`NAME   READY   STATUS    RESTARTS   AGE   IP       NODE     NOMINATED NODE   READINESS GATES
p      0/1     Pending   0          0s    <none>   <none>   <none>           <none>
`);
    expect(await ok('get pods -n demo --field-selector status.phase=Pending -o name')).toBe('pod/p\n');
    expect(await ok('get pod p -n demo -o jsonpath={.spec.serviceAccountName}/{.status.qosClass}/{.spec.containers[0].imagePullPolicy}')).toBe('default/BestEffort/Always');
    expect(await ok('delete pod p -n demo')).toBe('pod "p" deleted\n');
    expect(await ok('delete cm cfg later -n demo')).toBe('configmap "cfg" deleted\nconfigmap "later" deleted\n');
    expect(await ok('delete deploy web -n demo --cascade=background')).toBe('deployment.apps "web" deleted\n');
    expect((await kubectl('get deploy web -n demo')).stderr).toBe('Error from server (NotFound): deployments.apps "web" not found\n');
    // Orphan and foreground deletion leave the object with a finalizer for the garbage collector to finish.
    expect(await ok('create cm keep -n demo')).toBe('configmap/keep created\n');
    expect(await ok('delete cm keep -n demo --cascade=orphan --wait=false')).toBe('configmap "keep" deleted\n');
    expect(await ok('get cm keep -n demo -o jsonpath={.metadata.finalizers}')).toBe('["orphan"]');
  });

  it('explains a field from the OpenAPI document', async () => {
    const out = await ok('explain pod.spec.containers');
    // 1.32's template leaves an empty ENUM line after FIELD, hence the two blank lines.
    expect(out.startsWith('KIND:       Pod\nVERSION:    v1\n\nFIELD: containers <[]Container>\n\n\nDESCRIPTION:\n')).toBe(true);
    expect(out).toContain('\nFIELDS:\n  args\t<[]string>\n');
  });

  it('auth can-i, for the admin', async () => {
    expect(await ok('auth can-i create pods')).toBe('yes\n');
    const nodes = await kubectl('auth can-i delete nodes');
    expect([nodes.stdout, nodes.stderr]).toEqual(['yes\n', "Warning: resource 'nodes' is not namespace scoped\n\n"]);
    expect(await ok('auth whoami -o jsonpath={.status.userInfo.username}')).toBe('kubernetes-admin');
  });
});

/**
 * Streams against a served full cluster (KUBEADM_CLUSTER: two worker nodes where pods really run) on the
 * real-time clock, as `kubelab serve` runs it: followed logs, and exec, attach and cp over WebSocket —
 * with the real kubectl, and with the lab's own over HttpTransport. Each command waits on real events
 * (kubectl wait, a container's exit) under kubectl's and the test's timeouts.
 */
describe.skipIf(!available)('the real kubectl 1.32 streaming from a served full cluster', () => {
  let lab: Lab;
  let driver: RealTimeDriver;
  let server: Server;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let transport: HttpTransport;

  /** The real kubectl with `args` as they are (no splitting), `input` on its stdin, and `extra` environment. */
  function kubectl(args: string[], input?: string, extra: NodeJS.ProcessEnv = {}): Promise<Result> {
    return new Promise((resolve) => {
      const child = execFile(KUBECTL, args, { env: { ...env, ...extra }, timeout: 30_000 }, (error, stdout, stderr) => {
        resolve({ stdout, stderr, code: error ? ((error as { code?: number }).code ?? 1) : 0 });
      });
      child.stdin!.end(input ?? '');
    });
  }

  /** The lab's kubectl, over HTTP to the same server. */
  function ours(line: string, input = ''): Promise<Result> {
    return runKubectl({ clock: lab.clock, fs: lab.fs, kube: { transport } }, line, input);
  }

  beforeAll(async () => {
    lab = new Lab({ seed: 7, running: true, cluster: KUBEADM_CLUSTER });
    lab.authenticate(ADMIN_TOKEN, ADMIN_USER);
    await lab.cluster.apiserver.openapi.load();
    driver = new RealTimeDriver(lab.clock, { now: () => performance.now(), setTimer: (fn, ms) => { const t = setTimeout(fn, ms); return () => clearTimeout(t); } }, (e) => {
      throw e;
    });
    server = await startServer(lab, 0, (e) => {
      throw e;
    });
    const port = (server.address() as AddressInfo).port;
    dir = mkdtempSync(join(tmpdir(), 'kubelab-stream-'));
    writeKubeconfig(join(dir, 'config'), port);
    env = { PATH: process.env.PATH, HOME: dir, KUBECONFIG: join(dir, 'config') };
    transport = new HttpTransport(`http://127.0.0.1:${port}`, ADMIN_TOKEN);
    await lab.cluster.boot();
    expect((await kubectl(['wait', '--for=create', 'sa/default', '--timeout=20s'])).code).toBe(0);
    expect((await kubectl(['run', 'bb', '--image=busybox', '--', 'sleep', '3600'])).stdout).toBe('pod/bb created\n');
    // busybox has no tar applet; kubectl cp needs one, and nginx's Debian has it.
    expect((await kubectl(['run', 'ng', '--image=nginx:1.27'])).stdout).toBe('pod/ng created\n');
    expect((await kubectl(['wait', '--for=condition=Ready', 'pod/bb', 'pod/ng', '--timeout=20s'])).stdout).toBe('pod/bb condition met\npod/ng condition met\n');
  }, 60_000);

  afterAll(async () => {
    driver?.dispose();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('exec: a command, piped stdin to its end, an exit status, a refused container', { timeout: 60_000 }, async () => {
    expect(await kubectl(['exec', 'bb', '--', 'hostname'])).toEqual({ stdout: 'bb\n', stderr: '', code: 0 });
    expect(await kubectl(['exec', '-i', 'bb', '--', 'cat'], 'hi\nthere\n')).toEqual({ stdout: 'hi\nthere\n', stderr: '', code: 0 });
    expect(await kubectl(['exec', 'bb', '--', 'sh', '-c', 'echo out; echo err >&2; exit 3'])).toEqual({ stdout: 'out\n', stderr: 'err\ncommand terminated with exit code 3\n', code: 3 });
    expect(await kubectl(['exec', 'bb', '-c', 'nope', '--', 'ls'])).toEqual({ stdout: '', stderr: 'Error from server (BadRequest): container nope is not valid for pod bb\n', code: 1 });
  });

  it('exec over SPDY/3.1, as a kubectl told not to use WebSockets speaks it', { timeout: 60_000 }, async () => {
    const spdy = { KUBECTL_REMOTE_COMMAND_WEBSOCKETS: 'false' };
    expect(await kubectl(['exec', 'bb', '--', 'hostname'], '', spdy)).toEqual({ stdout: 'bb\n', stderr: '', code: 0 });
    expect(await kubectl(['exec', '-i', 'bb', '--', 'cat'], 'hi\n', spdy)).toEqual({ stdout: 'hi\n', stderr: '', code: 0 });
    expect(await kubectl(['exec', 'bb', '--', 'sh', '-c', 'exit 3'], '', spdy)).toEqual({ stdout: '', stderr: 'command terminated with exit code 3\n', code: 3 });
  });

  it.each([
    ['SPDY tunneled in a WebSocket', {}],
    ['SPDY', { KUBECTL_PORT_FORWARD_WEBSOCKETS: 'false' }],
  ])('port-forward over %s reaches nginx in the pod', { timeout: 60_000 }, async (_name, extra: NodeJS.ProcessEnv) => {
    const child = spawn(KUBECTL, ['port-forward', 'ng', ':80'], { env: { ...env, ...extra } });
    try {
      let out = '';
      const port = await new Promise<number>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const m = /Forwarding from 127\.0\.0\.1:(\d+) -> 80\n/.exec(out);
          if (m) resolve(Number(m[1]));
        });
        child.on('exit', () => reject(new Error(`kubectl port-forward exited: ${out}`)));
      });
      const response = await fetch(`http://127.0.0.1:${port}/`);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('<title>Welcome to nginx!</title>');
    } finally {
      child.kill();
    }
  });

  it.skipIf(!existsSync('/usr/bin/script'))('exec -it: a shell on a tty, keys in, its exit status out', { timeout: 60_000 }, async () => {
    // script(1) gives kubectl a terminal; the keys go in once the remote shell's prompt is out.
    const child = spawn('/usr/bin/script', ['-qfc', `${KUBECTL} exec -it bb -- sh`, '/dev/null'], { env });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const seen = (text: string) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (!out.includes(text)) return;
          child.stdout.off('data', check);
          resolve();
        };
        child.stdout.on('data', check);
        check();
      });
    try {
      await seen('/ # ');
      child.stdin.write('echo hi-$((1+2))\r');
      await seen('hi-3\r\n');
      child.stdin.write('exit 4\r');
      await seen('command terminated with exit code 4');
    } finally {
      child.kill();
    }
    expect(out).toContain('/ # echo hi-$((1+2))\r\nhi-3\r\n/ # exit 4\r\n');
  });

  it('logs -f follows a container until it exits', { timeout: 60_000 }, async () => {
    expect((await kubectl(['run', 'lg', '--image=busybox', '--restart=Never', '--', 'sh', '-c', 'echo one; sleep 2; echo two'])).code).toBe(0);
    expect((await kubectl(['wait', '--for=condition=Ready', 'pod/lg', '--timeout=20s'])).code).toBe(0);
    expect(await kubectl(['logs', '-f', 'lg'])).toEqual({ stdout: 'one\ntwo\n', stderr: '', code: 0 });
  });

  it('attach streams a running container until it exits', { timeout: 60_000 }, async () => {
    expect((await kubectl(['run', 'at', '--image=busybox', '--restart=Never', '--', 'sh', '-c', 'sleep 2; echo late'])).code).toBe(0);
    expect((await kubectl(['wait', '--for=condition=Ready', 'pod/at', '--timeout=20s'])).code).toBe(0);
    expect(await kubectl(['attach', 'at'])).toEqual({ stdout: 'late\n', stderr: "If you don't see a command prompt, try pressing enter.\n", code: 0 });
  });

  it('run -i --rm attaches stdin, and cp copies a file out over tar', { timeout: 60_000 }, async () => {
    expect(await kubectl(['run', '-i', '--rm', 'once', '--image=busybox', '--restart=Never', '--', 'sh', '-c', 'read x; echo got $x'], 'hi\n')).toEqual({ stdout: 'got hi\npod "once" deleted\n', stderr: "If you don't see a command prompt, try pressing enter.\n", code: 0 });
    expect((await kubectl(['exec', 'ng', '--', 'sh', '-c', 'printf "hello\\nworld\\n" > /tmp/f.txt'])).code).toBe(0);
    const copied = await kubectl(['cp', 'ng:/tmp/f.txt', join(dir, 'f.txt')]);
    // kubectl cp passes the remote tar's stderr to its own stdout (copyFromPod's ErrOut is o.Out).
    expect(copied).toEqual({ stdout: "tar: Removing leading `/' from member names\n", stderr: '', code: 0 });
    expect(readFileSync(join(dir, 'f.txt'), 'utf8')).toBe('hello\nworld\n');
  });

  it("the lab's kubectl over HttpTransport: exec, stdin, an exit status, logs -f", { timeout: 60_000 }, async () => {
    expect(await ours('exec bb -- hostname')).toEqual({ stdout: 'bb\n', stderr: '', code: 0 });
    expect(await ours('exec -i bb -- cat', 'hi\n')).toEqual({ stdout: 'hi\n', stderr: '', code: 0 });
    expect(await ours("exec bb -- sh -c 'echo err >&2; exit 3'")).toEqual({ stdout: '', stderr: 'err\ncommand terminated with exit code 3\n', code: 3 });
    expect((await kubectl(['run', 'lg2', '--image=busybox', '--restart=Never', '--', 'sh', '-c', 'echo one; sleep 2; echo two'])).code).toBe(0);
    expect((await kubectl(['wait', '--for=condition=Ready', 'pod/lg2', '--timeout=20s'])).code).toBe(0);
    expect(await ours('logs -f lg2')).toEqual({ stdout: 'one\ntwo\n', stderr: '', code: 0 });
  });
});

/** Arguments split on spaces (the test lines need no quoting: JSON without spaces). */
function splitArgs(line: string): string[] {
  return line.split(' ').filter(Boolean);
}
