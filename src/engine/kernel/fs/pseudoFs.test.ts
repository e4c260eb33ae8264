import { describe, expect, it } from 'vitest';
import { KernelError } from '../errno.ts';
import { makedev } from './makedev.ts';
import { pseudoDir, PseudoFs, type PseudoDir, type PseudoNode } from './pseudoFs.ts';
import { CGROUP2_SUPER_MAGIC } from './superBlock.ts';
import { bootHost } from './testing.ts';

const code = (f: () => unknown): string => {
  try {
    f();
    return 'ok';
  } catch (error) {
    if (error instanceof KernelError) return error.code;
    throw error;
  }
};

/** A tiny cgroup2: directories made by mkdir, a memory.max that takes "max" or a number, cgroup.procs read-write. */
function cgroupHost() {
  const h = bootHost();
  const writes: string[] = [];
  const group = (name: string): PseudoDir => {
    const children = new Map<string, PseudoDir>();
    let max = 'max';
    const files = (): Array<[string, PseudoNode]> => [
      ['cgroup.procs', { type: 'file', mode: 0o644, read: () => '', write: (data) => void writes.push(`${name} ${data}`) }],
      [
        'memory.max',
        {
          type: 'file',
          mode: 0o644,
          read: () => `${max}\n`,
          write: (data) => {
            const value = data.trim();
            if (value !== 'max' && !/^\d+$/.test(value)) throw new KernelError('EINVAL');
            max = value;
          },
        },
      ],
      ['cgroup.controllers', { type: 'file', read: () => 'cpu memory pids\n' }],
    ];
    return {
      type: 'dir',
      mode: 0o755,
      list: () => [...files(), ...children],
      mkdir: (child) => void children.set(child, group(`${name}/${child}`)),
      rmdir: (child) => {
        if (!children.delete(child)) throw new KernelError('ENOENT');
      },
    };
  };
  h.fsTypes.register('cgroup2', (request) => new PseudoFs({ fsType: 'cgroup2', magic: CGROUP2_SUPER_MAGIC, dev: request.anonDev(), clock: h.clock, root: group(''), settableAttrs: true, options: 'nsdelegate,memory_recursiveprot' }));
  h.vfs.mkdirAll('/sys/fs/cgroup');
  h.vfs.mount('cgroup2', '/sys/fs/cgroup', 'cgroup2');
  return { ...h, writes };
}

describe('PseudoFs', () => {
  it('reads and writes through the provider, surfacing its EINVAL unchanged', () => {
    const { vfs, writes } = cgroupHost();
    expect(vfs.readFile('/sys/fs/cgroup/memory.max')).toBe('max\n');
    vfs.writeFile('/sys/fs/cgroup/memory.max', '104857600\n');
    expect(vfs.readFile('/sys/fs/cgroup/memory.max')).toBe('104857600\n');
    let thrown: unknown;
    try {
      vfs.writeFile('/sys/fs/cgroup/memory.max', 'lots\n');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(KernelError);
    expect(thrown).toMatchObject({ code: 'EINVAL', path: undefined });
    vfs.writeFile('/sys/fs/cgroup/cgroup.procs', '42', { append: true });
    expect(writes).toEqual([' 42']);
  });

  it('makes and removes directories through mkdir/rmdir callbacks', () => {
    const { vfs } = cgroupHost();
    vfs.mkdir('/sys/fs/cgroup/kubepods');
    vfs.mkdir('/sys/fs/cgroup/kubepods/pod1');
    expect(vfs.readdir('/sys/fs/cgroup/kubepods').map((e) => e.name)).toEqual(['cgroup.procs', 'memory.max', 'cgroup.controllers', 'pod1']);
    vfs.chdir('/sys/fs/cgroup/kubepods/pod1');
    expect(vfs.getcwd()).toBe('/sys/fs/cgroup/kubepods/pod1');
    vfs.rmdir('/sys/fs/cgroup/kubepods/pod1');
    expect(code(() => vfs.stat('/sys/fs/cgroup/kubepods/pod1'))).toBe('ENOENT');
  });

  it('keeps inode numbers stable and refuses what the provider does not offer', () => {
    const { vfs } = cgroupHost();
    const ino = vfs.stat('/sys/fs/cgroup/memory.max').ino;
    vfs.readdir('/sys/fs/cgroup');
    expect(vfs.stat('/sys/fs/cgroup/memory.max').ino).toBe(ino);
    expect(code(() => vfs.writeFile('/sys/fs/cgroup/cgroup.controllers', 'x'))).toBe('EACCES');
    expect(code(() => vfs.writeFile('/sys/fs/cgroup/new', 'x'))).toBe('EACCES');
    expect(code(() => vfs.unlink('/sys/fs/cgroup/memory.max'))).toBe('EPERM');
    expect(vfs.stat('/sys/fs/cgroup/memory.max')).toMatchObject({ mode: 0o100644, size: 0, dev: makedev(0, 20) });
    vfs.chown('/sys/fs/cgroup/cgroup.procs', 1000, 1000);
    expect(vfs.stat('/sys/fs/cgroup/cgroup.procs').uid).toBe(1000);
  });

  it('refuses chmod on a procfs-like file system with EPERM and serves computed symlinks', () => {
    const h = bootHost();
    let pid = 7;
    const proc = new PseudoFs({
      fsType: 'proc',
      magic: 0x9fa0,
      dev: h.fsTypes.anonDev(),
      clock: h.clock,
      root: pseudoDir({ self: { type: 'symlink', readlink: () => String(pid) }, '7': pseudoDir({ comm: { type: 'file', read: () => 'sh\n' } }), '8': pseudoDir({ comm: { type: 'file', read: () => 'top\n' } }) }),
    });
    h.mounts.mount(h.vfs.resolve('/proc'), proc, { source: 'proc' });
    expect(h.vfs.readFile('/proc/self/comm')).toBe('sh\n');
    pid = 8;
    expect(h.vfs.readFile('/proc/self/comm')).toBe('top\n');
    expect(code(() => h.vfs.chmod('/proc/8/comm', 0o666))).toBe('EPERM');
    expect(h.vfs.statfs('/proc').type).toBe(0x9fa0);
  });
});
