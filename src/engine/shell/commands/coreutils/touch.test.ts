/**
 * touch on a host: an existing file keeps its contents and size (an image file whose size is more than
 * its text head too) and gets the time of now, by utimes(2); a missing file is created empty; -c creates
 * nothing; a user who may not write the file is refused.
 */
import { describe, expect, it } from 'vitest';
import { bootNode } from '../util-linux/testing.ts';
import { touch } from './touch.ts';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('touch on a host', () => {
  it('sets the times of an existing file to now without rewriting it, keeping an image file its size', async () => {
    const node = bootNode(tick);
    const vfs = node.host.vfsFor(node.host.init);
    vfs.writeFile('/tmp/big', 'ELF head', { apparentSize: 1_534_744 });
    vfs.utimes('/tmp/big', 1_000, 1_000);
    expect(await node.run(touch, 'touch /tmp/big')).toMatchObject({ status: 0, stdout: '', stderr: '' });
    const stat = vfs.stat('/tmp/big');
    expect(stat.size).toBe(1_534_744);
    expect(stat.mtimeMs).toBeGreaterThan(1_000);
    expect(stat.atimeMs).toBe(stat.mtimeMs);
    expect(vfs.readFile('/tmp/big')).toBe('ELF head');
  });

  it('creates a missing file empty, or nothing with -c, and refuses a file the user may not write', async () => {
    const node = bootNode(tick);
    const vfs = node.host.vfsFor(node.host.init);
    await node.run(touch, 'touch /tmp/new');
    expect(vfs.stat('/tmp/new').size).toBe(0);
    await node.run(touch, 'touch -c /tmp/none');
    expect(() => vfs.stat('/tmp/none')).toThrow();
    vfs.writeFile('/tmp/roots', 'x');
    vfs.chmod('/tmp/roots', 0o644);
    const denied = await node.run(touch, 'touch /tmp/roots', { process: node.spawn({ uid: 1000 }) });
    expect(denied).toMatchObject({ status: 1, stdout: '', stderr: "touch: cannot touch '/tmp/roots': Permission denied\n" });
  });
});
