/**
 * memory.stat as the kernel prints it: the cgroup v2 format of memory_stat_format() (6.6's keys, in its
 * order; bytes for sizes, counts for events) and the v1 format of memcg1_stat_format() (local values,
 * hierarchical limits, then the `total_` subtree values). The emulation tracks anon, file, shmem, kernel
 * stacks, page tables, socket buffers, slab and fault counts; the other keys are printed as 0 because the
 * emulated kernel has none of them (no THP, no zswap, no writeback, no reclaim).
 */
import type { Cgroup, MemoryKind } from './cgroup.ts';

/** The v2 memory.stat text of a cgroup (hierarchical, as the kernel's rstat counters are). */
export function memoryStatV2(cg: Cgroup): string {
  const m = cg.memory;
  const s = m.stat;
  const slab = s.slab_reclaimable + s.slab_unreclaimable;
  const anonLru = s.anon + s.shmem;
  const fileLru = s.file - s.shmem;
  const rows: [string, number][] = [
    ['anon', s.anon],
    ['file', s.file],
    ['kernel', s.kernel_stack + s.pagetables + slab],
    ['kernel_stack', s.kernel_stack],
    ['pagetables', s.pagetables],
    ['sec_pagetables', 0],
    ['percpu', 0],
    ['sock', s.sock],
    ['vmalloc', 0],
    ['shmem', s.shmem],
    ['zswap', 0],
    ['zswapped', 0],
    ['file_mapped', fileLru],
    ['file_dirty', 0],
    ['file_writeback', 0],
    ['swapcached', 0],
    ['anon_thp', 0],
    ['file_thp', 0],
    ['shmem_thp', 0],
    ['inactive_anon', anonLru],
    ['active_anon', 0],
    ['inactive_file', fileLru],
    ['active_file', 0],
    ['unevictable', 0],
    ['slab_reclaimable', s.slab_reclaimable],
    ['slab_unreclaimable', s.slab_unreclaimable],
    ['slab', slab],
    ['workingset_refault_anon', 0],
    ['workingset_refault_file', 0],
    ['workingset_activate_anon', 0],
    ['workingset_activate_file', 0],
    ['workingset_restore_anon', 0],
    ['workingset_restore_file', 0],
    ['workingset_nodereclaim', 0],
    ['pgscan', 0],
    ['pgsteal', 0],
    ['pgscan_kswapd', 0],
    ['pgscan_direct', 0],
    ['pgscan_khugepaged', 0],
    ['pgsteal_kswapd', 0],
    ['pgsteal_direct', 0],
    ['pgsteal_khugepaged', 0],
    ['pgfault', m.pgfault],
    ['pgmajfault', m.pgmajfault],
    ['pgrefill', 0],
    ['pgactivate', 0],
    ['pgdeactivate', 0],
    ['pglazyfree', 0],
    ['pglazyfreed', 0],
    ['zswpin', 0],
    ['zswpout', 0],
    ['thp_fault_alloc', 0],
    ['thp_collapse_alloc', 0],
  ];
  return rows.map(([k, v]) => `${k} ${v}\n`).join('');
}

/** The v1 memory.stat text: this cgroup's own values, its hierarchical limit, then the subtree's `total_` values. */
export function memoryStatV1(cg: Cgroup, formatLimit: (bytes: number) => string): string {
  const local = (kind: MemoryKind) => cg.memory.stat[kind] - [...cg.children.values()].reduce((n, c) => n + c.memory.stat[kind], 0);
  const localCount = (pick: (c: Cgroup) => number) => pick(cg) - [...cg.children.values()].reduce((n, c) => n + pick(c), 0);
  const part = (get: (kind: MemoryKind) => number, count: (pick: (c: Cgroup) => number) => number): [string, number][] => [
    ['cache', get('file')],
    ['rss', get('anon')],
    ['rss_huge', 0],
    ['shmem', get('shmem')],
    ['mapped_file', get('file') - get('shmem')],
    ['dirty', 0],
    ['writeback', 0],
    ['workingset_refault_anon', 0],
    ['workingset_refault_file', 0],
    ['pgpgin', count((c) => c.memory.pgpgin)],
    ['pgpgout', count((c) => c.memory.pgpgout)],
    ['pgfault', count((c) => c.memory.pgfault)],
    ['pgmajfault', count((c) => c.memory.pgmajfault)],
    ['inactive_anon', get('anon') + get('shmem')],
    ['active_anon', 0],
    ['inactive_file', get('file') - get('shmem')],
    ['active_file', 0],
    ['unevictable', 0],
  ];
  let limit = Infinity;
  for (let c: Cgroup | undefined = cg; c; c = c.parent) limit = Math.min(limit, c.memory.max);
  const rows: [string, string][] = [
    ...part(local, localCount).map(([k, v]): [string, string] => [k, `${v}`]),
    ['hierarchical_memory_limit', formatLimit(limit)],
    ...part(
      (kind) => cg.memory.stat[kind],
      (pick) => pick(cg),
    ).map(([k, v]): [string, string] => [`total_${k}`, `${v}`]),
  ];
  return rows.map(([k, v]) => `${k} ${v}\n`).join('');
}
