/**
 * The table generator — what a 1.32 apiserver answers to `Accept: application/json;as=Table;v=v1;
 * g=meta.k8s.io`: pkg/printers/tablegenerator.go (GenerateTable, always wide on the server) over the
 * handlers of every kind, rest.NewDefaultTableConvertor (NAME, CREATED AT) for kinds without one, and
 * the endpoint's includeObject step (apiserver/pkg/endpoints/handlers/response.go asTable).
 *
 * Contract:
 * - Handlers are keyed by GroupKind string (`Pod`, `Deployment.apps`); an unknown key gets the default
 *   table, whose CREATED AT is RFC 3339 in UTC (`0001-01-01T00:00:00Z` without a timestamp).
 * - The JSON has upstream's field order and omissions: kind, apiVersion, metadata (resourceVersion,
 *   continue, remainingItemCount, each only when set), columnDefinitions, rows; a row has cells,
 *   conditions (only when any) and object.
 * - includeObject `Object` embeds the object with kind and apiVersion set; `Metadata` (the default) a
 *   meta.k8s.io/v1 PartialObjectMetadata holding its metadata in ObjectMeta's field order; `None` null.
 * - For a single object (a GET), pass its own resourceVersion as listMeta.resourceVersion: upstream
 *   reads the table's resourceVersion from the object when it is not a list.
 *
 * Left out: TableOptions.noHeaders (kubectl sends it only for watches with --no-headers), the
 * meta.k8s.io/v1beta1 Table, and printers for kinds the lab does not serve.
 */
import type { KubeObject, ObjectMetaLike } from '../registry/strategy.ts';
import { appsHandlers } from './apps.ts';
import { autoscalingHandlers } from './autoscaling.ts';
import { batchHandlers } from './batch.ts';
import { column, DOC, type TableColumnDefinition } from './columns.ts';
import { coreHandlers } from './core.ts';
import { parseTime } from './duration.ts';
import { networkingHandlers } from './networking.ts';
import { podHandlers } from './pod.ts';
import { policyHandlers } from './policy.ts';
import { rbacHandlers } from './rbac.ts';
import { schedulingHandlers } from './scheduling.ts';
import { storageHandlers } from './storage.ts';
import type { Cell, TableHandler, TableRowCondition } from './tableHandler.ts';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface PrintOptions {
  /** Virtual time in ms: ages are measured against it. */
  now: number;
  includeObject: IncludeObject;
  listMeta: { resourceVersion: string; continue?: string; remainingItemCount?: number };
  /** The apiVersion and kind of the objects, set on them for includeObject=Object. */
  apiVersion: string;
  kind: string;
}

const HANDLERS: ReadonlyMap<string, TableHandler> = new Map<string, TableHandler>(
  Object.entries({
    ...podHandlers,
    ...coreHandlers,
    ...appsHandlers,
    ...batchHandlers,
    ...networkingHandlers,
    ...rbacHandlers,
    ...storageHandlers,
    ...autoscalingHandlers,
    ...policyHandlers,
    ...schedulingHandlers,
  }),
);

/** rest.defaultTableConvertor: the table of kinds without a printer. */
const DEFAULT_HANDLER: TableHandler = {
  columns: [column('Name', 'string', DOC.name, { format: 'name' }), column('Created At', 'date', DOC.creationTimestamp)],
  print: (object) => [object.metadata?.name ?? '', rfc3339(object.metadata?.creationTimestamp)],
};

/** Go's zero time formatted as RFC 3339. */
const ZERO_TIME_RFC3339 = '0001-01-01T00:00:00Z';

/** time.Time.UTC().Format(time.RFC3339): whole seconds, `Z`. */
function rfc3339(timestamp: string | null | undefined): string {
  const ms = parseTime(timestamp);
  if (ms === undefined) return ZERO_TIME_RFC3339;
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/** The column definitions the server sends for a kind (NAME, CREATED AT for kinds without a printer). */
export function columnsFor(groupKind: string): readonly TableColumnDefinition[] {
  return (HANDLERS.get(groupKind) ?? DEFAULT_HANDLER).columns;
}

interface TableRow {
  cells: Cell[];
  conditions?: readonly TableRowCondition[];
  object: Record<string, unknown> | null;
}

/** The metav1.Table JSON for `items` of one kind. */
export function printTable(groupKind: string, items: readonly KubeObject[], options: PrintOptions): string {
  const handler = HANDLERS.get(groupKind) ?? DEFAULT_HANDLER;
  const { now, includeObject } = options;
  const rows: TableRow[] = [];
  for (const item of items) {
    const row: TableRow = { cells: handler.print(item, now), object: null };
    const conditions = handler.conditions?.(item);
    if (conditions) row.conditions = conditions;
    row.object = embeddedObject(item, includeObject, options);
    rows.push(row);
  }
  const { resourceVersion, continue: continueToken, remainingItemCount } = options.listMeta;
  const metadata: Record<string, unknown> = {};
  if (resourceVersion) metadata['resourceVersion'] = resourceVersion;
  if (continueToken) metadata['continue'] = continueToken;
  if (remainingItemCount !== undefined) metadata['remainingItemCount'] = remainingItemCount;
  // The default convertor appends to a nil slice, so its empty table has `rows: null`.
  const tableRows = handler === DEFAULT_HANDLER && rows.length === 0 ? null : rows;
  return JSON.stringify({ kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata, columnDefinitions: handler.columns, rows: tableRows });
}

function embeddedObject(item: KubeObject, includeObject: IncludeObject, options: PrintOptions): Record<string, unknown> | null {
  switch (includeObject) {
    case 'None':
      return null;
    case 'Object': {
      // ConvertToVersion sets the object's kind and apiVersion; kind and apiVersion lead, as in Go's TypeMeta.
      const object: Record<string, unknown> = { kind: options.kind, apiVersion: options.apiVersion, ...item };
      object['kind'] = options.kind;
      object['apiVersion'] = options.apiVersion;
      return object;
    }
    default:
      return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: objectMeta(item.metadata ?? {}) };
  }
}

/** ObjectMeta in Go's field order; creationTimestamp is always written (null when unset). */
function objectMeta(m: ObjectMetaLike): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (m.name) out['name'] = m.name;
  if (m.generateName) out['generateName'] = m.generateName;
  if (m.namespace) out['namespace'] = m.namespace;
  if (m.selfLink) out['selfLink'] = m.selfLink;
  if (m.uid) out['uid'] = m.uid;
  if (m.resourceVersion) out['resourceVersion'] = m.resourceVersion;
  if (m.generation) out['generation'] = m.generation;
  out['creationTimestamp'] = m.creationTimestamp ?? null;
  if (m.deletionTimestamp) out['deletionTimestamp'] = m.deletionTimestamp;
  if (m.deletionGracePeriodSeconds !== undefined) out['deletionGracePeriodSeconds'] = m.deletionGracePeriodSeconds;
  if (m.labels && Object.keys(m.labels).length > 0) out['labels'] = m.labels;
  if (m.annotations && Object.keys(m.annotations).length > 0) out['annotations'] = m.annotations;
  if (m.ownerReferences && m.ownerReferences.length > 0) out['ownerReferences'] = m.ownerReferences;
  if (m.finalizers && m.finalizers.length > 0) out['finalizers'] = m.finalizers;
  if (m.managedFields && m.managedFields.length > 0) out['managedFields'] = m.managedFields;
  return out;
}
