/**
 * kubectl patch (k8s.io/kubectl/pkg/cmd/patch): `-p PATCH` (or --patch-file) with `--type
 * strategic|merge|json`, to objects named by TYPE NAME, TYPE/NAME or -f; prints `kind/name patched`,
 * or `patched (no change)` when the server's object is unchanged. Left out: --local, --subresource.
 */
import { EXIT } from '../../../command.ts';
import type { PatchType } from '../../../../client/rest/restClient.ts';
import { build } from '../builder.ts';
import { AggregateError, KubectlError } from '../errors.ts';
import type { Factory } from '../factory.ts';
import type { ParsedFlags } from '../flags.ts';
import { PRINT_FORMATS, parseOutputFormat } from '../printers/index.ts';
import { dryRun, dryRunSuffix, objectsOf, printResult, resourceClient } from './common.ts';

export async function runPatch(f: Factory, flags: ParsedFlags, args: string[]): Promise<number> {
  let patch = flags.string('patch');
  const file = flags.string('patch-file');
  if (file) {
    const fs = f.ctx.fs;
    const path = fs.resolve(file, f.cwd);
    if (!fs.stat(path)) throw new KubectlError(`error: unable to read patch file: open ${file}: no such file or directory`);
    patch = fs.readFile(path);
  }
  if (!patch) throw new KubectlError(`error: must specify --patch or --patch-file containing the contents of the patch\nSee 'kubectl patch -h' for help and examples`);
  const typeName = flags.string('type') || 'strategic';
  if (!['json', 'merge', 'strategic'].includes(typeName)) throw new KubectlError(`error: --type must be one of [json merge strategic], not "${typeName}"`);
  const format = parseOutputFormat(flags.string('output'), PRINT_FORMATS);
  const mode = dryRun(flags);
  const visits = await build(f, { args, filenames: flags.list('filename'), recursive: flags.bool('recursive'), labelSelector: '', fieldSelector: '', allNamespaces: false, requireObject: true });
  const errors: unknown[] = [];
  for (const visit of visits) {
    const client = resourceClient(f, visit.mapping);
    for (const target of await objectsOf(f, visit)) {
      try {
        const before = await client.get(target.namespace, target.name);
        const after = await client.patch(target.namespace, target.name, typeName as PatchType, patch, { dryRun: mode !== 'none' });
        const changed = JSON.stringify(before) !== JSON.stringify(after);
        f.ctx.stdout(printResult(format, after, visit.mapping, target.name, `patched${changed ? '' : ' (no change)'}${dryRunSuffix(mode)}`));
      } catch (e) {
        errors.push(e);
      }
    }
  }
  if (errors.length) throw new AggregateError(errors);
  return EXIT.ok;
}
