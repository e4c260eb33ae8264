/**
 * /proc/meminfo — fs/proc/meminfo.c's meminfo_proc_show for a host without swap or huge pages: user
 * memory comes from the root cgroup's memory.stat (anon, file, shmem, kernel stacks, page tables, slab,
 * all charged by the memory controller); the kernel's own share is a fixed part of RAM (its image,
 * struct pages and boot-time slab) plus a page cache and buffers that grow a little with uptime.
 * MemAvailable is si_mem_available's estimate: free memory above the low watermark plus the reclaimable
 * halves of the page cache and of reclaimable slab.
 */
import type { CgroupHierarchy } from '../cgroup/cgroup.ts';

/** What meminfo is computed from. */
export interface MeminfoInput {
  /** RAM in bytes. */
  readonly memoryBytes: number;
  /** The cgroup tree (its root's memory counters are the whole host's). */
  readonly hierarchy: CgroupHierarchy;
}

const KIB = 1024;

/** The text of /proc/meminfo. */
export function procMeminfo(input: MeminfoInput): string {
  input.hierarchy.willReadStats();
  const total = Math.floor(input.memoryBytes / KIB);
  const stat = input.hierarchy.root.memory.stat;
  const k = (bytes: number) => Math.floor(bytes / KIB);
  const reserved = Math.floor(total * 0.03);
  const buffers = Math.floor(total / 80);
  const bootCache = Math.floor(total / 20);
  const anon = k(stat.anon);
  const shmem = k(stat.shmem) + 1264;
  const cached = bootCache + k(stat.file) + shmem;
  const sReclaimable = Math.floor(total / 90) + k(stat.slab_reclaimable);
  const sUnreclaim = Math.floor(total / 75) + k(stat.slab_unreclaimable);
  const kernelStack = 2560 + k(stat.kernel_stack);
  const pageTables = 2048 + k(stat.pagetables);
  const used = reserved + buffers + cached + anon + sReclaimable + sUnreclaim + kernelStack + pageTables;
  const free = Math.max(0, total - used);
  const lowWatermark = Math.floor(total / 256);
  const pagecache = buffers + cached - shmem;
  const available = Math.max(0, free - lowWatermark + pagecache - Math.min(Math.floor(pagecache / 2), lowWatermark) + sReclaimable - Math.min(Math.floor(sReclaimable / 2), lowWatermark));
  const activeFile = Math.floor((pagecache * 2) / 7);
  const inactiveFile = pagecache - activeFile;
  const activeAnon = anon + shmem;
  const rows: Array<[string, number]> = [
    ['MemTotal', total], ['MemFree', free], ['MemAvailable', available], ['Buffers', buffers], ['Cached', cached], ['SwapCached', 0],
    ['Active', activeAnon + activeFile], ['Inactive', inactiveFile], ['Active(anon)', activeAnon], ['Inactive(anon)', 0],
    ['Active(file)', activeFile], ['Inactive(file)', inactiveFile], ['Unevictable', 0], ['Mlocked', 0], ['SwapTotal', 0], ['SwapFree', 0],
    ['Zswap', 0], ['Zswapped', 0], ['Dirty', 0], ['Writeback', 0], ['AnonPages', anon], ['Mapped', Math.floor(cached / 4)], ['Shmem', shmem],
    ['KReclaimable', sReclaimable], ['Slab', sReclaimable + sUnreclaim], ['SReclaimable', sReclaimable], ['SUnreclaim', sUnreclaim],
    ['KernelStack', kernelStack], ['PageTables', pageTables], ['SecPageTables', 0], ['NFS_Unstable', 0], ['Bounce', 0], ['WritebackTmp', 0],
    ['CommitLimit', Math.floor(total / 2)], ['Committed_AS', anon + shmem + Math.floor(total / 8)], ['VmallocTotal', 34359738367],
    ['VmallocUsed', 22264], ['VmallocChunk', 0], ['Percpu', 2720],
  ];
  const line = ([name, value]: [string, number]) => `${`${name}:`.padEnd(16)}${String(value).padStart(8)} kB\n`;
  let out = rows.map(line).join('');
  out += 'HardwareCorrupted:     0 kB\n';
  const hugeRows: Array<[string, number]> = [['AnonHugePages', 0], ['ShmemHugePages', 0], ['ShmemPmdMapped', 0], ['FileHugePages', 0], ['FilePmdMapped', 0], ['Unaccepted', 0]];
  out += hugeRows.map(line).join('');
  out += 'HugePages_Total:       0\nHugePages_Free:        0\nHugePages_Rsvd:        0\nHugePages_Surp:        0\n';
  out += `${'Hugepagesize:'.padEnd(16)}${'2048'.padStart(8)} kB\n${'Hugetlb:'.padEnd(16)}${'0'.padStart(8)} kB\n`;
  const GiB = 1024 * 1024;
  const direct4k = 153428;
  const direct1G = total > 3 * GiB ? Math.floor((total - 3 * GiB) / GiB) * GiB : 0;
  out += line(['DirectMap4k', direct4k]) + line(['DirectMap2M', Math.max(0, total + GiB / 4 - direct4k - direct1G)]);
  if (direct1G > 0) out += line(['DirectMap1G', direct1G]);
  return out;
}
