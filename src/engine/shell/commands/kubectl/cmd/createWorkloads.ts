/**
 * `kubectl create deployment|job|cronjob` (k8s.io/kubectl/pkg/cmd/create/create_deployment.go,
 * create_job.go, create_cronjob.go): the objects those generators build, field for field, then
 * createObject's dry run or POST.
 *
 * Left out: `create job --from=cronjob/x` copies the CronJob's job template as the server returned it, so
 * its `-o json` keys follow the server's order rather than Go's struct order (`-o yaml` is the same).
 */
import type { KubeObject } from '../../../../client/rest/restClient.ts';
import { KubectlError, usageError } from '../errors.ts';
import type { Factory } from '../factory.ts';
import type { ParsedFlags } from '../flags.ts';
import { createObject, enforcedNamespace, failedToCreate, nameArg, objectMeta, requireFlags, type Obj } from './generator.ts';

/** cobra's ArgsLenAtDash: the positional arguments before `--`, and those after it. */
export function splitAtDash(f: Factory, args: readonly string[]): { before: string[]; after: string[] } {
  const argv = f.ctx.argv;
  const dash = argv.indexOf('--');
  if (dash < 0) return { before: [...args], after: [] };
  const after = argv.length - dash - 1;
  return { before: args.slice(0, args.length - after), after: args.slice(args.length - after) };
}

/** pflag's int flag: its value, or pflag's parse error as cobra prints it. */
export function intFlag(flags: ParsedFlags, name: string, display: string, commandPath: string): number {
  const value = flags.string(name);
  if (!/^[-+]?\d+$/.test(value)) {
    throw new KubectlError(`Error: invalid argument "${value}" for "${display}" flag: strconv.ParseInt: parsing "${value}": invalid syntax\nSee '${commandPath} --help' for usage.`);
  }
  return Number(value);
}

/** A container as the generators build it: name, image, command, then an empty resources. */
function container(name: string, image: string, command: readonly string[], extra: Obj = {}): Obj {
  return { name, image, ...(command.length ? { command: [...command] } : {}), ...extra, resources: {} };
}

/** create deployment's container names: the image's last path part without tag or digest, `_` → `-`, made unique. */
function containerNames(f: Factory, images: readonly string[]): string[] {
  const seen = new Set<string>();
  return images.map((image) => {
    let name = image.split('/').pop() ?? '';
    name = name.split(':')[0] ?? '';
    name = (name.split('@')[0] ?? '').replaceAll('_', '-');
    if (seen.has(name)) name = `${name}-${f.ctx.rng.string('bcdfghjklmnpqrstvwxz2456789', 5)}`;
    seen.add(name);
    return name;
  });
}

export async function runCreateDeployment(f: Factory, flags: ParsedFlags, args: string[]): Promise<number> {
  const path = 'kubectl create deployment';
  requireFlags(flags, 'image');
  const { before, after } = splitAtDash(f, args);
  const name = nameArg(path, before);
  const replicas = intFlag(flags, 'replicas', '-r, --replicas', path);
  const port = intFlag(flags, 'port', '--port', path);
  const images = flags.all('image');
  const labels = { app: name };
  const names = containerNames(f, images);
  const containers = images.map((image, i) => container(names[i] ?? '', image, after, i === 0 && port >= 0 ? { ports: [{ containerPort: port }] } : {}));
  const deployment: Obj = {
    kind: 'Deployment',
    apiVersion: 'apps/v1',
    metadata: objectMeta({ name, namespace: enforcedNamespace(f), labels }),
    spec: {
      replicas,
      selector: { matchLabels: { ...labels } },
      template: { metadata: objectMeta({ labels: { ...labels } }), spec: { containers } },
      strategy: {},
    },
    status: {},
  };
  return createObject(f, flags, deployment, { group: 'apps', version: 'v1', resource: 'deployments', namespaced: true }, { wrap: failedToCreate('deployment') });
}

const JOBS = { group: 'batch', version: 'v1', resource: 'jobs', namespaced: true };

export async function runCreateJob(f: Factory, flags: ParsedFlags, args: string[]): Promise<number> {
  const path = 'kubectl create job';
  const { before, after } = splitAtDash(f, args);
  const name = nameArg(path, before);
  const image = flags.string('image');
  const from = flags.string('from');
  if ((image === '') === (from === '')) throw new KubectlError('error: either --image or --from must be specified');
  if (after.length && from) throw new KubectlError('error: cannot specify --from and command');
  const namespace = enforcedNamespace(f);
  if (!from) {
    const job: Obj = {
      kind: 'Job',
      apiVersion: 'batch/v1',
      metadata: objectMeta({ name, namespace }),
      spec: { template: { metadata: objectMeta({}), spec: { containers: [container(name, image, after)], restartPolicy: 'Never' } } },
      status: {},
    };
    return createObject(f, flags, job, JOBS, { wrap: failedToCreate('job') });
  }
  const slash = from.indexOf('/');
  if (slash < 0) throw new KubectlError(`error: from must be of the form <resource>/<name>`);
  const mapper = await f.mapper();
  const mapping = mapper.resourceFor(from.slice(0, slash));
  const source = await f.client().resource(mapping).get(f.namespace().namespace, from.slice(slash + 1));
  if (mapping.group !== 'batch' || mapping.kind !== 'CronJob') throw usageError(path, 'from must be an existing cronjob');
  return createObject(f, flags, jobFromCronJob(name, namespace, source), JOBS, { wrap: failedToCreate('job') });
}

/** createJobFromCronJob: the CronJob's job template, owned by it, marked as instantiated by hand. */
function jobFromCronJob(name: string, namespace: string | undefined, cronJob: KubeObject): Obj {
  const jobTemplate = ((cronJob.spec as Obj | undefined)?.jobTemplate ?? {}) as { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: Obj };
  const annotations = Object.fromEntries(Object.entries({ 'cronjob.kubernetes.io/instantiate': 'manual', ...(jobTemplate.metadata?.annotations ?? {}) }).sort(([a], [b]) => (a < b ? -1 : 1)));
  const spec = JSON.parse(JSON.stringify(jobTemplate.spec ?? {})) as Obj;
  const template = (spec.template ?? {}) as Obj;
  spec.template = { ...template, metadata: { creationTimestamp: null, ...((template.metadata as Obj | undefined) ?? {}) } };
  return {
    kind: 'Job',
    apiVersion: 'batch/v1',
    metadata: {
      ...objectMeta({ name, namespace, labels: jobTemplate.metadata?.labels, annotations }),
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: cronJob.metadata?.name ?? '', uid: cronJob.metadata?.uid ?? '', controller: true }],
    },
    spec,
    status: {},
  };
}

export async function runCreateCronJob(f: Factory, flags: ParsedFlags, args: string[]): Promise<number> {
  requireFlags(flags, 'image', 'schedule');
  const { before, after } = splitAtDash(f, args);
  const name = nameArg('kubectl create cronjob', before);
  const cronJob: Obj = {
    kind: 'CronJob',
    apiVersion: 'batch/v1',
    metadata: objectMeta({ name, namespace: enforcedNamespace(f) }),
    spec: {
      schedule: flags.string('schedule'),
      jobTemplate: {
        metadata: objectMeta({ name }),
        spec: { template: { metadata: objectMeta({}), spec: { containers: [container(name, flags.string('image'), after)], restartPolicy: flags.string('restart') || 'OnFailure' } } },
      },
    },
    status: {},
  };
  return createObject(f, flags, cronJob, { group: 'batch', version: 'v1', resource: 'cronjobs', namespaced: true }, { wrap: failedToCreate('cronjob') });
}
