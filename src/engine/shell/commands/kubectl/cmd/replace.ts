/**
 * kubectl replace (k8s.io/kubectl/pkg/cmd/replace): PUT each object of `-f` as it is (`kind/name
 * replaced`, taking the live resourceVersion when the file has none); `--force` deletes each object, waits on the virtual clock until it is gone, and creates it
 * again (`deployment.apps "web" deleted`, then `replaced`). Server errors name their file. Left out:
 * --save-config, --subresource, --raw, -o.
 */
import { EXIT, sleepOn } from '../../../command.ts';
import { asStatusError } from '../../../../api/errors.ts';
import type { KubeObject } from '../../../../client/rest/restClient.ts';
import { build } from '../builder.ts';
import { AggregateError, KubectlError } from '../errors.ts';
import type { Factory } from '../factory.ts';
import type { ParsedFlags } from '../flags.ts';
import { kindName } from '../restMapper.ts';
import { dryRun, dryRunSuffix, resourceClient, withSource } from './common.ts';
import { printOperation } from './printOperation.ts';

export async function runReplace(f: Factory, flags: ParsedFlags, args: string[]): Promise<number> {
  const filenames = flags.list('filename');
  if (filenames.length === 0) throw new KubectlError('error: must specify one of -f and -k');
  const mode = dryRun(flags);
  const force = flags.bool('force');
  const visits = await build(f, { args, filenames, recursive: flags.bool('recursive'), labelSelector: '', fieldSelector: '', allNamespaces: false });
  const errors: unknown[] = [];
  for (const visit of visits) {
    if (visit.type !== 'object') continue;
    const client = resourceClient(f, visit.mapping);
    const object: KubeObject = { ...visit.object, metadata: { ...visit.object.metadata, ...(visit.mapping.namespaced ? { namespace: visit.namespace } : {}) } };
    try {
      if (force) {
        try {
          await client.delete(visit.namespace, visit.name, { dryRun: mode === 'server', propagationPolicy: 'Background' });
          f.ctx.stdout(`${kindName(visit.mapping)} "${visit.name}" deleted${dryRunSuffix(mode)}\n`);
          if (mode === 'none') {
            for (;;) {
              try {
                await client.get(visit.namespace, visit.name);
              } catch (e) {
                if (asStatusError(e)?.code === 404) break;
                throw e;
              }
              if (!(await sleepOn(f.ctx.clock, 1000, f.ctx.interrupt, 'kubectl replace --force'))) return EXIT.interrupted;
            }
          }
        } catch (e) {
          if (asStatusError(e)?.code !== 404) throw e;
        }
        if (object.metadata) delete object.metadata.resourceVersion;
        if (mode !== 'client') await client.create(visit.namespace, object, { dryRun: mode === 'server' });
      } else if (mode !== 'client') {
        // Helper.Replace with overwrite: an object without a resourceVersion takes the live one's.
        if (!object.metadata?.resourceVersion) {
          const live = await client.get(visit.namespace, visit.name);
          object.metadata = { ...object.metadata, resourceVersion: live.metadata?.resourceVersion ?? '' };
        }
        await client.update(visit.namespace, object, { dryRun: mode === 'server', fieldManager: flags.string('field-manager') });
      }
      f.ctx.stdout(printOperation(visit.mapping, visit.name, `replaced${dryRunSuffix(mode)}`));
    } catch (e) {
      errors.push(withSource('replacing', visit, e));
    }
  }
  if (errors.length) throw new AggregateError(errors);
  return EXIT.ok;
}
