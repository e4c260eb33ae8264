/**
 * kubectl set image, env and resources (k8s.io/kubectl/pkg/cmd/set): change the containers of a pod
 * template (Pod, Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob, ReplicationController)
 * and send the difference as a strategic merge patch; `kind/name image updated`, `env updated`,
 * `resource requirements updated`, nothing when unchanged. `--local -f FILE -o yaml` prints the changed
 * object without the server, as kubectl prints a typed object (the empty structs Go does not omit; -o
 * json keeps sorted keys where kubectl keeps Go struct order).
 * Left out: `set env --from`, `--resolve`, env values from stdin, `set selector|subject|serviceaccount`.
 */
import { EXIT } from '../../../command.ts';
import type { Container, EnvVar } from 'kubernetes-types/core/v1';
import { createTwoWayMergePatch } from '../../../../apiserver/patch/index.ts';
import type { KubeObject } from '../../../../client/rest/restClient.ts';
import { build, type Visit } from '../builder.ts';
import { AggregateError, KubectlError } from '../errors.ts';
import type { Factory } from '../factory.ts';
import type { ParsedFlags } from '../flags.ts';
import { parseOutputFormat, printJson, printYaml } from '../printers/index.ts';
import { dryRun, dryRunSuffix, groupKind, objectsOf, resourceClient } from './common.ts';
import { printOperation } from './printOperation.ts';

interface PodSpecLike {
  containers?: Container[];
  initContainers?: Container[];
}

/** The pod spec inside an object of a workload kind, created on the way when missing. */
function podSpecOf(obj: KubeObject): PodSpecLike | undefined {
  const spec = (obj.spec ??= {}) as Record<string, unknown>;
  switch (obj.kind) {
    case 'Pod':
      return spec as PodSpecLike;
    case 'CronJob': {
      const jt = (spec.jobTemplate ??= {}) as Record<string, unknown>;
      const js = (jt.spec ??= {}) as Record<string, unknown>;
      const t = (js.template ??= {}) as Record<string, unknown>;
      return (t.spec ??= {}) as PodSpecLike;
    }
    case 'Deployment':
    case 'ReplicaSet':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'Job':
    case 'ReplicationController': {
      const t = (spec.template ??= {}) as Record<string, unknown>;
      return (t.spec ??= {}) as PodSpecLike;
    }
    default:
      return undefined;
  }
}

/** What the typed Go object adds when kubectl prints a --local result: null times and empty structs. */
function asTyped(obj: KubeObject): KubeObject {
  const out = JSON.parse(JSON.stringify(obj)) as KubeObject & { spec?: Record<string, unknown> };
  out.metadata = { ...out.metadata, creationTimestamp: out.metadata?.creationTimestamp ?? null };
  const containersOf = (podSpec: PodSpecLike | undefined) => {
    for (const c of [...(podSpec?.containers ?? []), ...(podSpec?.initContainers ?? [])]) c.resources ??= {};
  };
  const template = (t: unknown) => {
    if (!t || typeof t !== 'object') return;
    const tt = t as { metadata?: Record<string, unknown>; spec?: PodSpecLike };
    tt.metadata = { ...tt.metadata, creationTimestamp: tt.metadata?.creationTimestamp ?? null };
    containersOf(tt.spec);
  };
  if (out.kind === 'Pod') containersOf(out.spec as PodSpecLike);
  else if (out.spec) template(out.spec.template);
  if (out.kind === 'Deployment' && out.spec) out.spec.strategy ??= {};
  if (out.kind === 'DaemonSet' && out.spec) out.spec.updateStrategy ??= {};
  if (out.kind === 'StatefulSet' && out.spec) out.spec.updateStrategy ??= {};
  if (out.kind !== 'ConfigMap' && out.kind !== 'Secret') out.status ??= {};
  return out;
}

type Update = (obj: KubeObject, podSpec: PodSpecLike, visit: Visit) => void;

async function run(f: Factory, flags: ParsedFlags, resources: string[], update: Update, operation: string): Promise<number> {
  const local = flags.bool('local');
  const filenames = flags.list('filename');
  if (local && filenames.length === 0) {
    throw new KubectlError(`error: you must specify resources by --filename when --local is set.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'`);
  }
  const format = parseOutputFormat(flags.string('output'));
  const mode = dryRun(flags);
  const visits = await build(f, { args: local ? [] : resources, filenames, recursive: flags.bool('recursive'), labelSelector: flags.string('selector'), fieldSelector: '', allNamespaces: false, all: flags.bool('all'), requireObject: true });
  const errors: unknown[] = [];
  for (const visit of visits) {
    const client = resourceClient(f, visit.mapping);
    for (const target of local ? [{ namespace: visit.namespace, name: visit.type === 'object' ? visit.name : '', object: visit.type === 'object' ? visit.object : undefined }] : await objectsOf(f, visit)) {
      try {
        const original = local && target.object ? target.object : await client.get(target.namespace, target.name);
        const modified = JSON.parse(JSON.stringify(original)) as KubeObject;
        const podSpec = podSpecOf(modified);
        if (!podSpec) throw new KubectlError(`error: ${visit.mapping.resource}/${target.name} the object is not a pod or does not have a pod template: *${visit.mapping.version}.${visit.mapping.kind}`);
        update(modified, podSpec, visit);
        let result = modified;
        if (!local) {
          const patch = createTwoWayMergePatch(original, modified, groupKind(visit.mapping));
          if (Object.keys(patch).length === 0) continue;
          if (mode !== 'client') result = await client.patch(target.namespace, target.name, 'strategic', patch, { dryRun: mode === 'server' });
        }
        if (format.kind === 'yaml') f.ctx.stdout(printYaml(local ? asTyped(result) : result));
        else if (format.kind === 'json') f.ctx.stdout(printJson(local ? asTyped(result) : result));
        else f.ctx.stdout(printOperation(visit.mapping, target.name, format.kind === 'name' ? '' : `${operation}${dryRunSuffix(mode)}`));
      } catch (e) {
        errors.push(e);
      }
    }
  }
  if (errors.length) throw new AggregateError(errors);
  return EXIT.ok;
}

/** Containers whose names match `selector` (a shell glob: `*` for all). */
function matching(containers: Container[] | undefined, selector: string): Container[] {
  const re = new RegExp(`^${selector.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return (containers ?? []).filter((c) => re.test(c.name));
}

export async function runSetImage(f: Factory, flags: ParsedFlags, args: string[]): Promise<number> {
  const images = args.filter((a) => a.includes('='));
  const resources = args.filter((a) => !a.includes('='));
  if (images.length === 0) throw new KubectlError('error: at least one image update is required');
  const pairs = images.map((a) => [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] as const);
  return run(f, flags, resources, (_obj, podSpec) => {
    for (const [name, image] of pairs) {
      let found = false;
      for (const c of [...(podSpec.initContainers ?? []), ...(podSpec.containers ?? [])]) {
        if (name === '*' || c.name === name) {
          c.image = image;
          found = true;
        }
      }
      if (!found) throw new KubectlError(`error: unable to find container named ${JSON.stringify(name)}`);
    }
  }, 'image updated');
}

export async function runSetEnv(f: Factory, flags: ParsedFlags, args: string[]): Promise<number> {
  const changes = args.filter((a) => a.includes('=') || (a.endsWith('-') && !a.includes('/')));
  const resources = args.filter((a) => !changes.includes(a));
  const set = changes.filter((a) => a.includes('=')).map((a) => ({ name: a.slice(0, a.indexOf('=')), value: a.slice(a.indexOf('=') + 1) }));
  const remove = changes.filter((a) => !a.includes('=')).map((a) => a.slice(0, -1));
  const selector = flags.string('containers') || '*';
  if (flags.bool('list')) {
    const visits = await build(f, { args: resources, filenames: flags.list('filename'), recursive: flags.bool('recursive'), labelSelector: flags.string('selector'), fieldSelector: '', allNamespaces: false, all: flags.bool('all'), requireObject: true });
    for (const visit of visits) {
      for (const target of await objectsOf(f, visit)) {
        const obj = target.object ?? (await resourceClient(f, visit.mapping).get(target.namespace, target.name));
        const podSpec = podSpecOf(obj);
        for (const [label, list] of [['container', podSpec?.containers], ['init container', podSpec?.initContainers]] as const) {
          for (const c of matching(list, selector)) {
            f.ctx.stdout(`# ${obj.kind ?? ''} ${target.name}, ${label} ${c.name}\n`);
            for (const e of c.env ?? []) {
              if (e.valueFrom) f.ctx.stdout(`# ${e.name} from ${e.valueFrom.fieldRef ? `field path ${e.valueFrom.fieldRef.fieldPath}` : 'a source'}\n`);
              else f.ctx.stdout(`${e.name}=${e.value ?? ''}\n`);
            }
          }
        }
      }
    }
    return EXIT.ok;
  }
  if (set.length === 0 && remove.length === 0) throw new KubectlError('error: at least one environment variable must be provided');
  return run(f, flags, resources, (obj, podSpec) => {
    const containers = [...matching(podSpec.initContainers, selector), ...matching(podSpec.containers, selector)];
    if (containers.length === 0) {
      f.ctx.stderr(`Warning: ${obj.kind ?? ''}/${obj.metadata?.name ?? ''} does not have any containers matching ${JSON.stringify(selector)}\n`);
      return;
    }
    for (const c of containers) {
      let env: EnvVar[] = [...(c.env ?? [])];
      for (const s of set) {
        const at = env.findIndex((e) => e.name === s.name);
        if (at >= 0) env[at] = { name: s.name, value: s.value };
        else env.push({ name: s.name, value: s.value });
      }
      env = env.filter((e) => !remove.includes(e.name));
      if (env.length > 0) c.env = env;
      else delete c.env;
    }
  }, 'env updated');
}

function parseResourceList(spec: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of spec.split(',').filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq < 0) throw new KubectlError(`error: Invalid argument syntax ${part}, expected <resource>=<value>`);
    out[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return out;
}

export async function runSetResources(f: Factory, flags: ParsedFlags, args: string[]): Promise<number> {
  const limits = parseResourceList(flags.string('limits'));
  const requests = parseResourceList(flags.string('requests'));
  if (Object.keys(limits).length === 0 && Object.keys(requests).length === 0) {
    throw new KubectlError('error: you must specify an update to requests or limits (in the form of --requests/--limits)');
  }
  const selector = flags.string('containers') || '*';
  return run(f, flags, args, (obj, podSpec) => {
    const containers = [...matching(podSpec.initContainers, selector), ...matching(podSpec.containers, selector)];
    if (containers.length === 0) f.ctx.stderr(`warning: Unable to find container named ${selector}\n`);
    for (const c of containers) {
      const r = (c.resources ??= {});
      if (Object.keys(limits).length > 0) r.limits = { ...r.limits, ...limits };
      if (Object.keys(requests).length > 0) r.requests = { ...r.requests, ...requests };
    }
    void obj;
  }, 'resource requirements updated');
}
