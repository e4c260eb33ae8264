import { describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../../../../client/rest/restClient.ts';
import { RESOURCES } from '../../../../client/resources.ts';
import { Lab } from '../../../../cluster/lab.ts';
import { terminalLab } from '../../../../testing/terminal.ts';
import { runKubectl } from '../testing.ts';

/** The laptop's prompt: kube-ps1's context and namespace, then Debian's PS1. */
const PROMPT = '(\x1b[34m\u2388\x1b[39m|\x1b[31mkubernetes-admin@kubernetes\x1b[39m:\x1b[36mdefault\x1b[39m) \x1b[01;32mstudent@laptop\x1b[00m:\x1b[01;34m~\x1b[00m$ ';
const TARGETING = 'Targeting container "web". If you don\'t see processes from this container it may be because the container runtime doesn\'t support this feature.\r\n';
const LEGACY = '--profile=legacy is deprecated and will be removed in the future. It is recommended to explicitly specify a profile, for example "--profile=general".\r\n';

describe('kubectl debug at a terminal on a full node', () => {
  it("adds an ephemeral container in the target container's process namespace and attaches to its shell", async () => {
    const t = await terminalLab();
    await t.type('kubectl run web --image=nginx\r', 30_000);
    const started = await t.type('kubectl debug -it web --image=busybox --target=web\r', 30_000);
    const name = /Defaulting debug container name to (debugger-[a-z0-9]{5})\./.exec(started)?.[1] ?? '';
    expect(started).toBe(`kubectl debug -it web --image=busybox --target=web\r\n${TARGETING}${LEGACY}Defaulting debug container name to ${name}.\r\nIf you don't see a command prompt, try pressing enter.\r\n`);
    expect(await t.type('\r')).toBe('\r\n/ # ');
    // nginx is PID 1 here: the debugger joined the web container's pid namespace.
    expect(await t.type('ps -o pid,args\r')).toMatch(/^ps -o pid,args\r\nPID +COMMAND\r\n +1 nginx: master process nginx -g daemon off;\r\n +\d+ nginx: worker process\r\n +\d+ nginx: worker process\r\n +\d+ sh\r\n +\d+ ps -o pid,args\r\n\/ # $/);
    expect(await t.type('exit\r', 5000)).toBe(`exit\r\nSession ended, the ephemeral container will not be restarted but may be reattached using 'kubectl attach web -c ${name} -i -t' if it is still running\r\n${PROMPT}`);
    const pod = await t.client.resource<Pod & KubeObject>(RESOURCES.pods).get('default', 'web');
    expect(pod.spec?.ephemeralContainers).toEqual([
      { name, image: 'busybox', resources: {}, terminationMessagePolicy: 'File', stdin: true, tty: true, targetContainerName: 'web', imagePullPolicy: 'Always', terminationMessagePath: '/dev/termination-log' },
    ]);
    const status = pod.status?.ephemeralContainerStatuses?.[0];
    expect([status?.name, status?.ready, status?.restartCount, status?.state?.terminated?.reason, status?.started]).toEqual([name, false, 0, 'Completed', undefined]);
    // Ephemeral containers are never restarted; the pod's own container runs on.
    await t.tick(30_000);
    const later = await t.client.resource<Pod & KubeObject>(RESOURCES.pods).get('default', 'web');
    expect([later.status?.ephemeralContainerStatuses?.[0]?.restartCount, later.status?.containerStatuses?.[0]?.state?.running !== undefined]).toEqual([0, true]);
    expect(await t.type('kubectl get events --field-selector involvedObject.name=web,reason=Started -o custom-columns=PATH:.involvedObject.fieldPath,MESSAGE:.message\r', 1000)).toBe(
      [
        'kubectl get events --field-selector involvedObject.name=web,reason=Started -o custom-columns=PATH:.involvedObject.fieldPath,MESSAGE:.message',
        `PATH                                       MESSAGE`,
        `spec.containers{web}                       Started container web`,
        `spec.ephemeralContainers{${name}}   Started container ${name}`,
        PROMPT,
      ].join('\r\n'),
    );
  }, 60_000);

  it('names the container with -c; without --target it sees only its own processes', async () => {
    const t = await terminalLab();
    await t.type('kubectl run web --image=nginx\r', 30_000);
    expect(await t.type('kubectl debug web -it -c dbg --image=busybox --profile=legacy -- sh\r', 30_000)).toBe(`kubectl debug web -it -c dbg --image=busybox --profile=legacy -- sh\r\n${LEGACY}If you don't see a command prompt, try pressing enter.\r\n`);
    expect(await t.type('\r')).toBe('\r\n/ # ');
    expect(await t.type('ps -o pid,args\r')).toMatch(/^ps -o pid,args\r\nPID +COMMAND\r\n +1 sh\r\n +\d+ ps -o pid,args\r\n\/ # $/);
    await t.type('exit\r', 5000);
    // The apiserver refuses a name another container of the pod has.
    expect(await t.type('kubectl debug web -c web --image=busybox\r', 2000)).toBe(`kubectl debug web -c web --image=busybox\r\n${LEGACY}The Pod "web" is invalid: spec.ephemeralContainers[1].name: Duplicate value: "web"\r\n${PROMPT}`);
  }, 60_000);

  it('debugs a node from a pod in its host namespaces, with its root filesystem at /host', async () => {
    const t = await terminalLab();
    const started = await t.type('kubectl debug node/worker-1 -it --image=busybox\r', 30_000);
    const pod = /Creating debugging pod (node-debugger-worker-1-[a-z0-9]{5}) with container debugger on node worker-1\./.exec(started)?.[1] ?? '';
    expect(started).toBe(`kubectl debug node/worker-1 -it --image=busybox\r\n${LEGACY}Creating debugging pod ${pod} with container debugger on node worker-1.\r\nIf you don't see a command prompt, try pressing enter.\r\n`);
    expect(await t.type('\r')).toBe('\r\n/ # ');
    expect(await t.type('hostname; cat /host/etc/hostname\r')).toBe('hostname; cat /host/etc/hostname\r\nworker-1\r\nworker-1\r\n/ # ');
  }, 60_000);
});

describe('kubectl debug validation', () => {
  it.each([
    ['debug web', 'error: you must specify --image when not using --copy-to.\n'],
    ['debug --image=busybox', 'error: NAME or filename is required for debug\n'],
    ['debug web -t --image=busybox', 'error: -i/--stdin is required for containers with -t/--tty=true\n'],
    ['debug web --image=Busy:box', 'error: invalid image name "Busy:box": invalid reference format\n'],
    ['debug web --image=busybox --image-pull-policy=Sometimes', 'error: invalid image pull policy: Sometimes\n'],
    ['debug web --image=busybox', `${LEGACY.replace('\r', '')}Error from server (NotFound): pods "web" not found\n`],
  ])('kubectl %s', async (line, stderr) => {
    const lab = new Lab({ seed: 1, cluster: { nodes: [], controllers: [] } });
    await lab.cluster.boot();
    expect(await runKubectl(lab, line)).toMatchObject({ stderr, code: 1 });
    lab.cluster.shutdown();
  });
});
