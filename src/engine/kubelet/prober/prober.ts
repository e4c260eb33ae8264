/**
 * The prober (pkg/kubelet/prober/prober.go): runs one probe of a container with the handler its spec
 * names — exec, httpGet, tcpSocket, grpc — and turns the outcome into a result and, as upstream, an
 * event on the container: `Unhealthy` (Warning) with `<Type> probe failed: <output>`, `ProbeWarning`
 * for a success with a warning, and `<Type> probe errored and resulted in unknown state: <error>` when
 * the handler could not run even after three tries (the result is then thrown away).
 *
 * httpGet's host defaults to the pod IP, tcpSocket's too, grpc always dials it; a named port is looked
 * up in the container's ports (ResolveContainerPort), and an exec command's `$(VAR)` takes the
 * container's literal env values (ExpandContainerCommandOnlyStatic). The kubelet dials from its own
 * network namespace (the node's).
 */
import type { Container, ObjectReference, Pod, PodStatus, Probe } from 'kubernetes-types/core/v1';
import type { Clock } from '../../base/clock.ts';
import { EVENT_TYPE_WARNING, type EventRecorder } from '../../client/record/eventRecorder.ts';
import type { NetNamespace } from '../../kernel/ns/netNamespace.ts';
import type { Tcp } from '../../kernel/net/tcp.ts';
import type { CriService } from '../../runtime/cri/criService.ts';
import { expand } from '../kuberuntime/envVars.ts';
import { execProbe } from './probe/exec.ts';
import { grpcProbe } from './probe/grpc.ts';
import { httpProbe } from './probe/http.ts';
import { ProbeError, type ProbeOutcome } from './probe/probe.ts';
import { tcpProbe } from './probe/tcp.ts';
import type { Result } from './results.ts';

/** probeType's String(). */
export type ProbeType = 'Liveness' | 'Readiness' | 'Startup';

/** maxProbeRetries: a probe that errors is tried this many times in a row. */
export const MAX_PROBE_RETRIES = 3;

/** The spec of a container's probe of one type. */
export function probeSpec(container: Container, type: ProbeType): Probe | undefined {
  return type === 'Liveness' ? container.livenessProbe : type === 'Readiness' ? container.readinessProbe : container.startupProbe;
}

export interface ProberOptions {
  clock: Clock;
  cri: CriService;
  tcp: Tcp;
  /** The network namespace the kubelet dials from. */
  netns: () => NetNamespace;
  recorder: EventRecorder;
  /** The event reference of a container (kubecontainer.GenerateContainerRef). */
  containerRef: (pod: Pod, container: Container) => ObjectReference;
}

/** probe.ResolveContainerPort: a number, a port name of the container, or a number in a string. */
export function resolveContainerPort(port: number | string | undefined, container: Container): number {
  let n: number;
  if (typeof port === 'number') n = port;
  else if (typeof port === 'string') {
    const named = container.ports?.find((p) => p.name === port);
    if (named) n = named.containerPort;
    else if (/^[+-]?\d+$/.test(port)) n = Number(port);
    else throw new ProbeError(`strconv.Atoi: parsing ${JSON.stringify(port)}: invalid syntax`);
  } else throw new ProbeError(`intOrString had no kind: ${JSON.stringify(port)}`);
  if (n > 0 && n < 65536) return n;
  throw new ProbeError(`invalid port number: ${n}`);
}

export class Prober {
  constructor(private readonly o: ProberOptions) {}

  /**
   * Probe the container: Success or Failure, or undefined when the probe errored (the worker then
   * throws the result away).
   */
  async probe(type: ProbeType, pod: Pod, status: PodStatus, container: Container, containerId: string): Promise<Result | undefined> {
    const spec = probeSpec(container, type);
    if (!spec) return 'Success';
    let outcome: ProbeOutcome | undefined;
    let error: ProbeError | undefined;
    for (let i = 0; i < MAX_PROBE_RETRIES; i++) {
      try {
        outcome = await this.runProbe(spec, status, container, containerId);
        error = undefined;
        break;
      } catch (e) {
        if (!(e instanceof ProbeError)) throw e;
        error = e;
      }
    }
    const ref = this.o.containerRef(pod, container);
    if (error || !outcome) {
      this.o.recorder.event(ref, EVENT_TYPE_WARNING, 'Unhealthy', `${type} probe errored and resulted in unknown state: ${error?.message ?? ''}`);
      return undefined;
    }
    switch (outcome.result) {
      case 'success':
        return 'Success';
      case 'warning':
        this.o.recorder.event(ref, EVENT_TYPE_WARNING, 'ProbeWarning', `${type} probe warning: ${outcome.output}`);
        return 'Success';
      case 'failure':
        this.o.recorder.event(ref, EVENT_TYPE_WARNING, 'Unhealthy', `${type} probe failed: ${outcome.output}`);
        return 'Failure';
      default:
        return 'Failure';
    }
  }

  private runProbe(spec: Probe, status: PodStatus, container: Container, containerId: string): Promise<ProbeOutcome> {
    const timeout = spec.timeoutSeconds ?? 1;
    const podIP = status.podIP ?? '';
    if (spec.exec) {
      const env = new Map((container.env ?? []).filter((e) => e.value !== undefined).map((e) => [e.name, e.value!]));
      return execProbe(this.o.cri, containerId, (spec.exec.command ?? []).map((a) => expand(a, env)), timeout);
    }
    if (spec.httpGet) {
      const g = spec.httpGet;
      const port = resolveContainerPort(g.port, container);
      return httpProbe(this.o.clock, this.o.tcp, this.o.netns(), { scheme: g.scheme ?? 'HTTP', host: g.host || podIP, port, path: g.path ?? '', headers: g.httpHeaders ?? [] }, timeout);
    }
    if (spec.tcpSocket) {
      const port = resolveContainerPort(spec.tcpSocket.port, container);
      return tcpProbe(this.o.tcp, this.o.netns(), spec.tcpSocket.host || podIP, port, timeout);
    }
    if (spec.grpc) return grpcProbe(this.o.clock, this.o.tcp, this.o.netns(), podIP, spec.grpc.port, timeout);
    return Promise.resolve({ result: 'unknown', output: '' });
  }
}
