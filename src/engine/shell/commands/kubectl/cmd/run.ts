/**
 * `kubectl run NAME --image=IMAGE` (k8s.io/kubectl/pkg/cmd/run/run.go and generate/versioned/run.go's
 * PodGeneratorV1): a Pod labelled `run: NAME` (or `--labels`), one container named NAME with
 * `--env`, `--port`, `--image-pull-policy`, `--privileged`, the arguments after NAME as its args (its
 * command with `--command`), `dnsPolicy: ClusterFirst` and `--restart`'s policy; `--expose` first
 * creates a Service for it on `--port`.
 *
 * With `--attach` (implied by `-i`): create the pod without printing it, wait for the pod to run and be ready (`--pod-running-timeout`), attach
 * to it as `kubectl attach` does (a pod already completed shows its logs instead, as does one that cannot
 * be attached, after kubectl's warning), then — for restart policies Never and OnFailure — wait for the pod
 * to finish and exit with its container's code (`pod default/x terminated (Error)`); `--rm` deletes the
 * pod afterwards (`pod "x" deleted`).
 *
 * `--overrides` patch the generated pod (overrides.ts).
 */
import { asStatusError } from '../../../../api/errors.ts';
import { EXIT } from '../../../command.ts';
import type { Pod } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../../../../client/rest/restClient.ts';
import { errorMessage, KubectlError, usageError } from '../errors.ts';
import type { Factory } from '../factory.ts';
import type { ParsedFlags } from '../flags.ts';
import { splitAtDash } from './createWorkloads.ts';
import { dryRun } from './common.ts';
import { attachTo } from './exec.ts';
import { podPath } from './podcmd.ts';
import { parseDuration, untilWithSync } from './until.ts';
import { createObject, goMap, objectMeta, parsePairs, requireFlags, type Obj } from './generator.ts';
import { applyOverrides } from './overrides.ts';

const PATH = 'kubectl run';
const PODS = { group: '', version: 'v1', resource: 'pods', namespaced: true };

/** distribution/reference's ReferenceRegexp, as kubectl checks an image name. */
const IMAGE = /^((?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?\/)?[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$/;

export async function runRun(f: Factory, flags: ParsedFlags, args: string[]): Promise<number> {
  requireFlags(flags, 'image');
  const { before, after } = splitAtDash(f, args);
  if (before.length === 0) throw usageError(PATH, 'NAME is required for run');
  const name = before[0] ?? '';
  const rest = [...before.slice(1), ...after];
  const image = flags.string('image');
  if (image === '') throw new KubectlError('error: --image is required');
  if (!IMAGE.test(image)) throw new KubectlError(`error: Invalid image name "${image}": invalid reference format`);
  const interactive = flags.bool('stdin');
  const tty = flags.bool('tty');
  if (tty && !interactive) throw usageError(PATH, '-i/--stdin is required for containers with -t/--tty=true');
  const port = flags.string('port');
  if (flags.bool('expose') && !port) throw usageError(PATH, '--port must be set when exposing a service');
  const restart = flags.string('restart') || (interactive ? 'OnFailure' : 'Always');
  if (!['Always', 'OnFailure', 'Never'].includes(restart)) throw usageError(PATH, `invalid restart policy: ${restart}`);
  const attach = flags.changed('attach') ? flags.bool('attach') : interactive;
  if (!attach && flags.bool('rm')) throw usageError(PATH, '--rm should only be used for attached containers');
  const mode = dryRun(flags);
  if (attach && mode !== 'none') throw usageError(PATH, "--dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)");
  const pullPolicy = flags.string('image-pull-policy');
  if (pullPolicy && !['Always', 'IfNotPresent', 'Never'].includes(pullPolicy)) throw usageError(PATH, `invalid image pull policy: ${pullPolicy}`);

  const labels = flags.string('labels') ? parsePairs(flags.string('labels').split(','), (p) => `error: invalid label spec: ${p}`) : { run: name };
  const annotations = parsePairs(flags.all('annotations'), (p) => `error: invalid annotation spec: ${p}`);
  const env = flags.all('env').map((pair) => {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new KubectlError(`error: invalid env: ${pair}`);
    return { name: pair.slice(0, eq), value: pair.slice(eq + 1) };
  });
  const portNumber = Number(port);
  if (port && !/^\d+$/.test(port)) throw new KubectlError(`error: strconv.Atoi: parsing "${port}": invalid syntax`);
  const container: Obj = {
    name,
    image,
    ...(rest.length ? { [flags.bool('command') ? 'command' : 'args']: rest } : {}),
    ...(port ? { ports: [{ containerPort: portNumber }] } : {}),
    ...(env.length ? { env } : {}),
    resources: {},
    ...(pullPolicy ? { imagePullPolicy: pullPolicy } : {}),
    ...(flags.bool('privileged') ? { securityContext: { privileged: true } } : {}),
    ...(interactive ? { stdin: true, stdinOnce: !flags.bool('leave-stdin-open') } : {}),
    ...(tty ? { tty: true } : {}),
  };
  const generated: Obj = {
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: objectMeta({ name, labels, annotations }),
    spec: { containers: [container], restartPolicy: restart, dnsPolicy: 'ClusterFirst' },
    status: {},
  };
  const pod = applyOverrides(flags, generated, 'Pod');
  if (flags.bool('expose')) {
    const service: Obj = {
      kind: 'Service',
      apiVersion: 'v1',
      metadata: objectMeta({ name }),
      spec: { ports: [{ protocol: 'TCP', port: portNumber, targetPort: portNumber }], selector: goMap(Object.entries(labels ?? {})) },
      status: { loadBalancer: {} },
    };
    await createObject(f, flags, service, { group: '', version: 'v1', resource: 'services', namespaced: true });
    // kubectl prints each object through its own printer, whose YAML separator repeats.
    if (flags.string('output').toLowerCase() === 'yaml') f.ctx.stdout('---\n---\n');
  }
  if (!attach) return createObject(f, flags, pod, PODS);
  // An attached run prints nothing of what it created: the session is its output.
  const namespace = f.namespace().namespace;
  await f.client().resource(PODS).create(namespace, JSON.parse(JSON.stringify(pod)) as KubeObject, { fieldManager: flags.string('field-manager') || 'kubectl-run' });
  try {
    return await attachToRun(f, flags, namespace, name, restart);
  } finally {
    if (flags.bool('rm')) await removePod(f, namespace, name);
  }
}

/** run's handleAttachPod and what follows it: attach (or show the logs), then the pod's outcome. */
async function attachToRun(f: Factory, flags: ParsedFlags, namespace: string, name: string, restart: string): Promise<number> {
  const timeout = parseDuration(flags.string('pod-running-timeout'), 'pod-running-timeout');
  const ready = await waitForPod(f, namespace, name, timeout, (p) => {
    const phase = p.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') return true;
    return phase === 'Running' && (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
  });
  if (ready === 'interrupted') return EXIT.interrupted;
  const options = { stdin: flags.bool('stdin'), tty: flags.bool('tty'), quiet: flags.bool('quiet') };
  const container = ready.spec?.containers?.[0]?.name ?? name;
  const phase = ready.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') await showLogs(f, ready, container);
  else {
    try {
      await attachTo(f, ready, container, options);
    } catch (e) {
      if (e instanceof KubectlError && e.exitCode !== 1) throw e;
      f.ctx.stderr(`warning: couldn't attach to pod/${name}, falling back to streaming logs: ${errorMessage(e).replace(/^error: /, '')}\n`);
      await showLogs(f, ready, container);
    }
  }
  if (flags.bool('leave-stdin-open') || (restart !== 'Never' && restart !== 'OnFailure')) return EXIT.ok;
  const done = await waitForPod(f, namespace, name, timeout, (p) => p.status?.phase === 'Succeeded' || (restart === 'Never' && p.status?.phase === 'Failed'));
  if (done === 'interrupted') return EXIT.interrupted;
  if (done.status?.phase === 'Succeeded') return EXIT.ok;
  const unknown = new KubectlError(`error: pod ${namespace}/${name} failed with unknown exit code`);
  const terminated = done.status?.containerStatuses?.[0]?.state?.terminated;
  if (!terminated || terminated.exitCode === 0) throw unknown;
  throw new KubectlError(`pod ${namespace}/${name} terminated (${terminated.reason ?? ''})\n${terminated.message ?? ''}`, terminated.exitCode);
}

/** run's waitForPod: watch the pod until `condition` holds; `timed out waiting for the condition` after `timeoutMs`. */
async function waitForPod(f: Factory, namespace: string, name: string, timeoutMs: number, condition: (pod: Pod) => boolean): Promise<Pod | 'interrupted'> {
  let seen: Pod | undefined;
  const mapping = (await f.mapper()).resourceFor('pods');
  const outcome = await untilWithSync(f, mapping, namespace, name, timeoutMs, (event) => {
    if (event.type === 'DELETED') throw new KubectlError(`error: pods "${name}" not found`);
    seen = event.object as Pod;
    return condition(seen);
  });
  if (outcome === 'interrupted') return 'interrupted';
  if (outcome === 'timeout' || !seen) throw new KubectlError('error: timed out waiting for the condition');
  return seen;
}

/** logOpts: the container's whole log, for a pod that cannot be (or no longer is) attached. */
async function showLogs(f: Factory, pod: Pod, container: string): Promise<void> {
  const response = await f.client().raw('GET', podPath(pod.metadata?.namespace ?? '', pod.metadata?.name ?? '', 'log'), { container });
  f.ctx.stdout(response.body);
}

/** --rm: delete what run created, printed as `kubectl delete` prints it. */
async function removePod(f: Factory, namespace: string, name: string): Promise<void> {
  try {
    await f.client().resource(PODS).delete(namespace, name);
    f.ctx.stdout(`pod "${name}" deleted\n`);
  } catch (e) {
    if (!asStatusError(e)) throw e;
    f.ctx.stderr(`${errorMessage(e)}\n`);
  }
}
