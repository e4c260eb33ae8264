/**
 * `kubectl run NAME --image=IMAGE` (k8s.io/kubectl/pkg/cmd/run/run.go and generate/versioned/run.go's
 * PodGeneratorV1): a Pod labelled `run: NAME` (or `--labels`), one container named NAME with
 * `--env`, `--port`, `--image-pull-policy`, `--privileged`, the arguments after NAME as its args (its
 * command with `--command`), `dnsPolicy: ClusterFirst` and `--restart`'s policy; `--expose` first
 * creates a Service for it on `--port`.
 *
 * Left out: attaching (`-i`, `-t`, `--attach`, `--rm`): the lab's kubelet serves no attach, so after
 * creating the pod kubectl's attach fails as it does against a server without that subresource (and
 * `--rm` deletes the pod); waiting for the pod to run first (`--pod-running-timeout`); `--overrides`.
 */
import { asStatusError } from '../../../../api/errors.ts';
import { EXIT } from '../../../command.ts';
import { KubectlError, usageError } from '../errors.ts';
import type { Factory } from '../factory.ts';
import type { ParsedFlags } from '../flags.ts';
import { splitAtDash } from './createWorkloads.ts';
import { dryRun } from './common.ts';
import { createObject, goMap, objectMeta, parsePairs, requireFlags, type Obj } from './generator.ts';

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
  const pod: Obj = {
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: objectMeta({ name, labels, annotations }),
    spec: { containers: [container], restartPolicy: restart, dnsPolicy: 'ClusterFirst' },
    status: {},
  };
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
  const code = await createObject(f, flags, pod, PODS);
  if (!attach) return code;
  return attachFailed(f, name, flags.bool('rm'));
}

/** What kubectl says when the attach to the new pod fails: the server serves no `pods/attach`. */
async function attachFailed(f: Factory, name: string, remove: boolean): Promise<number> {
  const namespace = f.namespace().namespace;
  f.ctx.stderr("If you don't see a command prompt, try pressing enter.\n");
  f.ctx.stderr('error: unable to upgrade connection: the server could not find the requested resource\n');
  if (remove) {
    try {
      await f.client().resource(PODS).delete(namespace, name);
      f.ctx.stdout(`pod "${name}" deleted from ${namespace} namespace\n`);
    } catch (e) {
      if (!asStatusError(e)) throw e;
    }
  }
  return EXIT.failure;
}
