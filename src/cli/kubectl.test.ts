/**
 * The real kubectl 1.32 (/usr/bin/kubectl) against `kubelab serve`: every expectation here is what kubectl
 * prints against a real 1.32 cluster holding the same objects. The lab's clock is paused, so ages are
 * exact (`0s` until the test advances it) and the run is the same every time.
 *
 * Skipped, loudly, on a machine without /usr/bin/kubectl (or $KUBECTL).
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_USER } from '../engine/apiserver/kubeApiserver.ts';
import { Lab } from '../engine/cluster/index.ts';
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

/** Arguments split on spaces (the test lines need no quoting: JSON without spaces). */
function splitArgs(line: string): string[] {
  return line.split(' ').filter(Boolean);
}
