import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_USER } from '../apiserver/kubeApiserver.ts';
import { Clock } from '../base/clock.ts';
import { SeededRng } from '../base/seededRng.ts';
import { RestClient } from '../client/rest/restClient.ts';
import { InProcessTransport, type Transport } from '../client/rest/transport.ts';
import { Cluster } from '../cluster/cluster.ts';
import { complete, type CompletionHost } from './completion.ts';
import { MemoryFileSystem } from './fs.ts';

const HOME = '/home/student';

/** A cluster with a few objects and files; each expectation is what bash + kubectl 1.32's completion offer. */
let lab: { fs: MemoryFileSystem; kube: { transport: Transport } };

function host(over: Partial<CompletionHost> = {}): CompletionHost {
  return {
    fs: lab.fs,
    cwd: HOME,
    home: HOME,
    aliases: new Map([['k', 'kubectl']]),
    commandNames: () => ['kubectl', 'k', 'cat', 'cd', 'case', 'echo', 'etcdctl', 'ls'],
    kube: lab.kube,
    ...over,
  };
}

/** The candidates for `line` with the cursor at its end, as `from:text` strings (`text␣` when a space follows). */
async function tab(line: string, over?: Partial<CompletionHost>): Promise<string[]> {
  const r = await complete(line, line.length, host(over));
  return r.candidates.map((c) => `${line.slice(r.from)}→${c.text}${c.noSpace ? '' : '␣'}`);
}

beforeAll(async () => {
  const clock = new Clock({ paused: true });
  const rng = new SeededRng(3);
  const cluster = new Cluster({ clock, rng });
  cluster.authenticator.add('admin', ADMIN_USER);
  lab = { fs: new MemoryFileSystem(clock), kube: { transport: new InProcessTransport(cluster, 'admin') } };
  lab.fs.mkdir(HOME, { recursive: true });
  const client = new RestClient(lab.kube.transport);
  const create = (path: string, body: object) => client.raw('POST', path, {}, JSON.stringify(body));
  await create('/api/v1/namespaces', { metadata: { name: 'demo' } });
  // No controllers run here: the ServiceAccount admission wants the default accounts made by hand.
  for (const ns of ['default', 'demo']) await create(`/api/v1/namespaces/${ns}/serviceaccounts`, { metadata: { name: 'default' } });
  for (const name of ['web-1', 'web-2', 'db-0']) await create('/api/v1/namespaces/default/pods', { metadata: { name }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
  await create('/api/v1/namespaces/demo/pods', { metadata: { name: 'api-0' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
  lab.fs.mkdir(`${HOME}/manifests`, { recursive: true });
  lab.fs.writeFile(`${HOME}/manifests/web.yaml`, 'kind: Pod\n');
  lab.fs.writeFile(`${HOME}/manifests/notes.txt`, 'hi\n');
  lab.fs.writeFile(`${HOME}/my file.txt`, 'x\n');
  lab.fs.writeFile(`${HOME}/.hidden`, 'x\n');
});

describe('complete', () => {
  it.each([
    ['the first word: command names', 'ca', ['ca→case␣', 'ca→cat␣']],
    ['after a pipe, a command again', 'echo x | e', ['e→echo␣', 'e→etcdctl␣']],
    ['arguments: files, a directory with a slash and no space', 'cat m', ['m→manifests/', 'm→my\\ file.txt␣']],
    ['inside a directory', 'cat manifests/', ['manifests/→manifests/notes.txt␣', 'manifests/→manifests/web.yaml␣']],
    ['hidden files only for a dot', 'cat .h', ['.h→.hidden␣']],
    ['in an open quote, closing it', 'cat "my', ['"my→"my file.txt"␣']],
    ['~/ stays as typed', 'ls ~/man', ['~/man→~/manifests/']],
    ['after a redirection', 'echo hi > manifests/w', ['manifests/w→manifests/web.yaml␣']],
    ['nothing matches', 'cat zzz', []],
  ])('%s', async (_name, line, expected) => {
    expect(await tab(line)).toEqual(expected);
  });

  it.each([
    ['kubectl subcommands', 'kubectl ap', ['ap→api-resources␣', 'ap→api-versions␣', 'ap→apply␣']],
    ['a group\'s subcommands', 'kubectl config use', ['use→use-context␣']],
    ['resource types as api-resources -o name prints them', 'kubectl get depl', ['depl→deployments.apps␣']],
    ['a type list after its comma', 'kubectl get pods,se', ['pods,se→pods,secrets␣', 'pods,se→pods,serviceaccounts␣', 'pods,se→pods,services␣']],
    ['object names in the default namespace', 'kubectl get pods w', ['w→web-1␣', 'w→web-2␣']],
    ['names already given are not offered again', 'kubectl delete pod web-1 w', ['w→web-2␣']],
    ['-n picks the namespace', 'kubectl -n demo get po ', ['→api-0␣']],
    ['TYPE/ for a name', 'kubectl describe pod/d', ['pod/d→pod/db-0␣']],
    ['after a TYPE/NAME, types end in / with no space', 'kubectl get pod/db-0 nam', ['nam→namespaces/']],
    ['-n values are namespaces', 'kubectl get pods -n d', ['d→default␣', 'd→demo␣']],
    ['--namespace= values', 'kubectl get pods --namespace=de', ['--namespace=de→--namespace=default␣', '--namespace=de→--namespace=demo␣']],
    ['-o values are the command\'s formats', 'kubectl get pods -o j', ['j→json␣', 'j→jsonpath␣', 'j→jsonpath-as-json␣', 'j→jsonpath-file␣']],
    ['-f values are manifests and directories', 'kubectl apply -f manifests/', ['manifests/→manifests/web.yaml␣']],
    ['long flags', 'kubectl get --al', ['--al→--all-namespaces␣', '--al→--allow-missing-template-keys␣']],
    ['a short flag', 'kubectl get -A', ['-A→-A␣']],
    ['through the k alias', 'k get no', ['no→nodes␣']],
    ['scale takes only scalable types', 'kubectl scale d', ['d→deployment␣']],
  ])('%s', async (_name, line, expected) => {
    expect(await tab(line)).toEqual(expected);
  });

  it('completes the kubeconfig context\'s namespace', async () => {
    lab.fs.mkdir(`${HOME}/.kube`, { recursive: true });
    lab.fs.writeFile(
      `${HOME}/.kube/config`,
      'apiVersion: v1\nkind: Config\nclusters:\n- name: kubernetes\n  cluster:\n    server: https://172.18.0.2:6443\ncontexts:\n- name: lab\n  context:\n    cluster: kubernetes\n    user: admin\n    namespace: demo\ncurrent-context: lab\nusers:\n- name: admin\n  user: {}\n',
    );
    try {
      expect(await tab('kubectl get pods ')).toEqual(['→api-0␣']);
      expect(await tab('kubectl config use-context ')).toEqual(['→lab␣']);
    } finally {
      lab.fs.rm(`${HOME}/.kube`, { recursive: true });
    }
  });

  it('offers nothing when the server cannot be reached', async () => {
    const down = { transport: { request: () => Promise.reject(new Error('connection refused')) } };
    expect(await tab('kubectl get po', { kube: down })).toEqual([]);
  });

  it('replaces from the start of the word at the cursor', async () => {
    expect(await complete('kubectl get depl -o wide', 'kubectl get depl'.length, host())).toEqual({ from: 12, candidates: [{ text: 'deployments.apps' }] });
  });
});
