/**
 * kubectl delete (k8s.io/kubectl/pkg/cmd/delete): by TYPE NAME…, TYPE/NAME, -f, -l, --field-selector or
 * --all; `--grace-period`, `--now`, `--force` (with kubectl's warning, `force deleted`), `--cascade`
 * (background, foreground, orphan), `--dry-run`, and `--wait` (the default) polling on virtual time until
 * each object is gone. Prints `pod "x" deleted` per object, `No resources found` when a selector matched
 * nothing. Left out: --ignore-not-found's listing, -i/--interactive, --raw.
 */
import { EXIT, sleepOn } from '../../../command.ts';
import { asStatusError } from '../../../../api/errors.ts';
import { build } from '../builder.ts';
import { AggregateError, KubectlError } from '../errors.ts';
import type { Factory } from '../factory.ts';
import type { ParsedFlags } from '../flags.ts';
import { kindName } from '../restMapper.ts';
import { dryRun, dryRunSuffix, objectsOf, resourceClient, withSource } from './common.ts';

const FORCE_WARNING = 'Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n';

function propagation(value: string): 'Background' | 'Foreground' | 'Orphan' {
  switch (value) {
    case 'background':
    case 'true':
      return 'Background';
    case 'foreground':
      return 'Foreground';
    case 'orphan':
    case 'false':
      return 'Orphan';
    default:
      throw new KubectlError(`error: invalid cascade value (${value}). Must be "background", "foreground", or "orphan".`);
  }
}

export async function runDelete(f: Factory, flags: ParsedFlags, args: string[]): Promise<number> {
  const filenames = flags.list('filename');
  const all = flags.bool('all');
  const labelSelector = flags.string('selector');
  if (args.length === 0 && filenames.length === 0) {
    throw new KubectlError(`error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'`);
  }
  if (all && labelSelector) throw new KubectlError('error: cannot set --all and --selector at the same time');
  const mode = dryRun(flags);
  const force = flags.bool('force');
  let grace = Number(flags.string('grace-period'));
  if (flags.bool('now')) {
    if (flags.changed('grace-period')) throw new KubectlError('error: --now and --grace-period cannot be specified together');
    grace = 1;
  }
  if (force && grace < 0) grace = 0;
  if (force && grace === 0) f.ctx.stderr(FORCE_WARNING);
  const policy = propagation(flags.string('cascade'));
  const visits = await build(f, { args, filenames, recursive: flags.bool('recursive'), labelSelector, fieldSelector: flags.string('field-selector'), allNamespaces: flags.bool('all-namespaces'), all, requireObject: true });
  const errors: unknown[] = [];
  const deleted: Array<{ visit: (typeof visits)[number]; namespace: string; name: string; uid?: string }> = [];
  let found = 0;
  for (const visit of visits) {
    let targets;
    try {
      targets = await objectsOf(f, visit);
    } catch (e) {
      errors.push(e);
      continue;
    }
    for (const target of targets) {
      found++;
      try {
        const result = await resourceClient(f, visit.mapping).delete(target.namespace, target.name, {
          ...(grace >= 0 ? { gracePeriodSeconds: grace } : {}),
          propagationPolicy: policy,
          dryRun: mode === 'server',
        });
        const uid = (result as { metadata?: { uid?: string } }).metadata?.uid;
        deleted.push({ visit, namespace: target.namespace, name: target.name, ...(uid ? { uid } : {}) });
        f.ctx.stdout(`${kindName(visit.mapping)} "${target.name}" ${force && grace === 0 ? 'force deleted' : 'deleted'}${dryRunSuffix(mode)}\n`);
      } catch (e) {
        if (flags.bool('ignore-not-found') && asStatusError(e)?.code === 404) continue;
        errors.push(withSource('deleting', visit, e));
      }
    }
  }
  if (found === 0 && errors.length === 0 && visits.some((v) => v.type === 'list')) f.ctx.stdout('No resources found\n');
  if (flags.bool('wait') && mode === 'none') {
    for (const d of deleted) {
      for (;;) {
        try {
          const live = await resourceClient(f, d.visit.mapping).get(d.namespace, d.name);
          if (d.uid && live.metadata?.uid !== d.uid) break;
        } catch (e) {
          if (asStatusError(e)?.code === 404) break;
          throw e;
        }
        if (!(await sleepOn(f.ctx.clock, 1000, f.ctx.interrupt, 'kubectl delete --wait'))) return EXIT.interrupted;
      }
    }
  }
  if (errors.length) throw new AggregateError(errors);
  return EXIT.ok;
}
