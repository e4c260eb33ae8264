/**
 * The lab's kubectl against the real kubectl 1.32 (/usr/bin/kubectl or $KUBECTL). Each scenario starts two
 * labs with the same seed, each served by `kubelab serve` on a paused clock, and runs the same setup on
 * both; then each step runs the real kubectl against one lab and the lab's kubectl (over HTTP,
 * src/cli/httpTransport.ts) against the other. The labs stay in step, so every command sees the same state
 * on both sides and must give the same stdout, stderr and exit status.
 *
 * Skipped, loudly, on a machine without the real kubectl.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_USER } from '../../../apiserver/kubeApiserver.ts';
import { Lab } from '../../../cluster/index.ts';
import { HttpTransport } from '../../../../cli/httpTransport.ts';
import { ADMIN_TOKEN, startServer, writeKubeconfig } from '../../../../cli/serve.ts';
import { words } from '../coreutils/testing.ts';
import { runKubectl, type KubectlResult } from './testing.ts';

const KUBECTL = process.env.KUBECTL ?? '/usr/bin/kubectl';
const available = existsSync(KUBECTL);
if (!available) console.warn(`\n*** SKIPPED: the kubectl differential test: ${KUBECTL} is not on this machine (set $KUBECTL to run it) ***\n`);

const manifest = `apiVersion: v1
kind: Namespace
metadata:
  name: demo
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: demo
  labels:
    app: web
spec:
  replicas: 2
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
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg
  namespace: demo
  labels:
    app: web
data:
  greeting: hello
`;

const extras = `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: demo
  labels:
    app: web
spec:
  selector:
    app: web
  ports:
  - name: http
    port: 80
    targetPort: 8080
---
apiVersion: v1
kind: Secret
metadata:
  name: token
  namespace: demo
type: Opaque
stringData:
  password: s3cret
  user: admin
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: robot
  namespace: demo
`;

/** A lab served over HTTP, with a kubeconfig for the real kubectl. */
class ServedLab {
  readonly lab = new Lab({ seed: 7 });
  private server: Server | undefined;
  private dir = '';
  private env: NodeJS.ProcessEnv = {};
  private transport: HttpTransport | undefined;

  async start(): Promise<void> {
    this.lab.cluster.authenticator.add(ADMIN_TOKEN, ADMIN_USER);
    await this.lab.cluster.apiserver.openapi.load();
    this.server = await startServer(this.lab.cluster, 0, (e) => {
      throw e;
    });
    const port = (this.server.address() as AddressInfo).port;
    this.dir = mkdtempSync(join(tmpdir(), 'kubelab-diff-'));
    writeKubeconfig(join(this.dir, 'config'), port);
    this.env = { PATH: process.env.PATH, HOME: this.dir, KUBECONFIG: join(this.dir, 'config') };
    this.transport = new HttpTransport(`http://127.0.0.1:${port}`, ADMIN_TOKEN);
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }

  /** The real kubectl against this lab. */
  real(line: string, input = ''): Promise<KubectlResult> {
    return new Promise((resolve) => {
      const child = execFile(KUBECTL, words(line), { env: this.env, timeout: 20_000 }, (error, stdout, stderr) => {
        resolve({ stdout, stderr, code: error ? ((error as { code?: number }).code ?? 1) : 0 });
      });
      child.stdin?.end(input);
    });
  }

  /** The lab's kubectl against this lab, over HTTP as the real one. */
  ours(line: string, input = ''): Promise<KubectlResult> {
    const transport = this.transport;
    if (!transport) throw new Error('the lab is not served');
    return runKubectl({ clock: this.lab.clock, fs: this.lab.fs, kube: { transport } }, line, input);
  }
}

type Step = [line: string, input?: string];

interface Scenario {
  /** Run by the real kubectl on both labs before the steps. */
  setup: Step[];
  steps: Step[];
}

const scenarios: Record<string, Scenario> = {
  'reading objects': {
    setup: [['apply -f -', manifest]],
    steps: [
      ['get deploy -n demo'],
      ['get deploy,cm -n demo'],
      ['get deploy,cm -n demo -o name'],
      ['get cm -A -l app=web'],
      ['get cm -n demo --show-labels'],
      ['get cm -n demo -L app'],
      ['get cm -n demo --no-headers'],
      ['get cm -A --no-headers'],
      ['get cm cfg -n demo -o jsonpath={.data.greeting}'],
      ['get cm cfg -n demo -o json'],
      ['get cm cfg -n demo -o yaml'],
      ['get cm -n demo -o yaml'],
      ['get ns demo -o yaml'],
      ['get deploy/web -n demo'],
      ['get pods'],
      ['get pods -A'],
      ['get ns'],
      ['get cm -n demo -o custom-columns=NAME:.metadata.name,GREETING:.data.greeting,LABELS:.metadata.labels'],
      ['get cm -A -o custom-columns=NS:.metadata.namespace,NAME:.metadata.name --sort-by=.metadata.name --no-headers'],
      ["get cm -A -o 'jsonpath={range .items[*]}{.metadata.namespace}/{.metadata.name}{\"\\n\"}{end}'"],
      ['get cm -A --sort-by=.metadata.name'],
      ['get cm -A --sort-by={.metadata.name} -o name'],
      ['get cm,deploy -A -L app --show-labels'],
      ['get ns --sort-by=.metadata.name -L kubernetes.io/metadata.name'],
      ['get --raw /api/v1/namespaces/demo/configmaps/cfg'],
      ['get --raw /api/v1/namespaces/demo/configmaps?labelSelector=app%3Dweb'],
      ['get --raw /api/v1/namespaces/demo/configmaps/nope'],
      ['get --raw /api/v1 pods'],
      ['get --raw api/v1'],
      ['api-versions'],
      ['auth can-i create pods'],
      ['auth can-i delete nodes'],
    ],
  },
  describing: {
    setup: [['apply -f -', manifest], ['apply -f -', extras]],
    steps: [
      ['describe cm cfg -n demo'],
      ['describe cm -n demo'],
      ['describe configmaps -n demo -l app=web'],
      ['describe cm c -n demo'],
      ['describe secret token -n demo'],
      ['describe sa robot -n demo'],
      ['describe svc web -n demo'],
      ['describe ns demo'],
      ['describe deploy web -n demo --show-events=false'],
      ['describe cm -l app=nothing'],
      ['describe cm -A -l app=nothing'],
      ['describe cm nope -n demo'],
      ['describe'],
      ['describe podz'],
    ],
  },
  'changing objects': {
    setup: [],
    steps: [
      ['apply -f -', manifest],
      ['apply -f -', manifest],
      ['label cm cfg -n demo tier=x'],
      ['label cm cfg -n demo tier=y'],
      ['label cm cfg -n demo tier=y --overwrite'],
      ['label cm cfg -n demo tier-'],
      ['label cm cfg -n demo nope-'],
      ['label cm cfg -n demo tier-'],
      ['annotate cm cfg -n demo note=hi'],
      ['patch cm cfg -n demo -p {"data":{"a":"b"}}'],
      ['patch cm cfg -n demo -p {"data":{"a":"b"}}'],
      ['patch cm cfg -n demo --type merge -p {"data":{"a":"c"}}'],
      ['get cm cfg -n demo -o yaml'],
      ['scale deploy web -n demo --replicas=3'],
      ['delete cm cfg -n demo'],
      ['delete cm cfg -n demo'],
      ['delete cm -n demo -l app=nothing'],
      ['delete -f - --wait=false', manifest],
      ['create -f -', manifest],
    ],
  },
  'creating twice': {
    setup: [],
    steps: [
      ['create -f -', manifest],
      ['create -f -', manifest],
    ],
  },
  'rollouts, waits and nodes': {
    setup: [['apply -f -', manifest], ['apply -f -', 'apiVersion: v1\nkind: Node\nmetadata:\n  name: n1\n']],
    steps: [
      ['wait --for=condition=Available deploy/web -n demo --timeout=0'],
      ['wait --for=jsonpath={.spec.replicas}=2 deploy/web -n demo'],
      ['wait --for=jsonpath={.spec.replicas}=2 deploy -n demo --all'],
      ['wait --for=condition=Available deploy -n demo --all --timeout=0'],
      ['wait --for=delete deploy/nope -n demo'],
      ['wait --for=condition=Available deploy/nope -n demo'],
      ['wait --for=condition=Available deploy -n demo'],
      ['wait --for=foo deploy/web -n demo'],
      ['rollout status deploy/web -n demo --watch=false'],
      ['rollout status cm/cfg -n demo'],
      ['rollout history deploy/web -n demo'],
      ['rollout history deploy/web -n demo --revision=1'],
      ['rollout history cm/cfg -n demo'],
      ['rollout undo deploy/web -n demo'],
      ['rollout undo deploy/web -n demo --to-revision=2'],
      ['rollout undo cm/cfg -n demo'],
      ['rollout pause deploy/web -n demo'],
      ['rollout pause deploy/web -n demo'],
      ['rollout restart deploy/web -n demo'],
      ['rollout resume deploy/web -n demo'],
      ['rollout resume deploy/web -n demo'],
      ['rollout pause cm/cfg -n demo'],
      ['rollout restart cm/cfg -n demo'],
      ['set image deploy/web -n demo nginx=nginx:1.28'],
      ['set image deploy/web -n demo nginx=nginx:1.28'],
      ['set image deploy/web -n demo foo=bar'],
      ['set image deploy/web -n demo'],
      ['set image cm/cfg -n demo a=b'],
      ['set env deploy/web -n demo A=1 B=2'],
      ['set env deploy/web -n demo A=1'],
      ['set env deploy/web -n demo A-'],
      ['set env deploy/web -n demo --list'],
      ['set env deploy/web -n demo -c foo X=1'],
      ['set resources deploy/web -n demo --limits=cpu=200m,memory=512Mi'],
      ['set resources deploy/web -n demo --limits=cpu=200m,memory=512Mi'],
      ['set resources deploy/web -n demo'],
      ['get deploy web -n demo -o jsonpath={.spec.template.spec.containers}'],
      ['replace -f -', manifest],
      ['replace'],
      ['cordon n1'],
      ['cordon n1'],
      ['uncordon n1'],
      ['uncordon n1'],
      ['cordon nope'],
      ['drain n1'],
      ['drain n1 --force'],
      ['taint nodes n1 k=v:NoSchedule'],
      ['taint nodes n1 k=w:NoSchedule'],
      ['taint nodes n1 k=w:NoSchedule --overwrite'],
      ['get node n1 -o jsonpath={.spec}'],
      ['taint nodes n1 k-'],
      ['taint nodes n1 k-'],
      ['taint nodes n1 k'],
      ['taint nodes n1 k=v:Foo'],
      ['events -n demo'],
      ['events -A'],
      ['events --types=Foo'],
      ['events --for web'],
      ['autoscale cm cfg -n demo --max=2'],
      ['autoscale deploy web -n demo --max=3 --cpu-percent=80'],
      ['autoscale deploy web -n demo --min=2 --max=5 --dry-run=client -o yaml'],
      ['replace --force -f -', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n  namespace: demo\ndata:\n  a: b\n'],
      ['set image -f - nginx=nginx:1.29 --local -o yaml', manifest.split('---\n')[1] ?? ''],
      ['set resources -f - --limits=cpu=1 --local -o yaml', manifest.split('---\n')[1] ?? ''],
    ],
  },
  'create generators, run and expose': {
    setup: [],
    steps: [
      ['create deployment web --image=nginx --port=80'],
      ['create deployment web --image=nginx'],
      ['create deployment web2 --image=nginx --replicas=2 --dry-run=server'],
      ['create deployment web2 --image=nginx --dry-run=client -o yaml'],
      ['create ns demo'],
      ['create ns demo'],
      ['create cm cfg --from-literal=a=b -o name'],
      ['create cm cfg --from-literal=a=b'],
      ['create secret generic s --from-literal=a=b'],
      ['create secret generic s --from-literal=a=b'],
      ['create secret docker-registry reg --docker-username=u --docker-password=p'],
      ['create sa bot'],
      ['create sa bot'],
      ['create svc clusterip web-svc --tcp=80:8080'],
      ['create svc clusterip web-svc --tcp=80:8080'],
      ['create svc nodeport np --tcp=80'],
      ['create svc loadbalancer lb --tcp=80'],
      ['create svc externalname en --external-name=example.com'],
      ['create svc externalname en --external-name=example.com'],
      ['create job j --image=busybox -- echo hi'],
      ['create job j --image=busybox'],
      ["create cronjob c --image=busybox --schedule='*/5 * * * *'"],
      ["create cronjob c --image=busybox --schedule='*/5 * * * *'"],
      ['create job manual --from=cronjob/c -o yaml'],
      ['create job manual2 --from=cronjob/nope'],
      ['create quota q --hard=pods=2,cpu=1'],
      ['create quota q --hard=pods=2'],
      ['create role r --verb=get --resource=pods'],
      ['create role r --verb=get --resource=pods'],
      ['create clusterrole cr --verb=get,list --resource=deploy,rs'],
      ['create clusterrole cr --verb=get --resource=pods'],
      ['create rolebinding rb --role=r --user=jane'],
      ['create rolebinding rb --role=r --user=jane'],
      ['create clusterrolebinding crb --clusterrole=cr --group=devs'],
      ['create clusterrolebinding crb --clusterrole=cr --group=devs'],
      ['create ingress ing --rule=a.com/=web:80'],
      ['create ingress ing --rule=a.com/=web:80'],
      ['create priorityclass high --value=1000'],
      ['create priorityclass high --value=1000'],
      ['create pdb p --selector=app=web --min-available=1'],
      ['create pdb p --selector=app=web --min-available=1'],
      ['create token default'],
      ['create token bot --duration=10m'],
      ['run p --image=nginx --labels=app=web'],
      ['run p --image=nginx --dry-run=client -o yaml'],
      ['expose deployment web --port=8080 --target-port=80'],
      ['expose deployment web --port=8080'],
      ['expose deploy web --name=web-np --type=NodePort --dry-run=client -o yaml'],
      ['expose svc web-svc --name=web3 --dry-run=client -o yaml'],
      ['expose deploy nope --port=80'],
      ['expose'],
      ['expose deployment'],
      ['create foo'],
      ['create secret'],
    ],
  },
  explaining: {
    setup: [],
    steps: [
      ['explain pods'],
      ['explain pods.spec'],
      ['explain deployment.spec.strategy'],
      ['explain svc.spec.type'],
      ['explain pods.spec.containers.resources --recursive'],
      ['explain cronjobs.spec --api-version=batch/v1'],
      ['explain deployments.apps.spec.replicas'],
      ['explain nodes.status.capacity'],
      ['explain pods.spec.nope'],
      ['explain podz'],
      ['explain pods --api-version=apps/v1'],
      ['explain pods -o json'],
      ['explain deployment --output plaintext-openapiv2'],
      ['explain'],
      ['explain pods svc'],
    ],
  },
  errors: {
    setup: [],
    steps: [
      ['get podz'],
      ['get pod nope'],
      ['get'],
      ['get --foo'],
      ['get -n'],
      ['get pods -l app=='],
      ['get pods -l ,'],
      ['apply -f /nowhere.yaml'],
      ['foo'],
      ['gett'],
      ['ap'],
      ['DESCRIB'],
      ['qqqqq'],
      ['config foo'],
      ['auth foo'],
    ],
  },
};

describe.skipIf(!available).each(Object.entries(scenarios))('the lab kubectl and the real kubectl 1.32 agree: %s', (_name, scenario) => {
  const theirs = new ServedLab();
  const ours = new ServedLab();

  beforeAll(async () => {
    await Promise.all([theirs.start(), ours.start()]);
    for (const [line, input] of scenario.setup) {
      for (const side of [theirs, ours]) {
        const result = await side.real(line, input);
        if (result.code !== 0) throw new Error(`setup: kubectl ${line}: ${result.stderr}`);
      }
    }
  }, 60_000);

  afterAll(async () => {
    await Promise.all([theirs.stop(), ours.stop()]);
  });

  it.each(scenario.steps)('kubectl %s', async (line, input) => {
    const want = await theirs.real(line, input);
    const got = await ours.ours(line, input);
    expect(got).toEqual(want);
  });
});
