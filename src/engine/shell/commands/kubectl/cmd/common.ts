/**
 * What kubectl's mutating commands share: a resource client for a builder visit, the GroupKind string
 * the patch module keys its schemas by, `--dry-run` parsing, and AddSourceToErr's wrapping of a server
 * error with the manifest it came from (`error when creating "web.yaml": …`).
 */
import { StatusError, asStatusError } from '../../../../api/errors.ts';
import type { ResourceClient, KubeObject } from '../../../../client/rest/restClient.ts';
import type { Visit } from '../builder.ts';
import { KubectlError } from '../errors.ts';
import type { Factory } from '../factory.ts';
import type { ParsedFlags } from '../flags.ts';
import { goTemplatePrinter, jsonPathPrinter, printJson, printJsonPath, printName, printYaml, type OutputFormat } from '../printers/index.ts';
import type { ApiResource } from '../restMapper.ts';

export function resourceClient(f: Factory, mapping: ApiResource): ResourceClient<KubeObject> {
  return f.client().resource({ group: mapping.group, version: mapping.version, resource: mapping.resource, namespaced: mapping.namespaced });
}

/** `Deployment.apps`, `Pod`. */
export function groupKind(mapping: ApiResource): string {
  return mapping.group ? `${mapping.kind}.${mapping.group}` : mapping.kind;
}

export type DryRun = 'none' | 'client' | 'server';

export function dryRun(flags: ParsedFlags): DryRun {
  const value = flags.string('dry-run');
  if (value === 'none' || value === '' || value === 'false') return 'none';
  if (value === 'client' || value === 'server') return value;
  if (value === 'unchanged' || value === 'true') return 'client';
  throw new KubectlError(`error: Invalid dry-run value (${value}). Must be "none", "server", or "client".`);
}

export function dryRunSuffix(mode: DryRun): string {
  return mode === 'client' ? ' (dry run)' : mode === 'server' ? ' (server dry run)' : '';
}

/** AddSourceToErr: a server error about an object read from a file names the file. */
export function withSource(verb: string, visit: Visit, e: unknown): unknown {
  const status = asStatusError(e);
  if (!status || visit.type !== 'object') return e;
  return new StatusError({ ...status.status, message: `error when ${verb} "${visit.source}": ${status.status.message ?? ''}` });
}

/** The resource builder's wording of a list's BadRequest or NotFound (cli-runtime resource/selector.go). */
export function withListSource(visit: Visit, e: unknown): unknown {
  const status = asStatusError(e);
  if (!status || visit.type !== 'list' || (status.status.reason !== 'BadRequest' && status.status.reason !== 'NotFound')) return e;
  const gvr = `"${visit.mapping.group}/${visit.mapping.version}, Resource=${visit.mapping.resource}"`;
  const message = !visit.labelSelector && !visit.fieldSelector
    ? `Unable to list ${gvr}: ${status.status.message ?? ''}`
    : `Unable to find ${gvr} that match label selector ${JSON.stringify(visit.labelSelector)}, field selector ${JSON.stringify(visit.fieldSelector)}: ${status.status.message ?? ''}`;
  return new StatusError({ ...status.status, message });
}

/** Every object a visit names: itself, or the listed objects of a selector. */
export async function objectsOf(f: Factory, visit: Visit): Promise<Array<{ namespace: string; name: string; object?: KubeObject }>> {
  if (visit.type === 'name') return [{ namespace: visit.namespace, name: visit.name }];
  if (visit.type === 'object') return [{ namespace: visit.namespace, name: visit.name, object: visit.object }];
  const list = await resourceClient(f, visit.mapping)
    .list(visit.namespace, { labelSelector: visit.labelSelector, fieldSelector: visit.fieldSelector })
    .catch((e: unknown) => {
      throw withListSource(visit, e);
    });
  return list.items.map((o) => ({ namespace: o.metadata?.namespace ?? '', name: o.metadata?.name ?? '', object: o }));
}

/** The name printer's line for an object of `mapping`: `deployment.apps/web created`. */
export function nameLine(mapping: ApiResource, name: string, operation?: string): string {
  const apiVersion = mapping.group ? `${mapping.group}/${mapping.version}` : mapping.version;
  return printName({ apiVersion, kind: mapping.kind, metadata: { name } }, operation ? { operation } : {});
}

/**
 * PrintFlags.ToPrinter(operation) of a mutating command for one result: `-o json|yaml|jsonpath=…` print
 * the object, `-o name` its name line, no `-o` the name line with the operation.
 */
export function printResult(format: OutputFormat, object: KubeObject, mapping: ApiResource, name: string, operation: string): string {
  switch (format.kind) {
    case 'json':
      return printJson(object);
    case 'yaml':
      return printYaml(object);
    case 'jsonpath':
      return printJsonPath(jsonPathPrinter(format.template, { outputJson: format.asJson }), object);
    case 'go-template':
      return goTemplatePrinter(format.template).print(object);
    case 'go-template-file':
      throw new KubectlError('error: -o go-template-file is not supported by this command in the lab');
    case 'name':
      return nameLine(mapping, name);
    default:
      return nameLine(mapping, name, operation);
  }
}
