/**
 * The pod status the kubelet computes from what the runtime says (pkg/kubelet/kubelet_pods.go
 * generateAPIPodStatus, convertToAPIContainerStatuses and getPhase; pkg/kubelet/status/generate.go;
 * 1.32): each container's state (running, terminated, or waiting with the reason its last start failed —
 * ContainerCreating, PodInitializing, ErrImagePull, ImagePullBackOff, CrashLoopBackOff,
 * CreateContainerConfigError…), lastState from the attempt before, restartCount, ready and started; the
 * phase (a container waiting after a termination counts as restarting, not pending); the kubelet's
 * conditions in upstream's order — PodReadyToStartContainers, Initialized, Ready, ContainersReady,
 * PodScheduled — keeping each one's lastTransitionTime while its status does not change.
 *
 * A running container is started and ready unless the probes say otherwise (`probed`: the probe
 * manager's started and ready, prober/proberManager.ts).
 *
 * Ephemeral containers (kubectl debug) get ephemeralContainerStatuses the same way, never ready.
 *
 * Left out: readiness gates, sidecar init containers (restartPolicy Always), resize status and allocated resources.
 */
import type { ContainerStatus, Pod, PodCondition, PodStatus } from 'kubernetes-types/core/v1';
import { rfc3339 } from '../../api/time.ts';
import type { ContainerStatus as CriContainerStatus } from '../../runtime/cri/types.ts';

/** What the runtime and the last sync know about one container of the pod. */
export interface RuntimeContainer {
  /** The newest attempt's CRI status, if the container was ever created. */
  latest?: CriContainerStatus;
  /** The attempt before it. */
  previous?: CriContainerStatus;
  /** The image ID as the node lists it (repo digest). */
  imageID?: string;
  /** The reason the last sync could not start it, with its message. */
  waiting?: { reason: string; message: string };
  restartCount: number;
  /** For a running container: what its startup and readiness probes make of it (absent: started and ready). */
  probed?: { started: boolean; ready: boolean };
}

export interface PodRuntimeView {
  initContainers: ReadonlyMap<string, RuntimeContainer>;
  containers: ReadonlyMap<string, RuntimeContainer>;
  /** The ephemeral containers (kubectl debug), reported as ephemeralContainerStatuses. */
  ephemeralContainers?: ReadonlyMap<string, RuntimeContainer>;
  sandboxReady: boolean;
  podIP: string;
  hostIP: string;
  startTime: number;
  /** The kubelet is done with the pod (deleted, or terminal): it will restart nothing. */
  terminal: boolean;
}

const seconds = (nanos: number) => rfc3339(Math.floor(nanos / 1e6));

function terminated(s: CriContainerStatus): NonNullable<ContainerStatus['state']> {
  return {
    terminated: {
      containerID: `containerd://${s.id}`,
      exitCode: s.exitCode,
      finishedAt: seconds(s.finishedAt),
      ...(s.message ? { message: s.message } : {}),
      reason: s.reason || (s.exitCode === 0 ? 'Completed' : 'Error'),
      startedAt: seconds(s.startedAt),
    },
  };
}

function apiContainerStatus(name: string, specImage: string, rc: RuntimeContainer, defaultWaiting: string, mounts: ContainerStatus['volumeMounts']): ContainerStatus {
  const s = rc.latest;
  const base: ContainerStatus = { image: specImage, imageID: '', lastState: {}, name, ready: false, restartCount: rc.restartCount, started: false, state: { waiting: { reason: defaultWaiting } } };
  if (!s) {
    if (rc.waiting) base.state = { waiting: { ...(rc.waiting.message ? { message: rc.waiting.message } : {}), reason: rc.waiting.reason } };
    return base;
  }
  const out: ContainerStatus = { ...base, containerID: `containerd://${s.id}`, image: s.image.image, imageID: rc.imageID ?? s.imageRef };
  if (rc.previous && rc.previous.state === 'CONTAINER_EXITED') out.lastState = terminated(rc.previous);
  if (s.state === 'CONTAINER_RUNNING') {
    out.state = { running: { startedAt: seconds(s.startedAt) } };
    out.ready = rc.probed?.ready ?? true;
    out.started = rc.probed?.started ?? true;
  } else if (s.state === 'CONTAINER_EXITED') {
    if (rc.waiting) {
      out.state = { waiting: { ...(rc.waiting.message ? { message: rc.waiting.message } : {}), reason: rc.waiting.reason } };
      out.lastState = terminated(s);
    } else out.state = terminated(s);
  } else out.state = { waiting: { reason: 'ContainerCreating' } };
  if (mounts?.length) out.volumeMounts = mounts;
  return out;
}

function isSucceeded(s: ContainerStatus): boolean {
  return s.state?.terminated?.exitCode === 0;
}

/** getPhase. */
export function getPhase(pod: Pod, init: readonly ContainerStatus[], regular: readonly ContainerStatus[], terminal: boolean): string {
  const policy = pod.spec?.restartPolicy ?? 'Always';
  for (const s of init) {
    if (isSucceeded(s)) continue;
    if (s.state?.terminated && policy === 'Never') return 'Failed';
    if (s.state?.waiting && s.lastState?.terminated && policy === 'Never') return 'Failed';
    return 'Pending';
  }
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const s of regular) {
    if (s.state?.running) running++;
    else if (s.state?.terminated) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (s.state?.waiting && s.lastState?.terminated) stopped++;
    else waiting++;
  }
  if (waiting > 0 && !terminal) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped > 0 && (terminal || waiting === 0)) {
    if (terminal) return stopped === succeeded && waiting === 0 ? 'Succeeded' : 'Failed';
    if (policy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (policy === 'Never') return 'Failed';
    return 'Running';
  }
  return terminal ? 'Failed' : 'Pending';
}

/** The volumeMounts a container status reports (RecursiveReadOnlyMounts, on by default since 1.31). */
function statusMounts(pod: Pod, name: string): ContainerStatus['volumeMounts'] {
  const c = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? []), ...(pod.spec?.ephemeralContainers ?? [])].find((x) => x.name === name);
  return (c?.volumeMounts ?? []).map((m) => ({ mountPath: m.mountPath, name: m.name, ...(m.readOnly ? { readOnly: true, recursiveReadOnly: 'Disabled' } : {}) }));
}

/** generateAPIPodStatus: the status to write at `now`, given the one the pod has. */
export function generateAPIPodStatus(pod: Pod, view: PodRuntimeView, qosClass: string, now: number): PodStatus {
  const spec = pod.spec;
  const hasInit = (spec?.initContainers?.length ?? 0) > 0;
  const defaultWaiting = hasInit ? 'PodInitializing' : 'ContainerCreating';
  const empty: RuntimeContainer = { restartCount: 0 };
  const init = (spec?.initContainers ?? []).map((c) => apiContainerStatus(c.name, c.image ?? '', view.initContainers.get(c.name) ?? empty, defaultWaiting, statusMounts(pod, c.name)));
  const regular = (spec?.containers ?? []).map((c) => apiContainerStatus(c.name, c.image ?? '', view.containers.get(c.name) ?? empty, defaultWaiting, statusMounts(pod, c.name)));
  // Ephemeral containers are never ready and report no `started` (no probes; they serve nothing).
  const ephemeral = (spec?.ephemeralContainers ?? []).map((c) => {
    const { started: _started, ...s } = apiContainerStatus(c.name, c.image ?? '', view.ephemeralContainers?.get(c.name) ?? empty, 'ContainerCreating', statusMounts(pod, c.name));
    return { ...s, ready: false };
  });
  for (const s of init) if (s.state?.terminated && s.state.terminated.exitCode === 0) s.ready = true;
  for (const s of init) if (s.state?.running) s.ready = false;
  let phase = getPhase(pod, init, regular, view.terminal);
  const old = pod.status ?? {};
  if (old.phase === 'Failed' || old.phase === 'Succeeded') phase = old.phase;
  if (view.terminal && phase !== 'Failed' && phase !== 'Succeeded') phase = 'Failed';
  const time = rfc3339(now);
  const previous = (type: string) => old.conditions?.find((c) => c.type === type);
  // The kubelet's conditions carry `lastProbeTime: null` (Go's zero metav1.Time); kubernetes-types types it as a string.
  const condition = (type: string, status: boolean, reason?: string, message?: string): PodCondition => {
    const text = status ? 'True' : 'False';
    const was = previous(type);
    return {
      ...(message ? { message } : {}),
      type,
      status: text,
      lastProbeTime: null as unknown as string,
      lastTransitionTime: was && was.status === text ? (was.lastTransitionTime ?? time) : time,
      ...(reason ? { reason } : {}),
    };
  };
  const incompleteInit = init.filter((s) => !isSucceeded(s)).map((s) => s.name);
  const initialized = incompleteInit.length === 0;
  const unready = regular.filter((s) => !s.ready).map((s) => s.name);
  const done = phase === 'Succeeded' || phase === 'Failed';
  const ready = (type: string) => {
    if (phase === 'Succeeded') return condition(type, false, 'PodCompleted');
    if (!initialized) return condition(type, false, 'ContainersNotInitialized', `containers with incomplete status: [${incompleteInit.join(' ')}]`);
    if (unready.length) return condition(type, false, 'ContainersNotReady', `containers with unready status: [${unready.join(' ')}]`);
    return condition(type, true);
  };
  const conditions: PodCondition[] = [
    condition('PodReadyToStartContainers', view.sandboxReady && !done),
    initialized ? condition('Initialized', true, phase === 'Succeeded' && hasInit ? 'PodCompleted' : undefined) : condition('Initialized', false, 'ContainersNotInitialized', `containers with incomplete status: [${incompleteInit.join(' ')}]`),
    ready('Ready'),
    ready('ContainersReady'),
    previous('PodScheduled') ?? condition('PodScheduled', true),
  ];
  const status: PodStatus = {
    conditions,
    containerStatuses: regular,
    ...(ephemeral.length > 0 ? { ephemeralContainerStatuses: ephemeral } : {}),
    hostIP: view.hostIP,
    hostIPs: [{ ip: view.hostIP }],
    ...(hasInit ? { initContainerStatuses: init } : {}),
    phase,
    qosClass,
    startTime: rfc3339(view.startTime),
  };
  if (view.podIP) Object.assign(status, { podIP: view.podIP, podIPs: [{ ip: view.podIP }] });
  else if (old.podIP) Object.assign(status, { podIP: old.podIP, podIPs: old.podIPs });
  return status;
}
