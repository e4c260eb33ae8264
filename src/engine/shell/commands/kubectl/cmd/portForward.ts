/**
 * `kubectl port-forward TYPE/NAME [LOCAL_PORT:]REMOTE_PORT...` (k8s.io/kubectl/pkg/cmd/portforward and
 * client-go's tools/portforward): the pod a name stands for (a pod, or the first pod of a workload or
 * Service), its ports resolved — a Service's port to its targetPort, a named port to the container's
 * number — the pod checked to be Running, then one upgraded POST to its `portforward` subresource. kubectl
 * then listens on every `--address` (default `localhost`: 127.0.0.1 and ::1) for each port (`:80` takes a
 * free local port), prints `Forwarding from 127.0.0.1:8080 -> 80`, and for each connection it accepts
 * prints `Handling connection for 8080` and forwards it as one stream to the kubelet, which hands it to
 * the runtime, which connects to the port inside the pod's network namespace. It runs until Ctrl-C (which
 * it catches: status 0), or until a forwarded connection fails: the error stream's text is logged as
 * klog's `E… portforward.go:413] "Unhandled Error" err="an error occurred forwarding 8080 -> 80: …"` and
 * the connection to the pod is closed (`error: lost connection to pod`).
 *
 * It listens where it runs: on the laptop's loopback, or in the network namespace of the host whose shell
 * runs it (cluster/loopback.ts). Left out: UDP port checks, --pod-running-timeout waits for a pod that is
 * not running yet, the session ending by itself when the pod terminates, and the WebSocket tunnel.
 */
import type { Container, Pod, Service } from 'kubernetes-types/core/v1';
import { UpgradeFailure, type PortForwardSession } from '../../../../apiserver/http.ts';
import { rfc3339 } from '../../../../api/time.ts';
import { toStatusError } from '../../../../client/rest/restClient.ts';
import { KernelError } from '../../../../kernel/errno.ts';
import { localNetworkFor, type Connection, type Listener } from '../../../../cluster/loopback.ts';
import { EXIT } from '../../../command.ts';
import { KubectlError, usageError } from '../errors.ts';
import type { Factory } from '../factory.ts';
import type { ParsedFlags } from '../flags.ts';
import { resourceClient } from './common.ts';
import { PODS, podFor, podPath } from './podcmd.ts';

/** A Local:Remote port pairing (ForwardedPort). */
interface ForwardedPort {
  local: number;
  remote: number;
}

/** splitPort: `[LOCAL:]REMOTE` as its two halves. */
function splitPort(port: string): [local: string, remote: string] {
  const parts = port.split(':');
  return parts.length === 2 ? [parts[0]!, parts[1]!] : [parts[0]!, parts[0]!];
}

/** util.LookupContainerPortNumberByName. */
function containerPortByName(pod: Pod, name: string): number {
  const containers: Container[] = pod.spec?.containers ?? [];
  for (const c of containers) for (const p of c.ports ?? []) if (p.name === name) return p.containerPort;
  throw new KubectlError(`error: Pod '${pod.metadata?.name ?? ''}' does not have a named port '${name}'`);
}

/** translateServicePortToTargetPort: each Service port to the targetPort it leads to in `pod`. */
function translateServicePorts(ports: readonly string[], svc: Service, pod: Pod): string[] {
  return ports.map((port) => {
    let [local, remote] = splitPort(port);
    let number = Number(remote);
    if (!/^\d+$/.test(remote)) {
      const named = svc.spec?.ports?.find((p) => p.name === remote);
      if (!named) throw new KubectlError(`error: Service '${svc.metadata?.name ?? ''}' does not have a named port '${remote}'`);
      number = named.port;
      if (local === remote) local = String(number);
    }
    const spec = svc.spec?.ports?.find((p) => p.port === number);
    if (!spec) throw new KubectlError(`error: Service ${svc.metadata?.name ?? ''} does not have a service port ${number}`);
    const target = spec.targetPort;
    const containerPort = target === undefined || target === 0 ? spec.port : typeof target === 'number' ? target : containerPortByName(pod, target);
    remote = String(containerPort);
    return local !== remote ? `${local}:${remote}` : remote;
  });
}

/** convertPodNamedPortToNumber: named container ports as their numbers. */
function convertNamedPorts(ports: readonly string[], pod: Pod): string[] {
  return ports.map((port) => {
    const [local, remote] = splitPort(port);
    if (remote === '') throw new KubectlError('error: remote port cannot be empty');
    const number = /^\d+$/.test(remote) ? remote : String(containerPortByName(pod, remote));
    return local !== remote ? `${local}:${number}` : number;
  });
}

/** strconv.ParseUint(s, 10, 16)'s error, or the number. */
function parseUint16(s: string): number | string {
  if (!/^\d+$/.test(s)) return `strconv.ParseUint: parsing ${JSON.stringify(s)}: invalid syntax`;
  const n = Number(s);
  return n > 65535 ? `strconv.ParseUint: parsing ${JSON.stringify(s)}: value out of range` : n;
}

/** parsePorts. */
function parsePorts(ports: readonly string[]): ForwardedPort[] {
  return ports.map((spec) => {
    const parts = spec.split(':');
    if (parts.length > 2) throw new KubectlError(`error: invalid port format '${spec}'`);
    const localString = parts.length === 1 ? parts[0]! : parts[0] || '0';
    const remoteString = parts.length === 1 ? parts[0]! : parts[1]!;
    const local = parseUint16(localString);
    if (typeof local === 'string') throw new KubectlError(`error: error parsing local port '${localString}': ${local}`);
    const remote = parseUint16(remoteString);
    if (typeof remote === 'string') throw new KubectlError(`error: error parsing remote port '${remoteString}': ${remote}`);
    if (remote === 0) throw new KubectlError('error: remote port must be > 0');
    return { local, remote };
  });
}

interface ListenAddress {
  address: string;
  family: 4 | 6;
  failureMode: 'all' | 'any';
}

/** parseAddresses: `localhost` as 127.0.0.1 and ::1 (either may fail), an IP as itself; sorted. */
function parseAddresses(addresses: readonly string[]): ListenAddress[] {
  const parsed = new Map<string, ListenAddress>();
  for (const address of addresses) {
    if (address === 'localhost') {
      if (!parsed.has('127.0.0.1')) parsed.set('127.0.0.1', { address: '127.0.0.1', family: 4, failureMode: 'all' });
      if (!parsed.has('::1')) parsed.set('::1', { address: '::1', family: 6, failureMode: 'all' });
    } else if (/^\d{1,3}(\.\d{1,3}){3}$/.test(address) && address.split('.').every((p) => Number(p) <= 255)) {
      parsed.set(address, { address, family: 4, failureMode: 'any' });
    } else if (/^[0-9a-fA-F:]+$/.test(address) && address.includes(':')) {
      parsed.set(address, { address, family: 6, failureMode: 'any' });
    } else throw new KubectlError(`error: ${address} is not a valid IP`);
  }
  return [...parsed.values()].sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
}

/** net.JoinHostPort. */
function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** What Go's net package says of a failed listen. */
function listenError(a: ListenAddress, port: number, error: KernelError): string {
  const reason = error.describe === 'Cannot assign requested address' ? 'cannot assign requested address' : error.describe.charAt(0).toLowerCase() + error.describe.slice(1);
  return `unable to create listener: Error listen tcp${a.family} ${joinHostPort(a.address, port)}: bind: ${reason}`;
}

/** klog's header for an error line: `E0101 09:00:00.000000   12345 file.go:N] `. */
function klogHeader(now: number, pid: number, source: string): string {
  const t = rfc3339(now);
  return `E${t.slice(5, 7)}${t.slice(8, 10)} ${t.slice(11, 19)}.${String(now % 1000).padStart(3, '0')}000 ${String(pid).padStart(7)} ${source}] `;
}

export async function runPortForward(f: Factory, flags: ParsedFlags, args: string[]): Promise<number> {
  const { ctx } = f;
  if (args.length < 2) throw usageError('kubectl port-forward', 'TYPE/NAME and list of ports are required for port-forward');
  const { namespace } = f.namespace();
  const arg = args[0]!;
  const slash = arg.indexOf('/');
  const mapping = slash < 0 ? undefined : (await f.mapper()).resourceFor(arg.slice(0, slash));
  const service = mapping?.kind === 'Service' && mapping.group === '' ? ((await resourceClient(f, mapping).get(namespace, arg.slice(slash + 1))) as Service) : undefined;
  const forwardable = await podFor(f, namespace, arg);
  const ports = service ? translateServicePorts(args.slice(1), service, forwardable) : convertNamedPorts(args.slice(1), forwardable);
  const podName = forwardable.metadata?.name ?? '';
  const pod = (await f.client().resource(PODS).get(namespace, podName)) as Pod;
  const phase = pod.status?.phase ?? '';
  if (phase !== 'Running') throw new KubectlError(`error: unable to forward port because pod is not running. Current status=${phase}`);
  const addresses = parseAddresses(flags.list('address').length ? flags.list('address') : ['localhost']);
  const forwarded = parsePorts(ports);

  // ForwardPorts: the upgrade, then the listeners.
  const response = await f.client().transport.request({ method: 'POST', path: podPath(namespace, podName, 'portforward'), query: new URLSearchParams(), headers: { 'x-stream-protocol-version': 'portforward.k8s.io' } });
  if (response.status !== 101 || !response.portForward) {
    let message = `unable to upgrade connection: ${response.body}`;
    try {
      if ((JSON.parse(response.body) as { kind?: string }).kind === 'Status') message = toStatusError(response).message;
    } catch {
      // A plain-text refusal: the message above.
    }
    throw new KubectlError(`error: error upgrading connection: ${message}`);
  }
  let session: PortForwardSession;
  try {
    session = await response.portForward.open();
  } catch (e) {
    if (!(e instanceof UpgradeFailure)) throw e;
    throw new KubectlError(`error: error upgrading connection: unable to upgrade connection: ${e.body}`);
  }

  const network = localNetworkFor(ctx);
  const listeners: Listener[] = [];
  let lost: () => void = () => undefined;
  const lostConnection = new Promise<'lost'>((resolve) => (lost = () => resolve('lost')));
  const pid = 10_000 + ctx.rng.fork('kubectl/pid').int(90_000);
  const handleConnection = (conn: Connection, port: ForwardedPort) => {
    ctx.stdout(`Handling connection for ${port.local}\n`);
    void session.forward(port.remote, conn).then((error) => {
      conn.close();
      if (!error) return;
      ctx.stderr(`${klogHeader(ctx.clock.now(), pid, 'portforward.go:413')}"Unhandled Error" err=${JSON.stringify(`an error occurred forwarding ${port.local} -> ${port.remote}: ${error}`)}\n`);
      session.close();
      lost();
    });
  };
  let listening = false;
  for (const port of forwarded) {
    const errors: string[] = [];
    const failures = { all: 0, any: 0 };
    const successes = { all: 0, any: 0 };
    for (const a of addresses) {
      try {
        const listener = network.listen(a.address, port.local, (conn) => handleConnection(conn, port));
        port.local = listener.local.port;
        listeners.push(listener);
        ctx.stdout(`Forwarding from ${joinHostPort(a.address, port.local)} -> ${port.remote}\n`);
        successes[a.failureMode]++;
      } catch (e) {
        if (!(e instanceof KernelError)) throw e;
        errors.push(listenError(a, port.local, e));
        failures[a.failureMode]++;
      }
    }
    if ((successes.all === 0 && failures.all > 0) || failures.any > 0) ctx.stderr(`Unable to listen on port ${port.local}: Listeners failed to create with the following errors: [${errors.join(' ')}]\n`);
    else listening = true;
  }
  const stop = () => {
    for (const l of listeners) l.close();
    session.close();
  };
  if (!listening) {
    stop();
    throw new KubectlError(`error: unable to listen on any of the requested ports: [${forwarded.map((p) => `{${p.local} ${p.remote}}`).join(' ')}]`);
  }
  const interrupted = new Promise<'interrupted'>((resolve) => {
    if (ctx.interrupt.fired) resolve('interrupted');
    ctx.interrupt.onDidFire(() => resolve('interrupted'));
  });
  const outcome = await Promise.race([interrupted, lostConnection]);
  stop();
  if (outcome === 'lost') throw new KubectlError('error: lost connection to pod');
  // kubectl catches SIGINT and returns normally.
  return EXIT.ok;
}
