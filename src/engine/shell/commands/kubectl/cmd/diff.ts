/**
 * kubectl diff -f FILE (k8s.io/kubectl/pkg/cmd/diff, 1.32): for each object of the manifests, the live
 * object and the object as `kubectl apply` would leave it are written as YAML to two temporary
 * directories, `$TMPDIR/LIVE-<n>` and `$TMPDIR/MERGED-<n>` (default /tmp), in files named
 * `<group>.<version>.<Kind>.<namespace>.<name>`; then `$KUBECTL_EXTERNAL_DIFF` (its extra words kept
 * only when alphanumeric, `-` or `=`), else `diff -u -N`, compares the directories through the shell,
 * and the directories are removed.
 *
 * The merged object is the server's answer to a dry run: a PATCH with apply's three-way strategic merge
 * patch (last-applied-configuration, the manifest without that annotation, the live object; pinned to
 * the live resourceVersion, retried on a conflict, the fourth time unpinned), nothing when the patch is
 * empty, a create when the object does not exist (its LIVE file is then empty), or a server-side apply
 * PATCH with --server-side. managedFields are dropped unless --show-managed-fields; a v1 Secret's data
 * values are masked as `***`, `*** (before)`, `*** (after)`. -l filters the manifests' objects.
 *
 * Exit status: the diff program's 0 (no differences) or 1 (differences), else 2 with kubectl's error
 * (CheckDiffErr adds one to the usual code; flag errors read `error: unknown flag: --foo` + `See
 * 'kubectl diff -h' for help and examples`). Left out: --prune and --prune-allowlist, -k (kustomize),
 * --concurrency (objects are visited one by one, which gives the same output).
 */
import { asStatusError } from '../../../../api/errors.ts';
import { parseSelector } from '../../../../api/labels/selector.ts';
import type { KubeObject } from '../../../../client/rest/restClient.ts';
import { resourcePath } from '../../../../client/rest/restClient.ts';
import { createThreeWayMergePatch } from '../../../../apiserver/patch/index.ts';
import { FsError } from '../../../fs.ts';
import { build, type ObjectVisit } from '../builder.ts';
import { checkErr, KubectlError, usageError } from '../errors.ts';
import type { Factory } from '../factory.ts';
import type { ParsedFlags } from '../flags.ts';
import { printYaml } from '../printers/index.ts';
import { LAST_APPLIED, withLastApplied } from './apply.ts';
import { groupKind, resourceClient } from './common.ts';

/** Times the live object is read and the merge retried when it keeps changing (maxRetries). */
const MAX_RETRIES = 4;

/** KUBECTL_EXTERNAL_DIFF's extra words must look like this to be passed on. */
const VALID_ARGUMENT = /^[a-zA-Z0-9-=]+$/;

/** cobra's flag error for `kubectl diff`, through CheckDiffErr: a usage error, exit status 2. */
export function diffFlagError(message: string): { text: string; status: number } {
  return { text: `error: ${message}\nSee 'kubectl diff -h' for help and examples\n`, status: 2 };
}

export async function runDiff(f: Factory, flags: ParsedFlags, args: string[]): Promise<number> {
  try {
    return await diff(f, flags, args);
  } catch (e) {
    // CheckDiffErr: kubectl's message, with an exit status above diff's 1.
    return checkErr(e, (text) => f.ctx.stderr(text)) + 1;
  }
}

/** The file a version of an object is written to: `apps.v1.Deployment.default.web`. */
function fileName(visit: ObjectVisit): string {
  const m = visit.mapping;
  return `${m.group ? `${m.group}.` : ''}${m.version}.${m.kind}.${visit.namespace}.${visit.name}`;
}

function copy(object: KubeObject): KubeObject {
  return JSON.parse(JSON.stringify(object)) as KubeObject;
}

function omitManagedFields(object: KubeObject): KubeObject {
  const out = copy(object);
  if (out.metadata) delete out.metadata.managedFields;
  return out;
}

/** Masker: a Secret's data values become `***`, or `*** (before)` / `*** (after)` where they differ. */
function maskSecrets(from: KubeObject | undefined, to: KubeObject): [KubeObject | undefined, KubeObject] {
  const f = from && copy(from);
  const t = copy(to);
  const fromData = f?.data as Record<string, unknown> | undefined;
  const toData = t.data as Record<string, unknown> | undefined;
  for (const k of Object.keys(fromData ?? {})) {
    if (toData && k in toData) {
      if (fromData![k] !== toData[k]) {
        fromData![k] = '*** (before)';
        toData[k] = '*** (after)';
        continue;
      }
      toData[k] = '***';
    }
    fromData![k] = '***';
  }
  for (const k of Object.keys(toData ?? {})) if (!fromData || !(k in fromData)) toData![k] = '***';
  return [f, t];
}

/** MkdirTemp: `<dir>/<prefix>-<random>`, created (mode 0700 upstream), retried on a name in use. */
function makeTempDir(f: Factory, prefix: string): string {
  const dir = (f.ctx.env.get('TMPDIR') || '/tmp').replace(/\/+$/, '') || '/';
  for (let i = 0; ; i++) {
    const path = `${dir === '/' ? '' : dir}/${prefix}-${f.ctx.rng.int(2 ** 32)}`;
    try {
      f.ctx.fs.mkdir(path);
      return path;
    } catch (e) {
      if (e instanceof FsError && e.code === 'EEXIST' && i < 10000) continue;
      // Go's PathError, with its lower-case errno text.
      if (e instanceof FsError) throw new KubectlError(`error: mkdir ${path}: ${e.describe.toLowerCase()}`);
      throw e;
    }
  }
}

async function diff(f: Factory, flags: ParsedFlags, args: string[]): Promise<number> {
  const filenames = flags.list('filename');
  if (filenames.length === 0) throw new KubectlError('error: must specify one of -f and -k');
  const serverSide = flags.bool('server-side');
  if (flags.bool('force-conflicts') && !serverSide) throw new KubectlError('error: --force-conflicts only works with --server-side');
  if (args.length > 0) throw usageError('kubectl diff', `Unexpected args: [${args.join(' ')}]`);
  const fieldManager = flags.changed('field-manager') || !serverSide ? flags.string('field-manager') : 'kubectl';
  const live = makeTempDir(f, 'LIVE');
  const merged = makeTempDir(f, 'MERGED');
  const fs = f.ctx.fs;
  try {
    const selector = flags.string('selector') ? parseSelector(flags.string('selector')) : undefined;
    const visits = await build(f, { args: [], filenames, recursive: flags.bool('recursive'), labelSelector: '', fieldSelector: '', allNamespaces: false });
    for (const visit of visits) {
      if (visit.type !== 'object') continue;
      if (selector && !selector.matches(visit.object.metadata?.labels)) continue;
      let [from, to] = await versions(f, visit, serverSide, fieldManager, flags.bool('force-conflicts'));
      if (!flags.bool('show-managed-fields')) {
        from = from && omitManagedFields(from);
        to = omitManagedFields(to);
      }
      if (to.apiVersion === 'v1' && to.kind === 'Secret') [from, to] = maskSecrets(from, to);
      fs.writeFile(`${live}/${fileName(visit)}`, from ? printYaml(from) : '');
      fs.writeFile(`${merged}/${fileName(visit)}`, printYaml(to));
    }
    return await runDiffProgram(f, live, merged);
  } finally {
    fs.rm(live, { recursive: true, force: true });
    fs.rm(merged, { recursive: true, force: true });
  }
}

/** The live object (undefined when there is none) and the object as it would be once applied. */
async function versions(f: Factory, visit: ObjectVisit, serverSide: boolean, fieldManager: string, force: boolean): Promise<[KubeObject | undefined, KubeObject]> {
  const client = resourceClient(f, visit.mapping);
  const local: KubeObject = { ...visit.object, metadata: { ...visit.object.metadata, ...(visit.mapping.namespaced ? { namespace: visit.namespace } : {}) } };
  for (let attempt = 1; ; attempt++) {
    let current: KubeObject | undefined;
    try {
      current = await client.get(visit.namespace, visit.name);
    } catch (e) {
      if (asStatusError(e)?.code !== 404) throw e;
    }
    try {
      const result = await mergedObject(f, visit, local, current, serverSide, fieldManager, force, attempt === MAX_RETRIES);
      warnIfDeleting(f, current);
      return [current, result];
    } catch (e) {
      if (asStatusError(e)?.status.reason !== 'Conflict' || attempt === MAX_RETRIES) {
        warnIfDeleting(f, current);
        throw e;
      }
    }
  }
}

/** apply.WarnIfDeleting */
function warnIfDeleting(f: Factory, current: KubeObject | undefined): void {
  if (current?.metadata?.deletionTimestamp) f.ctx.stderr(`Warning: Detected changes to resource ${current.metadata.name ?? ''} which is currently being deleted.\n`);
}

/** InfoObject.Merged */
async function mergedObject(f: Factory, visit: ObjectVisit, local: KubeObject, current: KubeObject | undefined, serverSide: boolean, fieldManager: string, forceConflicts: boolean, unpinned: boolean): Promise<KubeObject> {
  const client = resourceClient(f, visit.mapping);
  const options = { dryRun: true, fieldManager };
  if (serverSide) {
    const path = resourcePath({ ...visit.mapping }, visit.namespace, visit.name);
    const response = await f.client().raw('PATCH', path, { dryRun: 'All', force: String(forceConflicts), fieldManager }, JSON.stringify(local), 'application/apply-patch+yaml');
    return JSON.parse(response.body) as KubeObject;
  }
  if (!current) return client.create(visit.namespace, local, options);
  // GetModifiedConfiguration(annotate=false): the manifest with its annotations map but no last-applied.
  const modified = withLastApplied(local);
  delete modified.metadata?.annotations?.[LAST_APPLIED];
  const lastApplied = current.metadata?.annotations?.[LAST_APPLIED];
  const original = lastApplied ? (JSON.parse(lastApplied) as KubeObject) : {};
  const patch = createThreeWayMergePatch(original, modified, current, groupKind(visit.mapping));
  if (Object.keys(patch).length === 0) return current;
  if (!unpinned) {
    const metadata = (patch.metadata ??= {}) as Record<string, unknown>;
    metadata.resourceVersion = current.metadata?.resourceVersion;
  }
  return client.patch(visit.namespace, visit.name, 'strategic', patch, options);
}

/** DiffProgram.Run: the external diff (or `diff -u -N`) over the two directories, through the shell. */
async function runDiffProgram(f: Factory, from: string, to: string): Promise<number> {
  const external = f.ctx.env.get('KUBECTL_EXTERNAL_DIFF') ?? '';
  let argv: string[];
  if (external) {
    const [program = '', ...rest] = external.split(' ');
    argv = [program, from, to, ...rest.filter((a) => VALID_ARGUMENT.test(a))];
  } else argv = ['diff', '-u', '-N', from, to];
  const status = await f.ctx.shell.exec(argv, f.ctx.env, { stdin: '', stdout: (t) => f.ctx.stdout(t), stderr: (t) => f.ctx.stderr(t) }, f.ctx.interrupt);
  if (status <= 1) return status;
  if (status === 127) throw new KubectlError(`error: failed to run "${argv[0]}": executable file not found in $PATH`);
  throw new KubectlError(`error: failed to run "${argv[0]}": exit status ${status}`);
}
