import { describe, expect, it } from 'vitest';
import type { ConfigMap, Container, Pod, Service, ServicePort } from 'kubernetes-types/core/v1';
import type { ObjectGetter } from '../volumemanager/volumeManager.ts';
import { fullNodeLab } from '../testing.ts';
import { ContainerConfigError, getServiceEnvVarMap, makeEnvironmentVariables, type ServiceSource } from './envVars.ts';

const yieldToHost = () => new Promise<void>((resolve) => setImmediate(resolve));

const svc = (namespace: string, name: string, clusterIP: string, ports: ServicePort[] = [{ port: 80 }]): Service => ({ metadata: { name, namespace }, spec: { clusterIP, ports } });

const SERVICES: Service[] = [
  svc('default', 'kubernetes', '10.96.0.1', [{ name: 'https', port: 443, protocol: 'TCP' }]),
  svc('default', 'frontend', '10.96.0.50'),
  svc('shop', 'web', '10.96.7.7', [{ name: 'http', port: 80, protocol: 'TCP' }]),
  svc('shop', 'db', 'None', [{ port: 5432 }]),
  svc('other', 'cache', '10.96.9.9', [{ port: 6379 }]),
];

const KUBERNETES_VARS = [
  'KUBERNETES_SERVICE_HOST=10.96.0.1',
  'KUBERNETES_SERVICE_PORT=443',
  'KUBERNETES_SERVICE_PORT_HTTPS=443',
  'KUBERNETES_PORT=tcp://10.96.0.1:443',
  'KUBERNETES_PORT_443_TCP=tcp://10.96.0.1:443',
  'KUBERNETES_PORT_443_TCP_PROTO=tcp',
  'KUBERNETES_PORT_443_TCP_PORT=443',
  'KUBERNETES_PORT_443_TCP_ADDR=10.96.0.1',
];
const WEB_VARS = [
  'WEB_SERVICE_HOST=10.96.7.7',
  'WEB_SERVICE_PORT=80',
  'WEB_SERVICE_PORT_HTTP=80',
  'WEB_PORT=tcp://10.96.7.7:80',
  'WEB_PORT_80_TCP=tcp://10.96.7.7:80',
  'WEB_PORT_80_TCP_PROTO=tcp',
  'WEB_PORT_80_TCP_PORT=80',
  'WEB_PORT_80_TCP_ADDR=10.96.7.7',
];
const FRONTEND_VARS = [
  'FRONTEND_SERVICE_HOST=10.96.0.50',
  'FRONTEND_SERVICE_PORT=80',
  'FRONTEND_PORT=tcp://10.96.0.50:80',
  'FRONTEND_PORT_80_TCP=tcp://10.96.0.50:80',
  'FRONTEND_PORT_80_TCP_PROTO=tcp',
  'FRONTEND_PORT_80_TCP_PORT=80',
  'FRONTEND_PORT_80_TCP_ADDR=10.96.0.50',
];

const synced = (services: Service[] = SERVICES): ServiceSource => ({ hasSynced: () => true, list: () => services });
const objects = (configMaps: ConfigMap[] = []): ObjectGetter => ({
  configMap: (ns, name) => Promise.resolve(configMaps.find((c) => c.metadata?.namespace === ns && c.metadata.name === name)),
  secret: () => Promise.resolve(undefined),
  serviceAccountToken: () => Promise.reject(new Error('no tokens here')),
});
const allocatable = { cpuMilli: 2000, memoryBytes: 4 << 30 };
/** A pod of `namespace` running `container`; `enableServiceLinks` null leaves the field unset. */
const podIn = (namespace: string, container: Container, enableServiceLinks: boolean | null = true, annotations?: Record<string, string>): Pod => ({
  metadata: { name: 'p', namespace, uid: 'u1', ...(annotations ? { annotations } : {}) },
  spec: { containers: [container], ...(enableServiceLinks === null ? {} : { enableServiceLinks }) },
});
const envOf = async (pod: Pod, services: ServiceSource = synced(), configMaps: ConfigMap[] = []) =>
  (await makeEnvironmentVariables(pod, pod.spec!.containers[0]!, objects(configMaps), services, allocatable)).map((e) => `${e.key}=${e.value}`);

describe('getServiceEnvVarMap', () => {
  it.each<[string, string, boolean, string[]]>([
    ['a pod of shop: its namespace’s Services with a cluster IP and the master service, Services by name', 'shop', true, [...KUBERNETES_VARS, ...WEB_VARS]],
    ['enableServiceLinks false: the master service only', 'shop', false, KUBERNETES_VARS],
    ['a pod of default: every Service of default', 'default', true, [...FRONTEND_VARS, ...KUBERNETES_VARS]],
    ['a pod of default, enableServiceLinks false: still the master service only', 'default', false, KUBERNETES_VARS],
  ])('%s', (_name, ns, links, want) => {
    expect([...getServiceEnvVarMap(SERVICES, ns, links)].map(([k, v]) => `${k}=${v}`)).toEqual(want);
  });

  it('lets a Service named kubernetes in the pod’s namespace replace the master service, whatever the list order', () => {
    const own = svc('shop', 'kubernetes', '10.96.3.3', [{ port: 8443 }]);
    for (const services of [[SERVICES[0]!, own], [own, SERVICES[0]!]]) {
      const env = getServiceEnvVarMap(services, 'shop', true);
      expect([env.get('KUBERNETES_SERVICE_HOST'), env.get('KUBERNETES_PORT'), env.has('KUBERNETES_SERVICE_PORT_HTTPS')]).toEqual(['10.96.3.3', 'tcp://10.96.3.3:8443', false]);
      expect(getServiceEnvVarMap(services, 'shop', false).get('KUBERNETES_SERVICE_HOST')).toBe('10.96.0.1');
    }
  });
});

describe('makeEnvironmentVariables with Services', () => {
  it('puts the container’s variables first and the Service ones it does not set after them', async () => {
    const env = await envOf(podIn('shop', { name: 'app', env: [{ name: 'MODE', value: 'fast' }] }));
    expect(env).toEqual(['MODE=fast', ...KUBERNETES_VARS, ...WEB_VARS]);
  });

  it('keeps only the kubernetes variables when enableServiceLinks is false', async () => {
    const env = await envOf(podIn('shop', { name: 'app' }, false));
    expect(env).toEqual(KUBERNETES_VARS);
  });

  it('lets the container’s env and envFrom override a Service variable, which then appears once', async () => {
    const cm: ConfigMap = { metadata: { name: 'links', namespace: 'shop' }, data: { WEB_SERVICE_PORT: '8080' } };
    const env = await envOf(podIn('shop', { name: 'app', envFrom: [{ configMapRef: { name: 'links' } }], env: [{ name: 'KUBERNETES_SERVICE_HOST', value: 'api.example' }] }), synced(), [cm]);
    expect(env.slice(0, 2)).toEqual(['WEB_SERVICE_PORT=8080', 'KUBERNETES_SERVICE_HOST=api.example']);
    expect(env.filter((e) => e.startsWith('KUBERNETES_SERVICE_HOST=') || e.startsWith('WEB_SERVICE_PORT='))).toHaveLength(2);
    expect(env).toHaveLength(2 + KUBERNETES_VARS.length - 1 + WEB_VARS.length - 1);
  });

  it('expands $(VAR) against the container’s variables first, then the Service ones', async () => {
    const env = await envOf(
      podIn('shop', {
        name: 'app',
        env: [
          { name: 'WEB_URL', value: 'http://$(WEB_SERVICE_HOST):$(WEB_SERVICE_PORT)/' },
          { name: 'KUBERNETES_SERVICE_PORT', value: '6443' },
          { name: 'API', value: '$(KUBERNETES_SERVICE_HOST):$(KUBERNETES_SERVICE_PORT) $(DB_SERVICE_HOST) $$(WEB_PORT)' },
        ],
      }),
    );
    expect(env.slice(0, 3)).toEqual(['WEB_URL=http://10.96.7.7:80/', 'KUBERNETES_SERVICE_PORT=6443', 'API=10.96.0.1:6443 $(DB_SERVICE_HOST) $(WEB_PORT)']);
  });

  it('expands only the master service’s variables when enableServiceLinks is false', async () => {
    const env = await envOf(podIn('shop', { name: 'app', env: [{ name: 'X', value: '$(KUBERNETES_SERVICE_HOST) $(WEB_SERVICE_HOST)' }] }, false));
    expect(env[0]).toBe('X=10.96.0.1 $(WEB_SERVICE_HOST)');
  });

  it('refuses a pod of the API until the Services have been listed once, but not a static pod', async () => {
    const unsynced: ServiceSource = { hasSynced: () => false, list: () => [] };
    const fail = envOf(podIn('shop', { name: 'app' }), unsynced);
    await expect(fail).rejects.toThrow(ContainerConfigError);
    await expect(fail).rejects.toThrow(/^services have not yet been read at least once, cannot construct envvars$/);
    expect(await envOf(podIn('kube-system', { name: 'app', env: [{ name: 'A', value: 'b' }] }, true, { 'kubernetes.io/config.source': 'file' }), unsynced)).toEqual(['A=b']);
  });

  it('refuses a pod whose enableServiceLinks is not set, as the apiserver always defaults it', async () => {
    await expect(envOf(podIn('shop', { name: 'app' }, null))).rejects.toThrow(/^nil pod\.spec\.enableServiceLinks encountered, cannot construct envvars$/);
  });
});

describe('the Service variables on a full node', () => {
  it('gives a container the kubernetes Service’s variables and those of a Service of its namespace created before it', async () => {
    const { apply, tick, pod, sh } = await fullNodeLab({ yieldToHost });
    await apply('apiVersion: v1\nkind: Service\nmetadata: {name: my-web}\nspec:\n  clusterIP: 10.96.44.44\n  ports: [{name: http, port: 8080}]\n');
    await apply('apiVersion: v1\nkind: Pod\nmetadata: {name: env}\nspec:\n  containers:\n  - name: app\n    image: busybox\n    command: [sleep, "3600"]\n    env: [{name: API, value: "https://$(KUBERNETES_SERVICE_HOST):$(KUBERNETES_SERVICE_PORT)"}]\n');
    await tick(5000);
    expect((await pod('env')).status?.phase).toBe('Running');
    const environ = (await sh('kubectl exec env -- cat /proc/1/environ')).split('\0');
    expect(environ).toEqual(expect.arrayContaining(['API=https://10.96.0.1:443', ...KUBERNETES_VARS, 'MY_WEB_SERVICE_HOST=10.96.44.44', 'MY_WEB_SERVICE_PORT_HTTP=8080', 'MY_WEB_PORT_8080_TCP=tcp://10.96.44.44:8080']));
    const onNode = await sh("ssh worker-1 'crictl inspect $(crictl ps -q --name app)'");
    expect(onNode).toContain('KUBERNETES_SERVICE_HOST=10.96.0.1');
  });
});
