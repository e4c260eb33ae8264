/**
 * ProxierHealthServer — kube-proxy 1.32's /healthz and /livez (pkg/proxy/healthcheck/proxy_health.go)
 * on healthzBindAddress (0.0.0.0:10256). The proxier tells it when a sync is queued (`queuedUpdate`)
 * and when rules were written (`updated`); it is healthy unless an update has been queued for longer
 * than healthTimeout (2 × syncPeriod) without a sync. /healthz also wants the node eligible (its Node
 * known, not being deleted, without the ToBeDeletedByClusterAutoscaler taint) — so it answers 503 until
 * the node informer has told it of the Node. The body is upstream's
 * `{"lastUpdated": "…","currentTime": "…", "nodeEligible": true}`, times in Go's time.Time String form
 * with the monotonic reading (`m=+12.000000000`, seconds since the process started); when healthy,
 * lastUpdated is the current time, as upstream keeps it for compatibility. Headers: Content-Type
 * application/json, X-Content-Type-Options nosniff, Date, Content-Length, as Go's net/http writes them.
 *
 * Left out: the per-family status of dual-stack proxiers (one IPv4 proxier here), the
 * kubeproxy_healthz_total/livez_total counters.
 */
import type { Node } from 'kubernetes-types/core/v1';
import type { HttpRequest, HttpResponse } from '../kernel/net/http1.ts';

/** The taint cluster-autoscaler puts on a node it is about to delete. */
export const TO_BE_DELETED_TAINT = 'ToBeDeletedByClusterAutoscaler';

/** Go's time.Time String(): `2026-01-01 00:00:01.5 +0000 UTC m=+1.500000001`, fraction trimmed. */
export function goTimeWithMonotonic(ms: number, processStartMs: number | undefined): string {
  const iso = new Date(ms).toISOString();
  const frac = iso.slice(20, 23).replace(/0+$/, '');
  let text = `${iso.slice(0, 10)} ${iso.slice(11, 19)}${frac ? `.${frac}` : ''} +0000 UTC`;
  if (processStartMs !== undefined) {
    const mono = ms - processStartMs;
    const sign = mono < 0 ? '-' : '+';
    const abs = Math.abs(mono);
    text += ` m=${sign}${Math.floor(abs / 1000)}.${String((abs % 1000) * 1_000_000).padStart(9, '0')}`;
  }
  return text;
}

/** Go's zero time.Time. */
const ZERO_TIME = '0001-01-01 00:00:00 +0000 UTC';

export class ProxierHealthServer {
  private lastUpdated: number | undefined;
  private oldestPendingQueued: number | undefined;
  private nodeEligible = false;

  constructor(
    private readonly now: () => number,
    private readonly processStart: number,
    private readonly healthTimeoutMs: number,
  ) {}

  /** The proxier wrote its rules: healthy from now. */
  updated(): void {
    this.oldestPendingQueued = undefined;
    this.lastUpdated = this.now();
  }

  /** An update is queued: unhealthy if not written within healthTimeout. */
  queuedUpdate(): void {
    this.oldestPendingQueued ??= this.now();
  }

  /** SyncNode: whether the node may receive traffic. */
  syncNode(node: Node): void {
    this.nodeEligible = !node.metadata?.deletionTimestamp && !(node.spec?.taints ?? []).some((t) => t.key === TO_BE_DELETED_TAINT);
  }

  /** isHealthy: the proxier's own state, ignoring the node. */
  isHealthy(): boolean {
    if (this.lastUpdated === undefined || this.oldestPendingQueued === undefined) return true;
    return this.now() - this.oldestPendingQueued < this.healthTimeoutMs;
  }

  /** The HTTP handler: /healthz and /livez, 404 for anything else as Go's ServeMux answers. */
  handle(request: HttpRequest): HttpResponse {
    const path = request.target.split('?')[0];
    const now = this.now();
    const current = goTimeWithMonotonic(now, this.processStart);
    const date = new Date(now).toUTCString();
    if (path !== '/healthz' && path !== '/livez') {
      const body = '404 page not found\n';
      return { status: 404, headers: [['Content-Type', 'text/plain; charset=utf-8'], ['X-Content-Type-Options', 'nosniff'], ['Date', date], ['Content-Length', String(body.length)]], body };
    }
    let healthy = this.isHealthy();
    if (path === '/healthz') healthy = healthy && this.nodeEligible;
    const last = healthy ? current : this.lastUpdated === undefined ? ZERO_TIME : goTimeWithMonotonic(this.lastUpdated, this.processStart);
    const body = path === '/healthz' ? `{"lastUpdated": "${last}","currentTime": "${current}", "nodeEligible": ${this.nodeEligible}}` : `{"lastUpdated": "${last}","currentTime": "${current}"}`;
    return { status: healthy ? 200 : 503, headers: [['Content-Type', 'application/json'], ['X-Content-Type-Options', 'nosniff'], ['Date', date], ['Content-Length', String(body.length)]], body };
  }
}
