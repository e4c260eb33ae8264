/**
 * kubectl label and annotate (k8s.io/kubectl/pkg/cmd/label, pkg/cmd/annotate): `KEY=VALUE` and `KEY-`
 * arguments after the objects (TYPE NAME…, TYPE/NAME, -f, -l, --all), `--overwrite` rules with kubectl's
 * errors, `--list`, `--dry-run`, sent as a JSON merge patch. Prints `kind/name labeled` (`not labeled`
 * when nothing changed, `unlabeled` when the labels shrank without --overwrite) or `annotated`. Left out: --resource-version, --local.
 */
import { EXIT } from '../../../command.ts';
import type { KubeObject } from '../../../../client/rest/restClient.ts';
import { createMergePatch } from '../../../../apiserver/patch/index.ts';
import { build } from '../builder.ts';
import { AggregateError, KubectlError } from '../errors.ts';
import type { Factory } from '../factory.ts';
import type { ParsedFlags } from '../flags.ts';
import { dryRun, dryRunSuffix, objectsOf, nameLine, resourceClient } from './common.ts';

type Field = 'labels' | 'annotations';

/** updateDataChangeMsg: the object's JSON changed (a label map that was absent now is, even empty), and shrank. */
function labelVerb(before: Record<string, string> | undefined, after: Record<string, string>, overwrite: boolean): string {
  const sortedJson = (m: Record<string, string>) => JSON.stringify(Object.fromEntries(Object.entries(m).sort(([a], [b]) => (a < b ? -1 : 1))));
  if (before !== undefined && sortedJson(before) === sortedJson(after)) return 'not labeled';
  if (before !== undefined && !overwrite && sortedJson(after).length < sortedJson(before).length) return 'unlabeled';
  return 'labeled';
}

async function run(f: Factory, flags: ParsedFlags, args: string[], field: Field): Promise<number> {
  const command = field === 'labels' ? 'label' : 'annotate';
  const changes = args.filter((a) => a.includes('=') || (a.endsWith('-') && !a.includes('/')));
  const resources = args.filter((a) => !changes.includes(a));
  const list = flags.bool('list');
  if (changes.length === 0 && !list) throw new KubectlError(`error: at least one ${field === 'labels' ? 'label' : 'annotation'} update is required\nSee 'kubectl ${command} -h' for help and examples`);
  const set = new Map<string, string>();
  const remove: string[] = [];
  for (const c of changes) {
    if (c.endsWith('-') && !c.includes('=')) remove.push(c.slice(0, -1));
    else {
      const eq = c.indexOf('=');
      set.set(c.slice(0, eq), c.slice(eq + 1));
    }
  }
  for (const key of remove) if (set.has(key)) throw new KubectlError(`error: can not both modify and remove ${field === 'labels' ? 'a label' : 'an annotation'} in the same command`);
  const mode = dryRun(flags);
  const visits = await build(f, { args: resources, filenames: flags.list('filename'), recursive: flags.bool('recursive'), labelSelector: flags.string('selector'), fieldSelector: flags.string('field-selector'), allNamespaces: flags.bool('all-namespaces'), all: flags.bool('all'), requireObject: true });
  const errors: unknown[] = [];
  for (const visit of visits) {
    const client = resourceClient(f, visit.mapping);
    for (const target of await objectsOf(f, visit)) {
      try {
        const current: KubeObject = visit.type === 'object' || !target.object ? await client.get(target.namespace, target.name) : target.object;
        const existing = current.metadata?.[field] as Record<string, string> | undefined;
        const before = { ...existing };
        if (list) {
          f.ctx.stdout(Object.entries(before).map(([k, v]) => `${k}=${v}\n`).join(''));
          continue;
        }
        const after = { ...before };
        for (const [k, v] of set) {
          if (!flags.bool('overwrite') && k in before && before[k] !== v) {
            throw new KubectlError(`error: '${k}' already has a value (${before[k] ?? ''}), and --overwrite is false`);
          }
          after[k] = v;
        }
        for (const k of remove) {
          if (field === 'labels' && !(k in after)) f.ctx.stdout(`label ${JSON.stringify(k)} not found.\n`);
          delete after[k];
        }
        // kubectl sets the (possibly empty) map and merge-patches the whole object's JSON, old to new.
        const patch = createMergePatch({ metadata: existing === undefined ? {} : { [field]: existing } }, { metadata: { [field]: after } });
        if (mode !== 'client') await client.patch(target.namespace, target.name, 'merge', patch, { dryRun: mode === 'server' });
        const verb = field === 'labels' ? labelVerb(existing, after, flags.bool('overwrite')) : 'annotated';
        f.ctx.stdout(nameLine(visit.mapping, target.name, `${verb}${dryRunSuffix(mode)}`));
      } catch (e) {
        if (e instanceof KubectlError) throw e;
        errors.push(e);
      }
    }
  }
  if (errors.length) throw new AggregateError(errors);
  return EXIT.ok;
}

export const runLabel = (f: Factory, flags: ParsedFlags, args: string[]): Promise<number> => run(f, flags, args, 'labels');
export const runAnnotate = (f: Factory, flags: ParsedFlags, args: string[]): Promise<number> => run(f, flags, args, 'annotations');
