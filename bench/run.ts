/**
 * npm run bench — every benchmark the project has, as a table (or `--json`).
 *   npm run bench -- --only clock,page     run some of them
 * Exit status 1 when a figure misses its budget, so CI or a reviewer sees it at once.
 */
import { withinBudget, type Benchmark, type Figure } from './benchmark.ts';
import { apiserverBenchmark } from './apiserver.bench.ts';
import { clockBenchmark } from './clock.bench.ts';
import { kubectlBenchmark } from './kubectl.bench.ts';
import { pageLoadBenchmark } from './pageLoad.bench.ts';
import { schedulerBenchmark } from './scheduler.bench.ts';
import { clusterBenchmark } from './cluster.bench.ts';
import { nodeBenchmark } from './node.bench.ts';
import { kubeletBenchmark } from './kubelet.bench.ts';
import { uiBenchmark } from './ui.bench.ts';
import { labImageBenchmark } from './labImage.bench.ts';
import { lessonsBenchmark } from './lessons.bench.ts';

export const BENCHMARKS: Benchmark[] = [clockBenchmark, apiserverBenchmark, kubectlBenchmark, pageLoadBenchmark, schedulerBenchmark, clusterBenchmark, nodeBenchmark, kubeletBenchmark, uiBenchmark, labImageBenchmark, lessonsBenchmark];

interface Row extends Figure {
  benchmark: string;
  ok?: boolean;
}

function formatValue(f: Figure): string {
  if (f.unit === 'bool') return f.value ? 'yes' : 'no';
  return f.value.toLocaleString('en');
}

function formatBudget(f: Figure): string {
  if (!f.budget) return '';
  if (f.unit === 'bool') return f.budget.max === 0 ? 'no' : 'yes';
  const parts = [];
  if (f.budget.min !== undefined) parts.push(`≥ ${f.budget.min.toLocaleString('en')}`);
  if (f.budget.max !== undefined) parts.push(`≤ ${f.budget.max.toLocaleString('en')}`);
  return parts.join(', ');
}

function table(rows: Row[]): string {
  const header = ['Figure', 'Value', 'Unit', 'Budget', 'OK', 'Note'];
  const cells = rows.map((r) => [r.name, formatValue(r), r.unit === 'bool' ? '' : r.unit, formatBudget(r), r.ok === undefined ? '' : r.ok ? 'yes' : 'NO', r.note ?? '']);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((v, i) => (i === 1 ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  const onlyArg = argv.find((a) => a.startsWith('--only'));
  const only = onlyArg ? (onlyArg.includes('=') ? onlyArg.split('=')[1]! : argv[argv.indexOf(onlyArg) + 1]!).split(',') : undefined;
  const unknown = only?.filter((id) => !BENCHMARKS.some((b) => b.id === id)) ?? [];
  if (unknown.length > 0) {
    process.stderr.write(`bench: unknown benchmark ${unknown.join(', ')}; known: ${BENCHMARKS.map((b) => b.id).join(', ')}\n`);
    return 2;
  }
  const rows: Row[] = [];
  for (const benchmark of BENCHMARKS) {
    if (only && !only.includes(benchmark.id)) continue;
    if (!json) process.stderr.write(`running ${benchmark.title}…\n`);
    for (const figure of await benchmark.run()) rows.push({ benchmark: benchmark.id, ...figure, ok: withinBudget(figure) });
  }
  const machine = { node: process.version, platform: `${process.platform}-${process.arch}`, cpus: (await import('node:os')).cpus().length };
  if (json) process.stdout.write(JSON.stringify({ machine, figures: rows }, null, 2) + '\n');
  else process.stdout.write(`${table(rows)}\n\nNode ${machine.node}, ${machine.platform}, ${machine.cpus} CPUs\n`);
  return rows.some((r) => r.ok === false) ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
