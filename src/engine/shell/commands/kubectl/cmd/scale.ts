/**
 * kubectl scale (k8s.io/kubectl/pkg/cmd/scale): `--replicas=N` for deployments, replica sets, stateful
 * sets and replication controllers named by TYPE NAME, TYPE/NAME, -f or -l, through a merge patch of
 * spec.replicas, with `--current-replicas` and `--resource-version` preconditions. Prints `kind/name
 * scaled`. Left out: --timeout waiting for the new size.
 */
import { EXIT } from '../../../command.ts';
import { build } from '../builder.ts';
import { AggregateError, KubectlError } from '../errors.ts';
import type { Factory } from '../factory.ts';
import type { ParsedFlags } from '../flags.ts';
import { dryRun, dryRunSuffix, objectsOf, nameLine, resourceClient } from './common.ts';

export async function runScale(f: Factory, flags: ParsedFlags, args: string[]): Promise<number> {
  if (!flags.changed('replicas')) throw new KubectlError('error: required flag(s) "replicas" not set');
  const replicas = Number(flags.string('replicas'));
  if (!Number.isInteger(replicas) || replicas < 0) throw new KubectlError('error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0');
  const mode = dryRun(flags);
  const visits = await build(f, { args, filenames: flags.list('filename'), recursive: flags.bool('recursive'), labelSelector: flags.string('selector'), fieldSelector: '', allNamespaces: flags.bool('all-namespaces'), all: flags.bool('all'), requireObject: true });
  const errors: unknown[] = [];
  const current = Number(flags.string('current-replicas'));
  for (const visit of visits) {
    const client = resourceClient(f, visit.mapping);
    for (const target of await objectsOf(f, visit)) {
      try {
        const live = await client.get(target.namespace, target.name);
        const spec = live.spec as { replicas?: number } | undefined;
        if (current >= 0 && spec?.replicas !== current) {
          throw new KubectlError(`error: Expected replicas to be ${current}, was ${spec?.replicas ?? 0}`);
        }
        if (mode !== 'client') await client.patch(target.namespace, target.name, 'merge', { spec: { replicas } }, { dryRun: mode === 'server' });
        f.ctx.stdout(nameLine(visit.mapping, target.name, `scaled${dryRunSuffix(mode)}`));
      } catch (e) {
        errors.push(e);
      }
    }
  }
  if (errors.length) throw new AggregateError(errors);
  return EXIT.ok;
}
