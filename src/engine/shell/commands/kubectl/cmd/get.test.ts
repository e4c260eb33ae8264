import { describe, expect, it } from 'vitest';
import { RestClient } from '../../../../client/rest/restClient.ts';
import { Lab } from '../../../../cluster/index.ts';
import { Interrupt } from '../../../command.ts';
import { kubectl } from '../kubectl.ts';
import { kubectlContext, runKubectl } from '../testing.ts';

const configmaps = { group: '', version: 'v1', resource: 'configmaps', namespaced: true };

function labWithConfigMap(): { lab: Lab; cms: ReturnType<RestClient['resource']> } {
  const lab = new Lab({ seed: 1 });
  const cms = new RestClient(lab.kube.transport).resource(configmaps);
  return { lab, cms };
}

/** Let the promises in flight (the watch's requests and events) run; no time passes. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe('kubectl get: errors, with the real kubectl 1.32 texts', () => {
  it.each([
    ['get podz', 'error: the server doesn\'t have a resource type "podz"\n'],
    ['get cm,podz', 'error: the server doesn\'t have a resource type "podz"\n'],
    ['get pod nope', 'Error from server (NotFound): pods "nope" not found\n'],
    ['get cm -l a!!b', 'Error from server (BadRequest): Unable to find "/v1, Resource=configmaps" that match label selector "a!!b", field selector "": unable to parse requirement: found \'!\', expected: in, notin, =, ==, !=, gt, lt\n'],
    ['get pods --field-selector=foo', 'Error from server (BadRequest): Unable to find "/v1, Resource=pods" that match label selector "", field selector "foo": invalid selector: \'foo\'; can\'t understand \'foo\'\n'],
    ['get -o foo cm', 'error: unable to match a printer suitable for the output format "foo", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml\n'],
    ['get --foo', "Error: unknown flag: --foo\nSee 'kubectl get --help' for usage.\n"],
    ['get -n', "Error: flag needs an argument: 'n' in -n\nSee 'kubectl get --help' for usage.\n"],
  ])('kubectl %s', async (line, stderr) => {
    const { lab } = labWithConfigMap();
    expect(await runKubectl(lab, line)).toEqual({ stdout: '', stderr, code: 1 });
  });

  it('finds nothing for a selector nothing matches, without failing', async () => {
    const { lab } = labWithConfigMap();
    expect(await runKubectl(lab, 'get pods -l app==')).toEqual({ stdout: '', stderr: 'No resources found in default namespace.\n', code: 0 });
  });
});

describe('kubectl get -w on the virtual clock', () => {
  it.each([
    [
      'get cm -n w -w',
      'NAME   DATA   AGE\na      1      0s\n',
      'NAME   DATA   AGE\na      1      0s\nlonger-name   2      0s\na             1      65s\na             1      65s\n',
    ],
    ['get cm -n w --watch-only', '', 'NAME          DATA   AGE\nlonger-name   2      0s\na             1      65s\na             1      65s\n'],
    [
      'get cm -n w -w --output-watch-events',
      'EVENT      NAME   DATA   AGE\nADDED      a      1      0s\n',
      'EVENT      NAME   DATA   AGE\nADDED      a      1      0s\nADDED      longer-name   2      0s\nMODIFIED   a             1      65s\nDELETED    a             1      65s\n',
    ],
    ['get cm -n w -w -o name', 'configmap/a\n', 'configmap/a\nconfigmap/longer-name\nconfigmap/a\nconfigmap/a\n'],
  ])('kubectl %s prints each change until Ctrl-C', async (line, listed, all) => {
    const { lab, cms } = labWithConfigMap();
    await new RestClient(lab.kube.transport).resource({ group: '', version: 'v1', resource: 'namespaces', namespaced: false }).create('', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'w' } });
    await cms.create('w', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { x: 'y' } });
    const interrupt = new Interrupt();
    const { ctx, out } = kubectlContext(lab, line, { interrupt });
    let code: number | undefined;
    void Promise.resolve(kubectl(ctx)).then((c) => (code = c));
    await settle();
    expect(out.stdout).toBe(listed);

    lab.clock.advance(5_000);
    await cms.create('w', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'longer-name' }, data: { x: 'y', z: 'w' } });
    lab.clock.advance(60_000);
    await cms.patch('w', 'a', 'merge', { metadata: { labels: { k: 'v' } } });
    await cms.delete('w', 'a');
    await settle();
    expect(code).toBeUndefined();

    interrupt.fire();
    await settle();
    expect({ ...out, code }).toEqual({ stdout: all, stderr: '', code: 130 });
  });
});

describe('kubectl get --raw on a watch', () => {
  it('streams the event lines until Ctrl-C', async () => {
    const { lab, cms } = labWithConfigMap();
    const created = await cms.create('default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { x: 'y' } });
    const rv = (created as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
    const interrupt = new Interrupt();
    const { ctx, out } = kubectlContext(lab, `get --raw /api/v1/namespaces/default/configmaps?watch=1&resourceVersion=${rv}`, { interrupt });
    let code: number | undefined;
    void Promise.resolve(kubectl(ctx)).then((c) => (code = c));
    await settle();
    expect(out.stdout).toBe('');
    await cms.delete('default', 'a');
    await settle();
    expect(out.stdout).toMatch(/^\{"type":"DELETED","object":\{.*"kind":"ConfigMap".*"name":"a"/);
    expect(out.stdout.endsWith('}\n')).toBe(true);
    expect(code).toBeUndefined();
    interrupt.fire();
    await settle();
    expect(code).toBe(130);
  });

  it('ends with status 0 when the server ends the watch (timeoutSeconds)', async () => {
    const { lab } = labWithConfigMap();
    const { ctx, out } = kubectlContext(lab, 'get --raw /api/v1/namespaces/default/configmaps?watch=1&timeoutSeconds=5');
    let code: number | undefined;
    void Promise.resolve(kubectl(ctx)).then((c) => (code = c));
    await settle();
    expect(code).toBeUndefined();
    lab.clock.advance(5_000);
    await settle();
    expect({ ...out, code }).toEqual({ stdout: '', stderr: '', code: 0 });
  });
});
