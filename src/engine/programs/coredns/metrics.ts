/**
 * The prometheus plugin's registry: CoreDNS's counters and gauges with their HELP texts and label names
 * as 1.11.3 registers them, kept by the other plugins as queries pass, and written out in Prometheus'
 * text exposition format 0.0.4 as client_golang gathers it — families sorted by name, labels by name,
 * series by their label values.
 *
 * Left out: the histograms (request/response sizes and durations), forward's and kubernetes' own
 * metrics, the go_* and process_* collectors.
 */

interface Family {
  help: string;
  type: 'counter' | 'gauge';
  labels: readonly string[];
  series: Map<string, { values: string[]; value: number }>;
}

const FAMILIES: Record<string, { help: string; type: 'counter' | 'gauge'; labels: readonly string[] }> = {
  coredns_build_info: { help: "A metric with a constant '1' value labeled by version, revision, and goversion from which CoreDNS was built.", type: 'gauge', labels: ['goversion', 'revision', 'version'] },
  coredns_plugin_enabled: { help: 'A metric that monitors which plugin(s) is(are) enabled.', type: 'gauge', labels: ['name', 'server', 'view', 'zone'] },
  coredns_dns_requests_total: { help: 'Counter of DNS requests made per zone, protocol and family.', type: 'counter', labels: ['family', 'proto', 'server', 'type', 'view', 'zone'] },
  coredns_dns_do_requests_total: { help: 'Counter of DNS requests with DO bit set per zone.', type: 'counter', labels: ['server', 'view', 'zone'] },
  coredns_dns_responses_total: { help: 'Counter of response status codes.', type: 'counter', labels: ['plugin', 'rcode', 'server', 'view', 'zone'] },
  coredns_cache_entries: { help: 'The number of elements in the cache.', type: 'gauge', labels: ['server', 'type', 'view', 'zones'] },
  coredns_cache_requests_total: { help: 'The count of cache requests.', type: 'counter', labels: ['server', 'view', 'zones'] },
  coredns_cache_hits_total: { help: 'The count of cache hits.', type: 'counter', labels: ['server', 'type', 'view', 'zones'] },
  coredns_cache_misses_total: { help: 'The count of cache misses. Deprecated, derive misses from cache hits/requests counters.', type: 'counter', labels: ['server', 'view', 'zones'] },
  coredns_reload_failed_total: { help: 'Counter of the number of failed reload attempts.', type: 'counter', labels: [] },
};

export type MetricName = keyof typeof FAMILIES;

export class Metrics {
  private readonly families = new Map<string, Family>();

  constructor() {
    for (const [name, f] of Object.entries(FAMILIES)) this.families.set(name, { ...f, series: new Map() });
  }

  /** Add `by` to the series of `name` with these label values (in the family's label order). */
  add(name: MetricName, labels: Record<string, string>, by = 1): void {
    const s = this.seriesOf(name, labels);
    s.value += by;
  }

  set(name: MetricName, labels: Record<string, string>, value: number): void {
    this.seriesOf(name, labels).value = value;
  }

  /** A series' value (0 when it has none yet). */
  get(name: MetricName, labels: Record<string, string>): number {
    const family = this.families.get(name)!;
    return family.series.get(this.key(family, labels))?.value ?? 0;
  }

  /** The exposition text, as /metrics serves it. */
  expose(): string {
    let out = '';
    for (const name of [...this.families.keys()].sort()) {
      const f = this.families.get(name)!;
      if (f.series.size === 0) continue;
      out += `# HELP ${name} ${f.help}\n# TYPE ${name} ${f.type}\n`;
      const rows = [...f.series.values()].sort((a, b) => compareValues(a.values, b.values));
      for (const row of rows) {
        const labels = f.labels.map((l, i) => `${l}="${escapeLabel(row.values[i]!)}"`).join(',');
        out += `${name}${labels ? `{${labels}}` : ''} ${formatValue(row.value)}\n`;
      }
    }
    return out;
  }

  private seriesOf(name: MetricName, labels: Record<string, string>): { values: string[]; value: number } {
    const family = this.families.get(name)!;
    const key = this.key(family, labels);
    let s = family.series.get(key);
    if (!s) {
      s = { values: family.labels.map((l) => labels[l] ?? ''), value: 0 };
      family.series.set(key, s);
    }
    return s;
  }

  private key(family: Family, labels: Record<string, string>): string {
    return family.labels.map((l) => labels[l] ?? '').join('\u0000');
  }
}

function compareValues(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < a.length; i++) {
    if (a[i]! < b[i]!) return -1;
    if (a[i]! > b[i]!) return 1;
  }
  return 0;
}

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

/** Go's strconv.FormatFloat(v, 'g', -1, 64) for the values counters take. */
function formatValue(v: number): string {
  return String(v);
}
