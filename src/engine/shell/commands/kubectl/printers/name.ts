/**
 * kubectl's name printer (cli-runtime/pkg/printers/name.go): `kind.group/name` per object, the kind
 * lower-cased and the group left off for the core group, followed by the operation when there is one
 * (`deployment.apps/web created`, `pod/x deleted`). A List prints its items.
 *
 * Left out: `ShortOutput` (only `kubectl delete -o name` sets it, and it just drops the operation —
 * pass no operation).
 */
import { PrinterError } from './printerError.ts';

export interface NamePrintOptions {
  /** `created`, `configured`, `deleted`, `created (dry run)`… */
  readonly operation?: string;
}

interface NamedObject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: { readonly name?: string };
  readonly items?: readonly unknown[];
}

/** `deployment.apps`, `pod`: the resource part of a name-printer line, from apiVersion and kind. */
export function resourceOf(apiVersion: string, kind: string): string {
  const slash = apiVersion.indexOf('/');
  const group = slash === -1 ? '' : apiVersion.slice(0, slash);
  return group ? `${kind.toLowerCase()}.${group}` : kind.toLowerCase();
}

function isList(o: NamedObject): boolean {
  return Array.isArray(o.items) && (o.kind ?? '').endsWith('List');
}

/** `-o name`: one line per object; throws PrinterError as kubectl does for an object with no kind. */
export function printName(objects: unknown, options: NamePrintOptions = {}): string {
  const list = Array.isArray(objects) ? objects : [objects];
  let out = '';
  for (const item of list) {
    const o = (item ?? {}) as NamedObject;
    if (isList(o)) {
      out += printName(o.items, options);
      continue;
    }
    if (!o.kind && !o.apiVersion) {
      throw new PrinterError('missing apiVersion or kind; try GetObjectKind().SetGroupVersionKind() if you know the type');
    }
    const name = o.metadata?.name || '<unknown>';
    if (!o.kind) throw new PrinterError(`missing kind for resource with name ${name}`);
    out += `${resourceOf(o.apiVersion ?? '', o.kind)}/${name}${options.operation ? ` ${options.operation}` : ''}\n`;
  }
  return out;
}
