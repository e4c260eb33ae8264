/**
 * The name printer as kubectl's mutating commands use it (`deployment.apps/web image updated`, `node/n1
 * cordoned`): printers.NamePrinter with an operation, for an object known by its mapping and name.
 */
import { printName } from '../printers/index.ts';
import type { ApiResource } from '../restMapper.ts';

export function printOperation(mapping: Pick<ApiResource, 'group' | 'version' | 'kind'>, name: string, operation: string): string {
  const apiVersion = mapping.group ? `${mapping.group}/${mapping.version}` : mapping.version;
  return printName({ apiVersion, kind: mapping.kind, metadata: { name } }, { operation });
}
