/**
 * kubectl autoscale (k8s.io/kubectl/pkg/cmd/autoscale): a HorizontalPodAutoscaler for each deployment,
 * replica set, stateful set or replication controller named, built as kubectl 1.32 builds it —
 * autoscaling/v1 with `minReplicas` (when --min is given), `maxReplicas`, the scale target and
 * `targetCPUUtilizationPercentage` (when --cpu-percent is given) — named after the target or `--name`.
 * Prints `horizontalpodautoscaler.autoscaling/web autoscaled`, or the object with -o/--dry-run=client.
 */
import { EXIT } from '../../../command.ts';
import type { KubeObject } from '../../../../client/rest/restClient.ts';
import { build } from '../builder.ts';
import { AggregateError, KubectlError } from '../errors.ts';
import type { Factory } from '../factory.ts';
import type { ParsedFlags } from '../flags.ts';
import { parseOutputFormat, printJson, printYaml } from '../printers/index.ts';
import type { ApiResource } from '../restMapper.ts';
import { dryRun, dryRunSuffix, objectsOf, resourceClient } from './common.ts';
import { printOperation } from './printOperation.ts';

const HPA: ApiResource = { group: 'autoscaling', version: 'v1', resource: 'horizontalpodautoscalers', singular: 'horizontalpodautoscaler', kind: 'HorizontalPodAutoscaler', namespaced: true, shortNames: ['hpa'], categories: ['all'], verbs: [], preferred: false };
const SCALABLE = ['Deployment', 'ReplicaSet', 'StatefulSet', 'ReplicationController'];

export async function runAutoscale(f: Factory, flags: ParsedFlags, args: string[]): Promise<number> {
  if (!flags.changed('max')) throw new KubectlError('error: required flag(s) "max" not set');
  const max = Number(flags.string('max'));
  const min = Number(flags.string('min'));
  const cpu = Number(flags.string('cpu-percent'));
  if (!(max >= 1)) throw new KubectlError(`error: --max=MAXPODS is required and must be at least 1, max: ${max}`);
  if (max < min) throw new KubectlError(`error: --max=MAXPODS must be larger or equal to --min=MINPODS, max: ${max}, min: ${min}`);
  const mode = dryRun(flags);
  const format = parseOutputFormat(flags.string('output'));
  const visits = await build(f, { args, filenames: flags.list('filename'), recursive: flags.bool('recursive'), labelSelector: '', fieldSelector: '', allNamespaces: false, requireObject: true });
  const errors: unknown[] = [];
  for (const visit of visits) {
    for (const target of await objectsOf(f, visit)) {
      try {
        const live = await resourceClient(f, visit.mapping).get(target.namespace, target.name);
        if (!SCALABLE.includes(visit.mapping.kind)) throw new KubectlError(`error: cannot autoscale a ${visit.mapping.kind}: could not find scale subresource for ${visit.mapping.group}/${visit.mapping.version}, Resource=${visit.mapping.resource} in discovery information`);
        const name = flags.string('name') || target.name;
        const hpa: KubeObject = {
          apiVersion: 'autoscaling/v1',
          kind: 'HorizontalPodAutoscaler',
          metadata: { name, ...(mode === 'client' ? { creationTimestamp: null } : { namespace: target.namespace }) },
          spec: {
            maxReplicas: max,
            ...(min > 0 ? { minReplicas: min } : {}),
            scaleTargetRef: { apiVersion: live.apiVersion ?? '', kind: live.kind ?? '', name: target.name },
            ...(cpu >= 0 ? { targetCPUUtilizationPercentage: cpu } : {}),
          },
          ...(mode === 'client' ? { status: { currentReplicas: 0, desiredReplicas: 0 } } : {}),
        };
        const created = mode === 'client' ? hpa : await resourceClient(f, HPA).create(target.namespace, hpa, { dryRun: mode === 'server', fieldManager: flags.string('field-manager') });
        if (format.kind === 'yaml') f.ctx.stdout(printYaml(created));
        else if (format.kind === 'json') f.ctx.stdout(printJson(created));
        else f.ctx.stdout(printOperation(HPA, name, format.kind === 'name' ? '' : `autoscaled${dryRunSuffix(mode)}`));
      } catch (e) {
        errors.push(e);
      }
    }
  }
  if (errors.length) throw new AggregateError(errors);
  return EXIT.ok;
}
