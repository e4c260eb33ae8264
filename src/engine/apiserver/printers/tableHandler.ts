/**
 * TableHandler — one kind's printer, as upstream's PrintHandler.TableHandler(columns, printFunc)
 * registers it (pkg/printers/tablegenerator.go): the kind's column definitions and a function that
 * turns one object into the cells of its row.
 *
 * Contract: `print` returns exactly one cell per column, in column order, wide columns included (the
 * apiserver always prints wide: kubectl hides priority-1 columns itself). A cell is a string, a number
 * (Go's int64) or a boolean, as upstream puts it in the row; `<none>`, `<unknown>` and friends are
 * strings. `conditions` gives the row conditions (only pods have any: `Completed` for finished pods).
 * `now` is the virtual time in ms that ages are measured against.
 */
import type { KubeObject } from '../registry/strategy.ts';
import type { TableColumnDefinition } from './columns.ts';

export type Cell = string | number | boolean;

/** metav1.TableRowCondition; `Completed` is the only type upstream defines. */
export interface TableRowCondition {
  readonly type: 'Completed';
  readonly status: 'True' | 'False' | 'Unknown';
  readonly reason?: string;
  readonly message?: string;
}

export interface TableHandler {
  readonly columns: readonly TableColumnDefinition[];
  print(object: KubeObject, now: number): Cell[];
  conditions?(object: KubeObject): readonly TableRowCondition[] | undefined;
}

/**
 * A handler for objects of shape T (a kubernetes-types interface): the apiserver hands printers parsed
 * JSON, which the kind's registry has validated, so the cast is the one place the shape is trusted.
 */
export function tableHandler<T>(
  columns: readonly TableColumnDefinition[],
  print: (object: T, now: number) => Cell[],
  conditions?: (object: T) => readonly TableRowCondition[] | undefined,
): TableHandler {
  return {
    columns,
    print: print as unknown as TableHandler['print'],
    ...(conditions ? { conditions: conditions as unknown as NonNullable<TableHandler['conditions']> } : {}),
  };
}
