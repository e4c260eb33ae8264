import { describe, expect, it } from 'vitest';
import { RestClient } from '../../../../client/rest/restClient.ts';
import { Lab } from '../../../../cluster/index.ts';
import { runKubectl } from '../testing.ts';

/**
 * `-o go-template`, `-o template`, their `-file` forms and `--template` through the lab's kubectl.
 * Every expectation is what the real kubectl 1.32 printed: for create, with `--dry-run=client` and no
 * cluster; for get, against a `kubelab serve` holding the same objects.
 */

describe('kubectl create --dry-run=client -o go-template', () => {
  it.each([
    [`create deployment web --image=nginx --replicas=3 --dry-run=client -o 'go-template={{.spec.replicas}} {{printf "%d" .spec.replicas}} {{printf "%T" .spec.replicas}}'`, '3 3 int64'],
    [`create deployment web --image=nginx --replicas=3 --dry-run=client -o 'go-template={{range .spec.template.spec.containers}}{{.name}}={{.image}}{{"\\n"}}{{end}}'`, 'nginx=nginx\n'],
    [`create deployment web --image=nginx --replicas=3 --dry-run=client -o 'go-template={{.metadata.creationTimestamp}}|{{.status}}|{{.spec.strategy}}'`, '<no value>|map[]|map[]'],
    [`create deployment web --image=nginx --dry-run=client -o template --template='{{.kind}}/{{.metadata.name}}'`, 'Deployment/web'],
    [`create deployment web --image=nginx --dry-run=client --template='{{.apiVersion}}'`, 'apps/v1'],
    [`create deployment web --image=nginx --dry-run=client -o 'template={{.kind}}'`, 'Deployment'],
    [`create configmap c --from-literal=a=1 --from-literal=b=two --dry-run=client -o 'go-template={{range $k, $v := .data}}{{$k}}={{$v}};{{end}}'`, 'a=1;b=two;'],
    [`create configmap c --from-literal=a=1 --dry-run=client -o 'go-template={{.data.a}} {{printf "%T" .data.a}} {{len .data}}'`, '1 string 1'],
    [`create secret generic s --from-literal=p=x --dry-run=client -o 'go-template={{.data.p | base64decode}}'`, 'x'],
    [`create secret generic s --from-literal=p=x --from-literal=q=hello --dry-run=client -o 'go-template={{range $k, $v := .data}}{{$k}}:{{$v | base64decode}} {{end}}'`, 'p:x q:hello '],
    [`create secret generic s --from-literal=p=x --dry-run=client -o 'go-template={{.type}} {{exists . "data" "p"}} {{exists . "data" "z"}}'`, '<no value> true false'],
  ])('kubectl %s', async (line, stdout) => {
    expect(await runKubectl(new Lab({ seed: 1 }), line)).toEqual({ stdout, stderr: '', code: 0 });
  });

  const DEPLOYMENT_DUMP = '\traw data was:\n\t\t{"kind":"Deployment","apiVersion":"apps/v1","metadata":{"name":"web","creationTimestamp":null,"labels":{"app":"web"}},"spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"creationTimestamp":null,"labels":{"app":"web"}},"spec":{"containers":[{"name":"nginx","image":"nginx","resources":{}}]}},"strategy":{}},"status":{}}\n'
    + '\tobject given to template engine was:\n\t\tmap[apiVersion:apps/v1 kind:Deployment metadata:map[creationTimestamp:<nil> labels:map[app:web] name:web] spec:map[replicas:3 selector:map[matchLabels:map[app:web]] strategy:map[] template:map[metadata:map[creationTimestamp:<nil> labels:map[app:web]] spec:map[containers:[map[image:nginx name:nginx resources:map[]]]]]] status:map[]]\n\n';

  it.each([
    [
      `create deployment web --image=nginx --replicas=3 --dry-run=client -o 'go-template={{.spec.replicas.x}}'`,
      'template: output:1:7: executing "output" at <.spec.replicas.x>: can\'t evaluate field x in type interface {}',
      '{{.spec.replicas.x}}',
    ],
    [
      `create deployment web --image=nginx --replicas=3 --dry-run=client -o 'go-template={{.nope}}' --allow-missing-template-keys=false`,
      'template: output:1:2: executing "output" at <.nope>: map has no entry for key "nope"',
      '{{.nope}}',
    ],
  ])('kubectl %s fails, with its debugging dump on stdout', async (line, message, template) => {
    expect(await runKubectl(new Lab({ seed: 1 }), line)).toEqual({
      stdout: `Error executing template: ${message}. Printing more information for debugging the template:\n\ttemplate was:\n\t\t${template}\n${DEPLOYMENT_DUMP}`,
      stderr: `error: error executing template "${template.replaceAll('"', '\\"')}": ${message}\n`,
      code: 1,
    });
  });

  it.each([
    [`create deployment web --image=nginx --dry-run=client -o 'go-template={{.kind'`, 'error: error parsing template {{.kind, template: output:1: unclosed action\n'],
    ['create deployment web --image=nginx --dry-run=client -o go-template', 'error: template format specified but no template given\n'],
    [
      `create deployment web --image=nginx --dry-run=client -o 'go-template={{.kind}}' --template='{{.kind}}'`,
      'error: unable to match a printer suitable for the output format "go-template={{.kind}}", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml\n',
    ],
  ])('kubectl %s', async (line, stderr) => {
    expect(await runKubectl(new Lab({ seed: 1 }), line)).toEqual({ stdout: '', stderr, code: 1 });
  });
});

describe('kubectl get -o go-template', () => {
  const configmaps = { group: '', version: 'v1', resource: 'configmaps', namespaced: true };

  async function labWithConfigMaps(): Promise<Lab> {
    const lab = new Lab({ seed: 1 });
    const cms = new RestClient(lab.kube.transport).resource(configmaps);
    await new RestClient(lab.kube.transport).resource({ group: '', version: 'v1', resource: 'namespaces', namespaced: false }).create('', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'demo' } });
    await cms.create('demo', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', labels: { app: 'web' } }, data: { greeting: 'hello' } });
    await cms.create('demo', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'other' }, data: { greeting: 'hi' } });
    lab.fs.writeFile('/home/student/t.tmpl', '{{range .items}}{{.metadata.name}} {{end}}\n');
    return lab;
  }

  it.each([
    ['get cm cfg -n demo -o go-template={{.data.greeting}}', 'hello'],
    [`get cm -n demo -o 'go-template={{range .items}}{{.metadata.name}}={{.data.greeting}};{{end}}'`, 'cfg=hello;other=hi;'],
    [`get cm -n demo -o 'go-template={{.kind}}|{{.apiVersion}}|{{.metadata}}|{{len .items}}'`, 'List|v1|map[resourceVersion:]|2'],
    ['get cm -n demo -l app=nothing -o go-template={{.}}', 'map[apiVersion:v1 items:[] kind:List metadata:map[resourceVersion:]]'],
    ['get cm cfg -n demo --template={{.metadata.name}}', 'cfg'],
    [`get cm cfg other -n demo -o 'go-template={{range .items}}{{.metadata.name}} {{end}}'`, 'cfg other '],
    [`get cm -n demo -o 'go-template={{range .items}}{{.metadata.name}} {{.data.n.x}}{{end}}'`, 'cfg <no value>other <no value>'],
    ['get cm -n demo -o go-template-file=t.tmpl', 'cfg other \n'],
    ['get cm -n demo -o templatefile --template=t.tmpl', 'cfg other \n'],
    ['get cm -n demo -o jsonpath --template={.items[0].metadata.name}', 'cfg'],
  ])('kubectl %s', async (line, stdout) => {
    expect(await runKubectl(await labWithConfigMaps(), line)).toEqual({ stdout, stderr: '', code: 0 });
  });

  it('reports a missing template file as kubectl does', async () => {
    expect(await runKubectl(await labWithConfigMaps(), 'get cm -n demo -o go-template-file=nope.tmpl')).toEqual({
      stdout: '',
      stderr: 'error: error reading --template nope.tmpl, open nope.tmpl: no such file or directory\n',
      code: 1,
    });
  });

  it('prints what the template wrote before failing, then the dump of the List it was given', async () => {
    const template = '{{range .items}}{{.metadata.name}} {{.data.greeting.x}}{{end}}';
    const message = 'template: output:1:42: executing "output" at <.data.greeting.x>: can\'t evaluate field x in type interface {}';
    const got = await runKubectl(await labWithConfigMaps(), `get cm -n demo -o 'go-template=${template}'`);
    expect(got.stdout).toMatch(new RegExp(`^cfg Error executing template: ${message.replace(/[.*+?^${}()|[\]\\<>]/g, '\\$&')}\\. Printing more information`));
    expect(got.stdout).toContain('\traw data was:\n\t\t{"apiVersion":"v1","items":[{"apiVersion":"v1","data":{"greeting":"hello"},"kind":"ConfigMap"');
    expect(got.stdout).toContain('\tobject given to template engine was:\n\t\tmap[apiVersion:v1 items:[map[apiVersion:v1 data:map[greeting:hello] kind:ConfigMap');
    expect(got.stdout.endsWith('] kind:List metadata:map[resourceVersion:]]\n\n')).toBe(true);
    expect(got.stderr).toBe(`error: error executing template "${template}": ${message}\n`);
    expect(got.code).toBe(1);
  });
});
