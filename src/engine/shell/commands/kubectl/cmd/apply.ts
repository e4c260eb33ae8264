/**
 * kubectl apply -f (k8s.io/kubectl/pkg/cmd/apply, client-side): each object of the manifests is created
 * with its `kubectl.kubernetes.io/last-applied-configuration` annotation, or patched with the three-way
 * strategic merge patch of (last applied, new configuration, live object); prints `created`,
 * `configured` or `unchanged` per object (`-o name|json|yaml` instead), with `--dry-run=client|server`.
 * Left out: --prune, server-side apply (--server-side), --force, --overwrite=false, kustomize.
 */
import { EXIT } from '../../../command.ts';
import { asStatusError } from '../../../../api/errors.ts';
import type { KubeObject } from '../../../../client/rest/restClient.ts';
import { createThreeWayMergePatch } from '../../../../apiserver/patch/index.ts';
import { build } from '../builder.ts';
import { AggregateError, KubectlError } from '../errors.ts';
import type { Factory } from '../factory.ts';
import type { ParsedFlags } from '../flags.ts';
import { PRINT_FORMATS, parseOutputFormat } from '../printers/index.ts';
import { dryRun, dryRunSuffix, groupKind, printResult, resourceClient, withSource } from './common.ts';

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

function sortedJson(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort((v as Record<string, unknown>)[k])]));
    return v;
  };
  return JSON.stringify(sort(value));
}

/**
 * The object with its last-applied annotation set to itself (GetModifiedConfiguration): the annotations
 * map is set even when empty, so the recorded configuration carries `"annotations":{}` as kubectl's does.
 */
export function withLastApplied(object: KubeObject): KubeObject {
  const copy = JSON.parse(JSON.stringify(object)) as KubeObject;
  const metadata = (copy.metadata ??= {});
  const annotations = { ...(metadata.annotations ?? {}) };
  delete annotations[LAST_APPLIED];
  metadata.annotations = annotations;
  const applied = `${sortedJson(copy)}\n`;
  metadata.annotations = { ...annotations, [LAST_APPLIED]: applied };
  return copy;
}

export async function runApply(f: Factory, flags: ParsedFlags, args: string[]): Promise<number> {
  const filenames = flags.list('filename');
  if (filenames.length === 0) throw new KubectlError('error: must specify one of -f and -k');
  if (args.length > 0) throw new KubectlError(`error: Unexpected args: [${args.join(' ')}]\nSee 'kubectl apply -h' for help and examples`);
  const mode = dryRun(flags);
  const format = parseOutputFormat(flags.string('output'), PRINT_FORMATS);
  const visits = await build(f, { args: [], filenames, recursive: flags.bool('recursive'), labelSelector: '', fieldSelector: '', allNamespaces: false });
  if (visits.length === 0) throw new KubectlError('error: no objects passed to apply');
  const errors: unknown[] = [];
  const options = { dryRun: mode === 'server', fieldManager: flags.string('field-manager') || 'kubectl-client-side-apply' };
  for (const visit of visits) {
    if (visit.type !== 'object') continue;
    const client = resourceClient(f, visit.mapping);
    const object: KubeObject = { ...visit.object, metadata: { ...visit.object.metadata, ...(visit.mapping.namespaced ? { namespace: visit.namespace } : {}) } };
    const modified = withLastApplied(object);
    const report = (result: KubeObject, operation: string) => {
      f.ctx.stdout(printResult(format, result, visit.mapping, visit.name, `${operation}${dryRunSuffix(mode)}`));
    };
    let current: KubeObject | undefined;
    try {
      current = await client.get(visit.namespace, visit.name);
    } catch (e) {
      if (asStatusError(e)?.code !== 404) {
        errors.push(withSource('retrieving current configuration of:\nResource: ' + `"${visit.mapping.group ? `${visit.mapping.group}/` : ''}${visit.mapping.version}, Resource=${visit.mapping.resource}", GroupVersionKind: "${visit.mapping.group ? `${visit.mapping.group}/` : ''}${visit.mapping.version}, Kind=${visit.mapping.kind}"\nName: "${visit.name}", Namespace: "${visit.namespace}"\nfrom server for:`, visit, e));
        continue;
      }
    }
    try {
      if (!current) {
        const created = mode === 'client' ? modified : await client.create(visit.namespace, modified, options);
        report(created, 'created');
        continue;
      }
      const lastApplied = current.metadata?.annotations?.[LAST_APPLIED];
      const original = lastApplied ? (JSON.parse(lastApplied) as KubeObject) : {};
      const patch = createThreeWayMergePatch(original, modified, current, groupKind(visit.mapping));
      if (Object.keys(patch).length === 0) {
        report(current, 'unchanged');
        continue;
      }
      const patched = mode === 'client' ? current : await client.patch(visit.namespace, visit.name, 'strategic', patch, options);
      report(patched, 'configured');
    } catch (e) {
      errors.push(withSource(current ? 'patching' : 'creating', visit, e));
    }
  }
  if (errors.length) throw new AggregateError(errors);
  return EXIT.ok;
}
