/**
 * ConfigMap, Secret, ServiceAccount, Namespace, ResourceQuota and LimitRange as kubectl 1.32 describes
 * them (pkg/describe): data with `----` separators, binary data and secret data as byte counts (a
 * service-account token printed in full), a service account's image pull, mountable and token secrets,
 * a namespace's status, conditions, resource quotas and limit ranges; a quota's used and hard
 * resources; a limit range's table.
 *
 * kubectl 1.32 walks data maps in Go's random order; keys print sorted here (as later kubectl does).
 */
import type { ConfigMap, LimitRange, Namespace, ResourceQuota, Secret, ServiceAccount } from 'kubernetes-types/core/v1';
import { decodeBase64 } from '../../../../base/base64.ts';
import { newQuantity, parseQuantity } from '../../../../api/resource/quantity.ts';
import { LEVEL_0, LEVEL_1, type PrefixWriter, tabbedString } from './prefixWriter.ts';
import { byString, printAnnotationsMultiline, printLabelsMultiline, rfc1123z } from './metadata.ts';
import { describeEvents } from './events.ts';
import type { DescribeContext } from './context.ts';

function byteLength(b64: string): number {
  return decodeBase64(b64)?.length ?? 0;
}

export function describeConfigMap(cm: ConfigMap, ctx: DescribeContext): string {
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${cm.metadata?.name ?? ''}\n`);
    w.write(LEVEL_0, `Namespace:\t${cm.metadata?.namespace ?? ''}\n`);
    printLabelsMultiline(w, 'Labels', cm.metadata?.labels);
    printAnnotationsMultiline(w, 'Annotations', cm.metadata?.annotations);
    w.write(LEVEL_0, '\nData\n====\n');
    for (const k of Object.keys(cm.data ?? {}).sort()) {
      w.write(LEVEL_0, `${k}:\n----\n`);
      w.write(LEVEL_0, `${cm.data![k]}\n`);
      w.write(LEVEL_0, '\n');
    }
    w.write(LEVEL_0, '\nBinaryData\n====\n');
    for (const k of Object.keys(cm.binaryData ?? {}).sort()) w.write(LEVEL_0, `${k}: ${byteLength(cm.binaryData![k]!)} bytes\n`);
    w.write(LEVEL_0, '\n');
    if (ctx.showEvents) describeEvents(ctx.events, w, ctx.now);
  });
}

export function describeSecret(secret: Secret): string {
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${secret.metadata?.name ?? ''}\n`);
    w.write(LEVEL_0, `Namespace:\t${secret.metadata?.namespace ?? ''}\n`);
    printLabelsMultiline(w, 'Labels', secret.metadata?.labels);
    printAnnotationsMultiline(w, 'Annotations', secret.metadata?.annotations);
    w.write(LEVEL_0, `\nType:\t${secret.type ?? ''}\n`);
    w.write(LEVEL_0, '\nData\n====\n');
    for (const k of Object.keys(secret.data ?? {}).sort()) {
      const v = secret.data![k]!;
      if (k === 'token' && secret.type === 'kubernetes.io/service-account-token') {
        w.write(LEVEL_0, `${k}:\t${new TextDecoder().decode(decodeBase64(v) ?? new Uint8Array())}\n`);
      } else {
        w.write(LEVEL_0, `${k}:\t${byteLength(v)} bytes\n`);
      }
    }
  });
}

export function describeServiceAccount(sa: ServiceAccount, ctx: DescribeContext): string {
  const ns = sa.metadata?.namespace ?? '';
  const secrets = ctx.related('', 'secrets', ns) as Secret[];
  const missing = new Set((sa.secrets ?? []).map((s) => s.name ?? ''));
  const tokens: string[] = [];
  for (const s of secrets) {
    if (s.type === 'kubernetes.io/service-account-token') {
      const a = s.metadata?.annotations ?? {};
      if (a['kubernetes.io/service-account.name'] === sa.metadata?.name && a['kubernetes.io/service-account.uid'] === sa.metadata?.uid) tokens.push(s.metadata?.name ?? '');
    }
    missing.delete(s.metadata?.name ?? '');
  }
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${sa.metadata?.name ?? ''}\n`);
    w.write(LEVEL_0, `Namespace:\t${ns}\n`);
    printLabelsMultiline(w, 'Labels', sa.metadata?.labels);
    printAnnotationsMultiline(w, 'Annotations', sa.metadata?.annotations);
    const emptyHeader = '                   ';
    const sections: Array<[string, string[]]> = [
      ['Image pull secrets:', (sa.imagePullSecrets ?? []).map((s) => s.name ?? '')],
      ['Mountable secrets: ', (sa.secrets ?? []).map((s) => s.name ?? '')],
      ['Tokens:            ', tokens],
    ];
    for (const [header, names] of sections) {
      if (names.length === 0) {
        w.write(LEVEL_0, `${header}\t<none>\n`);
        continue;
      }
      let prefix = header;
      for (const name of names) {
        w.write(LEVEL_0, missing.has(name) ? `${prefix}\t${name} (not found)\n` : `${prefix}\t${name}\n`);
        prefix = emptyHeader;
      }
    }
    if (ctx.showEvents) describeEvents(ctx.events, w, ctx.now);
  });
}

const SCOPE_HELP: Record<string, string> = {
  Terminating: 'Matches all pods that have an active deadline. These pods have a limited lifespan on a node before being actively terminated by the system.',
  NotTerminating: 'Matches all pods that do not have an active deadline. These pods usually include long running pods whose container command is not expected to terminate.',
  BestEffort: 'Matches all pods that do not have resource requirements set. These pods have a best effort quality of service.',
  NotBestEffort: 'Matches all pods that have at least one resource requirement set. These pods have a burstable or guaranteed quality of service.',
};

/** DescribeResourceQuotas */
export function describeResourceQuotas(quotas: readonly ResourceQuota[], w: PrefixWriter): void {
  if (quotas.length === 0) {
    w.write(LEVEL_0, 'No resource quota.\n');
    return;
  }
  w.write(LEVEL_0, 'Resource Quotas\n');
  for (const q of [...quotas].sort(byString((x) => x.metadata?.name ?? ''))) {
    w.write(LEVEL_1, `Name:\t${q.metadata?.name ?? ''}\n`);
    const scopes = [...(q.spec?.scopes ?? [])].sort();
    if (scopes.length > 0) {
      w.write(LEVEL_1, `Scopes:\t${scopes.join(', ')}\n`);
      for (const s of scopes) if (SCOPE_HELP[s]) w.write(LEVEL_1, `* ${SCOPE_HELP[s]}\n`);
    }
    w.write(LEVEL_1, 'Resource\tUsed\tHard\n');
    w.write(LEVEL_1, '--------\t---\t---\n');
    const hard = q.status?.hard ?? {};
    const used = q.status?.used ?? {};
    for (const r of Object.keys(hard).sort()) {
      const u = used[r] === undefined ? '0' : parseQuantity(String(used[r])).toString();
      w.write(LEVEL_1, `${r}\t${u}\t${parseQuantity(String(hard[r])).toString()}\n`);
    }
  }
}

/**
 * describeLimitRangeSpec: a row per limit item and resource. kubectl walks each item's resources in Go's
 * map order (random); they print sorted here.
 */
function describeLimitRangeSpec(spec: LimitRange['spec'], prefix: string, w: PrefixWriter): void {
  for (const item of spec?.limits ?? []) {
    const names = new Set<string>();
    for (const m of [item.max, item.min, item.default, item.defaultRequest, item.maxLimitRequestRatio]) for (const k of Object.keys(m ?? {})) names.add(k);
    for (const k of [...names].sort()) {
      const cell = (m: Record<string, unknown> | undefined): string => (m?.[k] === undefined ? '-' : parseQuantity(String(m[k])).toString());
      w.write(LEVEL_0, `${prefix}${item.type}\t${k}\t${cell(item.min)}\t${cell(item.max)}\t${cell(item.defaultRequest)}\t${cell(item.default)}\t${cell(item.maxLimitRequestRatio)}\n`);
    }
  }
}

/** DescribeLimitRanges */
export function describeLimitRanges(ranges: readonly LimitRange[], w: PrefixWriter): void {
  if (ranges.length === 0) {
    w.write(LEVEL_0, 'No LimitRange resource.\n');
    return;
  }
  w.write(LEVEL_0, 'Resource Limits\n Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n');
  w.write(LEVEL_0, ' ----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n');
  for (const lr of ranges) describeLimitRangeSpec(lr.spec, ' ', w);
}

/** describeLimitRange: no labels, annotations or events. */
export function describeLimitRange(lr: LimitRange): string {
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${lr.metadata?.name ?? ''}\n`);
    w.write(LEVEL_0, `Namespace:\t${lr.metadata?.namespace ?? ''}\n`);
    w.write(LEVEL_0, 'Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n');
    w.write(LEVEL_0, '----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n');
    describeLimitRangeSpec(lr.spec, '', w);
  });
}

/**
 * describeQuota: scopes with their help text, then each hard resource with its use (printed in the
 * hard quantity's format: `512Mi`, not `536870912`). No labels, annotations or events.
 */
export function describeQuota(q: ResourceQuota): string {
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${q.metadata?.name ?? ''}\n`);
    w.write(LEVEL_0, `Namespace:\t${q.metadata?.namespace ?? ''}\n`);
    const scopes = [...(q.spec?.scopes ?? [])].sort();
    if (scopes.length > 0) {
      w.write(LEVEL_0, `Scopes:\t${scopes.join(', ')}\n`);
      for (const s of scopes) if (SCOPE_HELP[s]) w.write(LEVEL_0, ` * ${SCOPE_HELP[s]}\n`);
    }
    w.write(LEVEL_0, 'Resource\tUsed\tHard\n');
    w.write(LEVEL_0, '--------\t----\t----\n');
    const hard = q.status?.hard ?? {};
    const used = q.status?.used ?? {};
    for (const r of Object.keys(hard).sort()) {
      const h = parseQuantity(String(hard[r]));
      let u = used[r] === undefined ? undefined : parseQuantity(String(used[r]));
      if (u?.format !== h.format) u = newQuantity(u?.value() ?? 0, h.format);
      w.write(LEVEL_0, `${r}\t${u.toString()}\t${h.toString()}\n`);
    }
  });
}

export function describeNamespace(ns: Namespace, ctx: DescribeContext): string {
  const name = ns.metadata?.name ?? '';
  const quotas = ctx.related('', 'resourcequotas', name) as ResourceQuota[];
  const ranges = ctx.related('', 'limitranges', name) as LimitRange[];
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${name}\n`);
    printLabelsMultiline(w, 'Labels', ns.metadata?.labels);
    printAnnotationsMultiline(w, 'Annotations', ns.metadata?.annotations);
    w.write(LEVEL_0, `Status:\t${ns.status?.phase ?? ''}\n`);
    const conditions = ns.status?.conditions ?? [];
    if (conditions.length > 0) {
      w.write(LEVEL_0, 'Conditions:\n');
      w.write(LEVEL_1, 'Type\tStatus\tLastTransitionTime\tReason\tMessage\n');
      w.write(LEVEL_1, '----\t------\t------------------\t------\t-------\n');
      for (const c of conditions) w.write(LEVEL_1, `${c.type}\t${c.status}\t${rfc1123z(c.lastTransitionTime)}\t${c.reason ?? ''}\t${c.message ?? ''}\n`);
    }
    w.write(LEVEL_0, '\n');
    describeResourceQuotas(quotas, w);
    w.write(LEVEL_0, '\n');
    describeLimitRanges(ranges, w);
  });
}

