/**
 * `kubectl debug` (k8s.io/kubectl/pkg/cmd/debug, 1.32) with an ephemeral container or on a node.
 *
 * `kubectl debug POD --image=IMAGE [-c NAME] [--target=CONTAINER] [-i] [-t] [-- COMMAND…]`: a debug
 * container (named NAME, else `debugger-xxxxx`, said with `Defaulting debug container name to …`) is
 * added to the running pod by a strategic merge PATCH of its `ephemeralcontainers` subresource; with
 * `--target` it shares that container's process namespace (`Targeting container "c". …` first). With
 * `--attach` (implied by `-i`), kubectl watches the pod until the container runs (printing its waiting
 * message meanwhile), then attaches as `kubectl attach` does — or shows its log if it already ended.
 *
 * `kubectl debug node/NAME --image=IMAGE -it`: a pod `node-debugger-NAME-xxxxx` on that node in the
 * host's network, pid and ipc namespaces with the node's root filesystem at /host (the legacy profile),
 * restartPolicy Never, tolerating every taint; then the same attach.
 *
 * Validation and messages as kubectl's (`you must specify --image when not using --copy-to.`, the legacy
 * profile's deprecation warning on stderr). Left out: `--copy-to` and its flags, profiles other than
 * legacy, `--custom`, `-f`.
 */
import type { Container, EnvVar, EphemeralContainer, Pod } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../../../../client/rest/restClient.ts';
import { EXIT } from '../../../command.ts';
import { errorMessage, KubectlError } from '../errors.ts';
import type { Factory } from '../factory.ts';
import type { ParsedFlags } from '../flags.ts';
import { attachTo } from './exec.ts';
import { PODS, podPath } from './podcmd.ts';
import { untilWithSync } from './until.ts';

const NODES = { group: '', version: 'v1', resource: 'nodes', namespaced: false };

/** distribution/reference's ReferenceRegexp (as kubectl run checks an image). */
const IMAGE = /^((?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?\/)?[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$/;

/** utilrand.String's alphabet: no vowels, no confusable digits. */
const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

const PROFILES = ['legacy', 'general', 'baseline', 'netadmin', 'restricted', 'sysadmin'];

interface DebugOptions {
  image: string;
  container: string;
  target: string;
  interactive: boolean;
  tty: boolean;
  quiet: boolean;
  attach: boolean;
  pullPolicy: string;
  env: EnvVar[];
  /** After `--`: the command (or, with --arguments-only, the args). */
  args: string[];
  argsOnly: boolean;
}

export async function runDebug(f: Factory, flags: ParsedFlags, args: string[]): Promise<number> {
  const dash = f.ctx.argv.indexOf('--');
  // cobra's ArgsLenAtDash: the positional arguments before `--` name the targets, the rest is the command.
  const atDash = dash < 0 ? -1 : args.length - (f.ctx.argv.length - dash - 1);
  const targets = atDash >= 0 ? args.slice(0, atDash) : args;
  const o: DebugOptions = {
    image: flags.string('image'),
    container: flags.string('container'),
    target: flags.string('target'),
    interactive: flags.bool('stdin'),
    tty: flags.bool('tty'),
    quiet: flags.bool('quiet'),
    attach: flags.changed('attach') ? flags.bool('attach') : flags.bool('stdin'),
    pullPolicy: flags.string('image-pull-policy'),
    env: flags.all('env').flatMap((list) => list.split(',')).map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) throw new KubectlError(`error: invalid argument "${pair}" for "--env" flag: ${pair} must be formatted as key=value`);
      return { name: pair.slice(0, eq), value: pair.slice(eq + 1) };
    }),
    args: atDash >= 0 ? args.slice(atDash) : [],
    argsOnly: flags.bool('arguments-only'),
  };
  // debug's own --profile shadows the global profiling flag of the same name (default 'none').
  const profile = flags.changed('profile') ? flags.string('profile') : 'legacy';
  if (!PROFILES.includes(profile)) throw new KubectlError(`error: unknown profile: ${profile}`);
  if (profile !== 'legacy') throw new KubectlError(`error: the lab's kubectl debug knows only --profile=legacy`);
  validate(f, flags, o, targets);
  if (profile === 'legacy') f.ctx.stderr('--profile=legacy is deprecated and will be removed in the future. It is recommended to explicitly specify a profile, for example "--profile=general".\n');
  const { namespace } = f.namespace();
  for (const target of targets) {
    const [pod, container] = await visit(f, o, namespace, target);
    if (o.attach && container) {
      const code = await handleAttachPod(f, o, pod, container);
      if (code !== EXIT.ok) return code;
    }
  }
  return EXIT.ok;
}

/** DebugOptions.Validate, for what the lab implements. */
function validate(f: Factory, flags: ParsedFlags, o: DebugOptions, targets: string[]): void {
  if (o.attach && flags.changed('attach') && !o.image && !o.container) throw new KubectlError('error: you must specify --container or create a new container using --image in order to attach.');
  if (flags.string('copy-to')) throw new KubectlError("error: the lab's kubectl debug does not make copies (--copy-to)");
  if (flags.bool('replace')) throw new KubectlError('error: --replace may only be used with --copy-to.');
  if (flags.bool('same-node')) throw new KubectlError('error: --same-node may only be used with --copy-to.');
  if (flags.all('set-image').length > 0) throw new KubectlError('error: --set-image may only be used with --copy-to.');
  if (!o.image) throw new KubectlError('error: you must specify --image when not using --copy-to.');
  if (!IMAGE.test(o.image)) throw new KubectlError(`error: invalid image name "${o.image}": invalid reference format`);
  if (targets.length === 0) throw new KubectlError('error: NAME or filename is required for debug');
  if (o.pullPolicy && !['Always', 'IfNotPresent', 'Never'].includes(o.pullPolicy)) throw new KubectlError(`error: invalid image pull policy: ${o.pullPolicy}`);
  if (o.target && !o.quiet) f.ctx.stdout(`Targeting container ${JSON.stringify(o.target)}. If you don't see processes from this container it may be because the container runtime doesn't support this feature.\n`);
  if (o.tty && !o.interactive) throw new KubectlError('error: -i/--stdin is required for containers with -t/--tty=true');
}

/** The builder's visit: a pod gets an ephemeral container, a node a debugging pod. */
async function visit(f: Factory, o: DebugOptions, namespace: string, target: string): Promise<[Pod, string]> {
  const slash = target.indexOf('/');
  const mapping = slash < 0 ? undefined : (await f.mapper()).resourceFor(target.slice(0, slash));
  const name = slash < 0 ? target : target.slice(slash + 1);
  if (!mapping || (mapping.group === '' && mapping.resource === 'pods')) {
    const pod = (await f.client().resource(PODS).get(namespace, name)) as Pod;
    return debugByEphemeralContainer(f, o, pod);
  }
  if (mapping.group === '' && mapping.resource === 'nodes') {
    await f.client().resource(NODES).get('', name);
    return visitNode(f, o, namespace, name);
  }
  const version = mapping.group ? `${mapping.group}/${mapping.version}` : mapping.version;
  throw new KubectlError(`error: "${version}, Kind=${mapping.kind}" not supported by debug`);
}

/** utilrand.String(5), from the session's seeded randomness. */
function nameSuffix(f: Factory): string {
  return f.ctx.rng.string(SUFFIX_ALPHABET, 5);
}

/** computeDebugContainerName: -c, else a `debugger-xxxxx` no container of the pod has. */
function debugContainerName(f: Factory, o: DebugOptions, pod: Pod): string {
  if (o.container) return o.container;
  const spec = pod.spec;
  const taken = new Set([...(spec?.containers ?? []), ...(spec?.initContainers ?? []), ...(spec?.ephemeralContainers ?? [])].map((c) => c.name));
  let name = '';
  while (!name || taken.has(name)) name = `debugger-${nameSuffix(f)}`;
  if (!o.quiet) f.ctx.stdout(`Defaulting debug container name to ${name}.\n`);
  return name;
}

/** The fields of a debug container both kinds share, in Go's field order. */
function debugContainer(o: DebugOptions, name: string): Container {
  return {
    name,
    image: o.image,
    ...(o.args.length ? { [o.argsOnly ? 'args' : 'command']: o.args } : {}),
    ...(o.env.length ? { env: o.env } : {}),
    resources: {},
    terminationMessagePolicy: 'File',
    ...(o.pullPolicy ? { imagePullPolicy: o.pullPolicy } : {}),
    ...(o.interactive ? { stdin: true } : {}),
    ...(o.tty ? { tty: true } : {}),
  };
}

/**
 * debugByEphemeralContainer: the two-way strategic merge patch from the pod to the pod with one more
 * ephemeral container, sent to pods/NAME/ephemeralcontainers.
 */
async function debugByEphemeralContainer(f: Factory, o: DebugOptions, pod: Pod): Promise<[Pod, string]> {
  const name = debugContainerName(f, o, pod);
  const ec: EphemeralContainer = { ...debugContainer(o, name), ...(o.target ? { targetContainerName: o.target } : {}) };
  const existing = pod.spec?.ephemeralContainers ?? [];
  const spec = existing.length ? { '$setElementOrder/ephemeralContainers': [...existing, ec].map((c) => ({ name: c.name })), ephemeralContainers: [ec] } : { ephemeralContainers: [ec] };
  const namespace = pod.metadata?.namespace ?? '';
  const result = (await f.client().resource(PODS).patch(namespace, pod.metadata?.name ?? '', 'strategic', { spec }, { subresource: 'ephemeralcontainers' })) as Pod;
  return [result, name];
}

/** visitNode with generateNodeDebugPod and the legacy profile: the host's namespaces and its / at /host. */
async function visitNode(f: Factory, o: DebugOptions, namespace: string, nodeName: string): Promise<[Pod, string]> {
  const container = o.container || 'debugger';
  const name = `node-debugger-${nodeName}-${nameSuffix(f)}`;
  if (!o.quiet) f.ctx.stdout(`Creating debugging pod ${name} with container ${container} on node ${nodeName}.\n`);
  const pod: Pod & KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { 'app.kubernetes.io/managed-by': 'kubectl-debug' } },
    spec: {
      containers: [{ ...debugContainer(o, container), volumeMounts: [{ name: 'host-root', mountPath: '/host' }] }],
      hostIPC: true,
      hostNetwork: true,
      hostPID: true,
      nodeName,
      restartPolicy: 'Never',
      tolerations: [{ operator: 'Exists' }],
      volumes: [{ name: 'host-root', hostPath: { path: '/' } }],
    },
  };
  const created = (await f.client().resource(PODS).create(namespace, pod)) as Pod;
  return [created, container];
}

/** The status of `name` among the pod's init, regular and ephemeral container statuses. */
function containerStatus(pod: Pod, name: string) {
  const s = pod.status;
  return [...(s?.initContainerStatuses ?? []), ...(s?.containerStatuses ?? []), ...(s?.ephemeralContainerStatuses ?? [])].find((c) => c.name === name);
}

/** handleAttachPod: wait for the container to run (or end), then attach — or show its log. */
async function handleAttachPod(f: Factory, o: DebugOptions, pod: Pod, container: string): Promise<number> {
  const namespace = pod.metadata?.namespace ?? '';
  const name = pod.metadata?.name ?? '';
  let seen: Pod | undefined;
  const mapping = (await f.mapper()).resourceFor('pods');
  const outcome = await untilWithSync(f, mapping, namespace, name, 0, (event) => {
    if (event.type === 'DELETED') throw new KubectlError('Error from server (NotFound): pods "" not found');
    const p = event.object as Pod;
    const s = containerStatus(p, container);
    if (!s) return false;
    if (s.state?.running || s.state?.terminated) {
      seen = p;
      return true;
    }
    if (!o.quiet && s.state?.waiting?.message) f.ctx.stderr(`Warning: container ${container}: ${s.state.waiting.message}\n`);
    return false;
  });
  if (outcome === 'interrupted') return EXIT.interrupted;
  if (!seen) throw new KubectlError('error: timed out waiting for the condition');
  if (containerStatus(seen, container)?.state?.terminated) {
    f.ctx.stdout((await f.client().raw('GET', podPath(namespace, name, 'log'), { container })).body);
    return EXIT.ok;
  }
  try {
    return await attachTo(f, seen, container, { stdin: o.interactive, tty: o.tty, quiet: o.quiet });
  } catch (e) {
    if (e instanceof KubectlError && e.exitCode !== 1) throw e;
    f.ctx.stderr(`warning: couldn't attach to pod/${name}, falling back to streaming logs: ${errorMessage(e).replace(/^error: /, '')}\n`);
    f.ctx.stdout((await f.client().raw('GET', podPath(namespace, name, 'log'), { container })).body);
    return EXIT.ok;
  }
}
