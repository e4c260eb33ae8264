/**
 * kubectl wait (k8s.io/kubectl/pkg/cmd/wait): `--for=delete`, `--for=create`,
 * `--for=condition=NAME[=VALUE]` (status.conditions, case-folded, not before the condition's
 * observedGeneration catches up with metadata.generation) and `--for=jsonpath='{…}'[=VALUE]`, on objects
 * named by TYPE/NAME, TYPE NAME, -f, -l or --all. One `--timeout` (default 30s, 0 = check once, negative
 * = a week) runs on the virtual clock for all of them, each waited on through a watch. Prints `kind/name
 * condition met`; `timed out waiting for the condition on deployments/web`, `condition not met for …`
 * and `no matching resources found` as kubectl does. Left out: -o formats other than the default.
 */
import { EXIT } from '../../../command.ts';
import { asStatusError } from '../../../../api/errors.ts';
import type { KubeObject } from '../../../../client/rest/restClient.ts';
import { build } from '../builder.ts';
import { KubectlError } from '../errors.ts';
import type { Factory } from '../factory.ts';
import type { ParsedFlags } from '../flags.ts';
import { printOperation } from './printOperation.ts';
import { JsonPath } from '../printers/jsonpath.ts';
import { relaxedJsonPathExpression } from '../printers/customColumns.ts';
import type { ApiResource } from '../restMapper.ts';
import { objectsOf, resourceClient } from './common.ts';
import { parseDuration, untilWithSync } from './until.ts';

const WEEK_MS = 168 * 3_600_000;

/** What `--for` asks: a check of the live object (undefined once it is gone). */
interface Condition {
  kind: 'delete' | 'create' | 'check';
  met(object: KubeObject | undefined): boolean;
}

function conditionMet(name: string, value: string) {
  return (object: KubeObject | undefined): boolean => {
    const status = object?.status as { conditions?: unknown; observedGeneration?: number } | undefined;
    const conditions = Array.isArray(status?.conditions) ? (status.conditions as Array<Record<string, unknown>>) : [];
    for (const c of conditions) {
      if (typeof c.type !== 'string' || c.type.toLowerCase() !== name.toLowerCase()) continue;
      if (typeof c.status !== 'string') continue;
      const generation = object?.metadata?.generation;
      if (typeof generation === 'number') {
        const observed = typeof c.observedGeneration === 'number' ? c.observedGeneration : status?.observedGeneration;
        if (typeof observed === 'number' && observed < generation) return false;
      }
      return c.status.toLowerCase() === value.toLowerCase();
    }
    return false;
  };
}

/** splitJSONPathInput: the expression (up to its closing brace) and the value after `=`. */
function splitJsonPathInput(input: string): string[] {
  if (input.startsWith('{')) {
    const close = input.indexOf('}');
    if (close >= 0 && input[close + 1] === '=') return [input.slice(0, close + 1), input.slice(close + 2)];
    if (close >= 0 && close === input.length - 1) return [input];
  }
  return input.split('=');
}

function jsonPathMet(input: string) {
  const parts = splitJsonPathInput(input);
  if (parts.length < 1 || parts.length > 2) {
    throw new KubectlError(`error: jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3 or --for=jsonpath='{.status.readyReplicas}'`);
  }
  const expression = relaxedJsonPathExpression(parts[0] ?? '');
  if (expression === '') throw new KubectlError('error: jsonpath expression cannot be empty');
  const matchAny = parts.length === 1;
  if (!matchAny && parts[1] === '') throw new KubectlError('error: jsonpath wait value cannot be empty');
  const want = (parts[1] ?? '').replace(/^['"]+|['"]+$/g, '');
  const path = new JsonPath(expression, { allowMissingKeys: true });
  return (object: KubeObject | undefined): boolean => {
    if (!object) return false;
    const results = path.findResults(object as never);
    if (results.length === 0 || (results[0] ?? []).length === 0) return false;
    if (results.length > 1) throw new KubectlError('error: given jsonpath expression matches more than one list');
    const first = results[0] ?? [];
    if (first.length > 1) throw new KubectlError('error: given jsonpath expression matches more than one value');
    if (matchAny) return true;
    const value = first[0];
    if (value !== null && typeof value === 'object') throw new KubectlError('error: jsonpath leads to a nested object or list which is not supported');
    return String(value ?? '<nil>').trim() === want.trim();
  };
}

function conditionFor(value: string): Condition {
  if (value.toLowerCase() === 'delete') return { kind: 'delete', met: (o) => o === undefined };
  if (value.toLowerCase() === 'create') return { kind: 'create', met: (o) => o !== undefined };
  if (value.startsWith('condition=')) {
    const rest = value.slice('condition='.length);
    const eq = rest.indexOf('=');
    return { kind: 'check', met: conditionMet(eq < 0 ? rest : rest.slice(0, eq), eq < 0 ? 'true' : rest.slice(eq + 1)) };
  }
  if (value.startsWith('jsonpath=')) return { kind: 'check', met: jsonPathMet(value.slice('jsonpath='.length)) };
  throw new KubectlError(`error: unrecognized condition: ${JSON.stringify(value)}`);
}

export async function runWait(f: Factory, flags: ParsedFlags, args: string[]): Promise<number> {
  let timeout = parseDuration(flags.string('timeout'), 'timeout');
  if (timeout < 0) timeout = WEEK_MS;
  const condition = conditionFor(flags.string('for'));
  const deadline = f.ctx.clock.now() + timeout;
  const visits = await build(f, { args, filenames: flags.list('filename'), recursive: flags.bool('recursive'), labelSelector: flags.string('selector'), fieldSelector: flags.string('field-selector'), allNamespaces: flags.bool('all-namespaces'), all: flags.bool('all'), requireObject: true });
  let visited = 0;
  for (const visit of visits) {
    const client = resourceClient(f, visit.mapping);
    const targets = await objectsOf(f, visit);
    for (const target of targets) {
      let live: KubeObject | undefined;
      try {
        live = await client.get(target.namespace, target.name);
      } catch (e) {
        if (asStatusError(e)?.code !== 404) throw e;
        // The builder's NotFound: ignored when waiting for a deletion, an error otherwise.
        if (condition.kind === 'delete') continue;
        if (condition.kind !== 'create') throw e;
      }
      visited++;
      const objectName = `${visit.mapping.resource}/${target.name}`;
      if (!condition.met(live)) {
        if (timeout === 0) throw new KubectlError(`error: condition not met for ${objectName}`);
        const remaining = deadline - f.ctx.clock.now();
        const outcome = remaining <= 0 ? 'timeout' : await waitFor(f, visit.mapping, target.namespace, target.name, live?.metadata?.uid, condition, remaining);
        if (outcome === 'interrupted') return EXIT.interrupted;
        if (outcome === 'timeout') throw new KubectlError(`error: timed out waiting for the condition on ${objectName}`);
      }
      f.ctx.stdout(printOperation(visit.mapping, target.name, 'condition met'));
    }
  }
  if (visited === 0 && condition.kind !== 'delete') throw new KubectlError('error: no matching resources found');
  return EXIT.ok;
}

function waitFor(f: Factory, mapping: ApiResource, namespace: string, name: string, uid: string | undefined, condition: Condition, timeoutMs: number) {
  return untilWithSync(f, mapping, namespace, name, timeoutMs, (event) => {
    if (condition.kind === 'delete') return event.type === 'DELETED' || (uid !== undefined && event.object.metadata?.uid !== uid);
    if (event.type === 'DELETED') return condition.met(undefined);
    return condition.met(event.object);
  });
}
