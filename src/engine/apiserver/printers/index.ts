/**
 * Server-side printing — the metav1.Table a Kubernetes 1.32 apiserver returns for `Accept:
 * application/json;as=Table;v=v1;g=meta.k8s.io` (pkg/printers/internalversion's printers behind
 * pkg/printers/storage.TableConvertor, and apiserver's default NAME / CREATED AT table). A real
 * `kubectl get` prints these tables as they are, and so does our own kubectl: every column, cell and
 * placeholder matches what 1.32 sends for the same objects.
 *
 * Contract: `printTable(groupKind, items, options)` returns the Table as JSON text; cells are computed
 * against `options.now` (virtual ms); wide columns are always included (priority 1), as the server
 * always prints wide. `humanDuration` is the AGE format, shared with kubectl's client-side output.
 *
 * Left out: printers of kinds the lab does not serve (ReplicationController, PodTemplate, CSR, CSI,
 * flow control, admission policies, DRA, StorageVersion…), events.k8s.io Events, the v1beta1 Table, and
 * TableOptions.noHeaders.
 */
export { printTable, columnsFor, type IncludeObject, type PrintOptions } from './tableGenerator.ts';
export type { TableColumnDefinition } from './columns.ts';
export type { Cell, TableRowCondition } from './tableHandler.ts';
export { humanDuration } from './duration.ts';
