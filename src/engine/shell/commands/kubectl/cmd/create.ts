/**
 * kubectl create -f (k8s.io/kubectl/pkg/cmd/create): each object of the manifests is POSTed and reported
 * as `kind/name created` (or -o name|json|yaml), `--dry-run=client|server`, `--save-config` adding the
 * last-applied annotation. The generator subcommands (create deployment, namespace, configmap…) are in
 * createGenerators.ts; an argument that names none of them is an unexpected argument here.
 */
import { EXIT } from '../../../command.ts';
import type { KubeObject } from '../../../../client/rest/restClient.ts';
import { build } from '../builder.ts';
import { AggregateError, KubectlError } from '../errors.ts';
import type { Factory } from '../factory.ts';
import type { ParsedFlags } from '../flags.ts';
import { PRINT_FORMATS, parseOutputFormat } from '../printers/index.ts';
import { withLastApplied } from './apply.ts';
import { dryRun, dryRunSuffix, printResult, resourceClient, withSource } from './common.ts';

export async function runCreate(f: Factory, flags: ParsedFlags, args: string[]): Promise<number> {
  const filenames = flags.list('filename');
  if (args.length > 0) {
    throw new KubectlError(`error: Unexpected args: [${args.join(' ')}]\nSee 'kubectl create -h' for help and examples`);
  }
  if (filenames.length === 0) throw new KubectlError(`error: must specify one of -f and -k`);
  const mode = dryRun(flags);
  const format = parseOutputFormat(flags.string('output'), PRINT_FORMATS);
  const visits = await build(f, { args: [], filenames, recursive: flags.bool('recursive'), labelSelector: '', fieldSelector: '', allNamespaces: false });
  if (visits.length === 0) throw new KubectlError('error: no objects passed to create');
  const errors: unknown[] = [];
  for (const visit of visits) {
    if (visit.type !== 'object') continue;
    let object: KubeObject = { ...visit.object, metadata: { ...visit.object.metadata, ...(visit.mapping.namespaced ? { namespace: visit.namespace } : {}) } };
    if (flags.bool('save-config')) object = withLastApplied(object);
    try {
      const created = mode === 'client' ? object : await resourceClient(f, visit.mapping).create(visit.namespace, object, { dryRun: mode === 'server', fieldManager: flags.string('field-manager') });
      f.ctx.stdout(printResult(format, created, visit.mapping, created.metadata?.name ?? visit.name, `created${dryRunSuffix(mode)}`));
    } catch (e) {
      errors.push(withSource('creating', visit, e));
    }
  }
  if (errors.length) throw new AggregateError(errors);
  return EXIT.ok;
}
