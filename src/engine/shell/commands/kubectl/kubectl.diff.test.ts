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
