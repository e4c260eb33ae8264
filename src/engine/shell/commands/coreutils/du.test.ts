import { describe, expect, it } from 'vitest';
import { bootNode } from '../util-linux/testing.ts';
import { du } from './du.ts';
import { filesystem, run } from './testing.ts';

/** ./a/x.txt (3 bytes), ./a/b/big (5000), ./e/.h (empty): 4K blocks as on ext4. */
const tree = () => filesystem({ 'a/x.txt': 'hi\n', 'a/b/big': '0'.repeat(5000), 'e/.h': '' }).fs;

// Expected outputs are GNU du 9.4's on ext4 for the same tree (children in name order).
describe('du on the laptop', () => {
  it.each([
    ['du', 0, '12\t./a/b\n20\t./a\n4\t./e\n28\t.\n', ''],
    ['du -a', 0, '8\t./a/b/big\n12\t./a/b\n4\t./a/x.txt\n20\t./a\n0\t./e/.h\n4\t./e\n28\t.\n', ''],
    ['du -s a', 0, '20\ta\n', ''],
    ['du -sh a', 0, '20K\ta\n', ''],
    ['du -c a e', 0, '12\ta/b\n20\ta\n4\te\n24\ttotal\n', ''],
    ['du -d 1', 0, '20\t./a\n4\t./e\n28\t.\n', ''],
    ['du --max-depth=0 e', 0, '4\te\n', ''],
    ['du --apparent-size -a a', 0, '5\ta/b/big\n9\ta/b\n1\ta/x.txt\n13\ta\n', ''],
    ['du -b a', 0, '9096\ta/b\n13195\ta\n', ''],
    ['du -m a', 0, '1\ta/b\n1\ta\n', ''],
    ['du -S a', 0, '12\ta/b\n8\ta\n', ''],
    ['du --exclude=b a', 0, '8\ta\n', ''],
    ['du a/x.txt', 0, '4\ta/x.txt\n', ''],
    ['du nope', 1, '', "du: cannot access 'nope': No such file or directory\n"],
    ['du -sa', 1, '', "du: cannot both summarize and show all entries\nTry 'du --help' for more information.\n"],
    ['du -s -d 1', 1, '', "du: warning: summarizing conflicts with --max-depth=1\nTry 'du --help' for more information.\n"],
    ['du -d x', 1, '', "du: invalid maximum depth ‘x’\nTry 'du --help' for more information.\n"],
  ])('%s', async (line, status, stdout, stderr) => {
    expect(await run(du, line, { fs: tree() })).toEqual({ status, stdout, stderr });
  });
});

describe('du on a host', () => {
  const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

  it('counts what tmpfs allocates, a hard link once, and says where it may not read', async () => {
    const node = bootNode(tick);
    const vfs = node.host.vfsFor(node.host.init);
    vfs.mkdirAll('/tmp/d/sub');
    vfs.writeFile('/tmp/d/sub/f', 'x'.repeat(10_000));
    vfs.link('/tmp/d/sub/f', '/tmp/d/g');
    const sizes = await node.run(du, 'du -ab /tmp/d');
    const blocks = vfs.stat('/tmp/d/sub/f').blocks;
    expect(sizes.stdout).toBe(`10000\t/tmp/d/g\n${vfs.stat('/tmp/d/sub').size}\t/tmp/d/sub\n${10_000 + vfs.stat('/tmp/d/sub').size + vfs.stat('/tmp/d').size}\t/tmp/d\n`);
    expect((await node.run(du, 'du -s /tmp/d')).stdout).toBe(`${Math.ceil(((blocks + vfs.stat('/tmp/d/sub').blocks + vfs.stat('/tmp/d').blocks) * 512) / 1024)}\t/tmp/d\n`);
    const denied = await node.run(du, 'du -s /root', { process: node.spawn({ uid: 1000 }) });
    expect(denied).toMatchObject({ status: 1, stderr: "du: cannot read directory '/root': Permission denied\n" });
  });
});
