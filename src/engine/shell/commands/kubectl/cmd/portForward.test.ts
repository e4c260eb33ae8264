import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { kindFor } from '../../../../api/scheme.ts';
import { advanceSettled } from '../../../../base/advance.ts';
import { RestClient, type KubeObject } from '../../../../client/rest/restClient.ts';
import { defaultFullNodeSpec } from '../../../../cluster/cluster.ts';
import { runHeadless } from '../../../../cluster/headless.ts';
import { Lab } from '../../../../cluster/lab.ts';
import { NGINX_INDEX_HTML } from '../../../../runtime/registry/catalogue/nginxFiles.ts';
import { settle, TestTerminal } from '../../../../testing/terminal.ts';

const WEB = `apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec:
  containers:
  - name: nginx
    image: nginx
    ports: [{name: http, containerPort: 80}]
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  containers:
  - {name: nginx, image: nginx}
---
apiVersion: v1
kind: Pod
metadata: {name: stuck}
spec:
  nodeSelector: {disk: none}
  containers:
  - {name: nginx, image: nginx}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{name: web, port: 8000, targetPort: http}]
`;

/** A lab whose one full node (worker-1) runs nginx pods, and the laptop's shells on it. */
async function lab() {
  const lab = new Lab({ seed: 7, cluster: { fullNodes: [defaultFullNodeSpec('worker-1', 1)], scheduler: true, controllers: 'all' } });
  const client = new RestClient(lab.kube.transport);
  const tick = (ms: number) => advanceSettled(lab.clock, ms, settle);
  await lab.cluster.boot();
  await tick(2000);
  for (const doc of parseAllDocuments(WEB)) {
    const obj = doc.toJSON() as KubeObject;
    const info = kindFor(obj.apiVersion ?? '', obj.kind ?? '')!;
    await client.resource({ group: info.group, version: info.version, resource: info.resource, namespaced: info.namespaced }).create('default', obj);
  }
  await tick(30_000);
  /** Run a script in a fresh laptop shell to its end. */
  const sh = async (script: string) => {
    let stdout = '';
    let stderr = '';
    const status = await runHeadless(lab, script, { yieldToHost: settle, onOutput: (c) => void (c.stream === 'stdout' ? (stdout += c.text) : (stderr += c.text)) });
    return { stdout, stderr, status };
  };
  /** A laptop terminal: type a line, read the screen since the last look. */
  const terminal = () => {
    const t = new TestTerminal(lab.openSession({ tty: true, cols: 200, rows: 24 }), tick, 100);
    return {
      type: async (keys: string) => void (await t.type(keys)),
      screen: () => t.read().replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*[A-Za-z]`, 'g'), '').replace(/\r\n/g, '\n'),
    };
  };
  return { lab, tick, sh, terminal };
}

describe('kubectl port-forward', () => {
  it('forwards the laptop’s localhost:8080 to nginx in the pod until Ctrl-C, curl in another shell fetching its page', async () => {
    const { sh, terminal } = await lab();
    const a = terminal();
    a.screen();
    await a.type('kubectl port-forward pod/web 8080:80\r');
    expect(a.screen()).toBe('kubectl port-forward pod/web 8080:80\nForwarding from 127.0.0.1:8080 -> 80\nForwarding from [::1]:8080 -> 80\n');
    expect(await sh('curl -s localhost:8080')).toEqual({ stdout: NGINX_INDEX_HTML, stderr: '', status: 0 });
    expect(await sh('curl -s http://127.0.0.1:8080/nope -o /tmp/out; echo $?; curl -sf 127.0.0.1:8080/nope; echo $?')).toEqual({ stdout: '0\n22\n', stderr: '', status: 0 });
    expect(a.screen()).toBe('Handling connection for 8080\nHandling connection for 8080\nHandling connection for 8080\n');
    const head = await sh('curl -sI localhost:8080');
    expect(head.stdout).toMatch(/^HTTP\/1\.1 200 OK\r\nServer: nginx\/1\.27\.3\r\nDate: .*\r\nContent-Type: text\/html\r\nContent-Length: 615\r\n(.*\r\n)*\r\n$/);
    const verbose = await sh('curl -v localhost:8080 -o index.html; cat index.html | head -4 | tail -1');
    expect(verbose.stdout).toBe('<title>Welcome to nginx!</title>\n');
    expect(verbose.stderr.split('\n').slice(0, 12)).toEqual([
      '* Host localhost:8080 was resolved.',
      '* IPv6: ::1',
      '* IPv4: 127.0.0.1',
      '*   Trying [::1]:8080...',
      '* Connected to localhost (::1) port 8080',
      '> GET / HTTP/1.1',
      '> Host: localhost:8080',
      '> User-Agent: curl/8.5.0',
      '> Accept: */*',
      '> ',
      '< HTTP/1.1 200 OK',
      '< Server: nginx/1.27.3',
    ]);
    expect(verbose.stderr.split('\n').slice(-4)).toEqual(['< ', '{ [615 bytes data]', '* Connection #0 to host localhost left intact', '']);
    await a.type('\x03');
    expect(a.screen()).toBe('Handling connection for 8080\nHandling connection for 8080\n^C\n(\u2388|kubernetes-admin@kubernetes:default) student@laptop:~$ ');
    expect(await sh('curl localhost:8080')).toEqual({ stdout: '', stderr: "curl: (7) Failed to connect to localhost port 8080 after 0 ms: Couldn't connect to server\n", status: 7 });
  });

  it('resolves a Service’s port to its targetPort, named ports, several ports, a free local port and --address', async () => {
    const { sh, terminal } = await lab();
    const a = terminal();
    a.screen();
    await a.type('kubectl port-forward svc/web 9000:8000 web :8000 --address 127.0.0.1\r');
    const lines = a.screen().split('\n');
    expect(lines.slice(1, 3)).toEqual(['Forwarding from 127.0.0.1:9000 -> 80', 'Forwarding from 127.0.0.1:8000 -> 80']);
    expect(lines[3]).toMatch(/^Forwarding from 127\.0\.0\.1:(\d+) -> 80$/);
    const free = /:(\d+) ->/.exec(lines[3]!)![1]!;
    expect(Number(free)).toBeGreaterThanOrEqual(32768);
    const b = terminal();
    b.screen();
    await b.type('kubectl port-forward web 7000:http\r');
    expect(b.screen()).toBe('kubectl port-forward web 7000:http\nForwarding from 127.0.0.1:7000 -> 80\nForwarding from [::1]:7000 -> 80\n');
    for (const port of ['9000', '8000', free, '7000']) {
      expect(await sh(`curl -s localhost:${port} | head -4 | tail -1`)).toEqual({ stdout: '<title>Welcome to nginx!</title>\n', stderr: '', status: 0 });
    }
    const v = await sh('curl -sv localhost:9000 -o /dev/null');
    expect(v.stderr.split('\n').slice(3, 7)).toEqual(['*   Trying [::1]:9000...', '* connect to ::1 port 9000 failed: Connection refused', '*   Trying 127.0.0.1:9000...', '* Connected to localhost (127.0.0.1) port 9000']);
    expect(a.screen()).toBe(`Handling connection for 9000\nHandling connection for 8000\nHandling connection for ${free}\nHandling connection for 9000\n`);
    const c = terminal();
    c.screen();
    await c.type('kubectl port-forward web 7000:80\r');
    expect(c.screen()).toBe(
      'kubectl port-forward web 7000:80\nUnable to listen on port 7000: Listeners failed to create with the following errors: [unable to create listener: Error listen tcp4 127.0.0.1:7000: bind: address already in use unable to create listener: Error listen tcp6 [::1]:7000: bind: address already in use]\nerror: unable to listen on any of the requested ports: [{7000 80}]\n(\u2388|kubernetes-admin@kubernetes:default) student@laptop:~$ ',
    );
  });

  it('fails as kubectl does: no ports, a pod not running, a port the pod does not name, nothing listening in the pod', async () => {
    const { sh, terminal } = await lab();
    expect(await sh('kubectl port-forward web')).toEqual({ stdout: '', stderr: "error: TYPE/NAME and list of ports are required for port-forward\nSee 'kubectl port-forward -h' for help and examples\n", status: 1 });
    expect(await sh('kubectl port-forward stuck 8080:80')).toEqual({ stdout: '', stderr: 'error: unable to forward port because pod is not running. Current status=Pending\n', status: 1 });
    expect(await sh('kubectl port-forward web 8080:https')).toEqual({ stdout: '', stderr: "error: Pod 'web' does not have a named port 'https'\n", status: 1 });
    expect(await sh('kubectl port-forward svc/web 8080:80')).toEqual({ stdout: '', stderr: 'error: Service web does not have a service port 80\n', status: 1 });
    expect(await sh('kubectl port-forward nope 80')).toEqual({ stdout: '', stderr: 'Error from server (NotFound): pods "nope" not found\n', status: 1 });
    const a = terminal();
    a.screen();
    await a.type('kubectl port-forward web 8080:8081\r');
    a.screen();
    expect(await sh('curl -s localhost:8080; echo $?')).toEqual({ stdout: '52\n', stderr: '', status: 0 });
    const out = a.screen();
    expect(out).toMatch(
      /^Handling connection for 8080\nE0101 \d\d:\d\d:\d\d\.\d{6} +\d+ portforward\.go:413\] "Unhandled Error" err="an error occurred forwarding 8080 -> 8081: error forwarding port 8081 to pod [0-9a-f]{64}, uid : failed to execute portforward in network namespace \\"\/var\/run\/netns\/cni-[0-9a-f-]+\\": failed to connect to localhost:8081 inside namespace \\"[0-9a-f]{64}\\", IPv4: dial tcp4 127\.0\.0\.1:8081: connect: connection refused IPv6 dial tcp6 \[::1\]:8081: connect: connection refused "\nerror: lost connection to pod\n\(\u2388\|kubernetes-admin@kubernetes:default\) student@laptop:~\$ $/,
    );
  });

  it('lets curl in a container reach another pod’s IP on the node through the kernel’s sockets', async () => {
    const { sh } = await lab();
    const ip = (await sh("kubectl get pod web -o jsonpath='{.status.podIP}'")).stdout;
    expect(ip).toMatch(/^10\.244\.0\.\d+$/);
    const page = await sh(`kubectl exec client -- curl -s ${ip} | head -4 | tail -1`);
    expect(page).toEqual({ stdout: '<title>Welcome to nginx!</title>\n', stderr: '', status: 0 });
    const headers = await sh(`kubectl exec client -- curl -si http://${ip}/ | head -1`);
    expect(headers.stdout).toBe('HTTP/1.1 200 OK\r\n');
    expect(await sh(`kubectl exec client -- curl ${ip}:81`)).toEqual({ stdout: '', stderr: `curl: (7) Failed to connect to ${ip} port 81 after 0 ms: Couldn't connect to server\ncommand terminated with exit code 7\n`, status: 7 });
    expect(await sh('kubectl exec client -- curl -s nowhere; echo $?')).toEqual({ stdout: '6\n', stderr: 'command terminated with exit code 6\n', status: 0 });
  });
});
