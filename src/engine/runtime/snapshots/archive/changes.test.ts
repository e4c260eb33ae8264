import { describe, expect, it } from 'vitest';
import { S_IFCHR } from '../../../kernel/fs/inode.ts';
import { bootHost } from '../../../kernel/fs/testing.ts';
import { formatChanges, overlayChanges } from './changes.ts';

describe('overlayChanges', () => {
  function layers() {
    const h = bootHost();
    const { vfs } = h;
    for (const dir of ['/lower/etc', '/lower/var/log', '/lower/opt/old', '/rw/etc', '/rw/var/log', '/rw/opt', '/rw/srv']) vfs.mkdirAll(dir);
    vfs.writeFile('/lower/etc/passwd', 'root\n');
    vfs.writeFile('/lower/opt/old/x', 'x');
    return h;
  }

  it('reports modified, added and deleted paths as docker diff does, parents first', () => {
    const { vfs, clock } = layers();
    vfs.utimes('/rw/var', 0, 0);
    vfs.utimes('/lower/var', 0, 0);
    vfs.utimes('/rw/var/log', 0, 0);
    vfs.utimes('/lower/var/log', 0, 0);
    clock.advance(1000);
    vfs.writeFile('/rw/etc/passwd', 'root\napp\n');
    vfs.mknod('/rw/var/log/gone', S_IFCHR, 0);
    vfs.writeFile('/rw/srv/index.html', 'hi');
    vfs.setxattr('/rw/opt', 'trusted.overlay.opaque', 'y');
    expect(formatChanges(overlayChanges(vfs, ['/lower'], '/rw'))).toBe(
      ['C /etc', 'C /etc/passwd', 'D /opt', 'A /srv', 'A /srv/index.html', 'C /var/log', 'D /var/log/gone', ''].join('\n'),
    );
  });

  it('lists nothing for an empty upper directory', () => {
    const { vfs } = layers();
    vfs.mkdirAll('/empty');
    expect(overlayChanges(vfs, ['/lower'], '/empty')).toEqual([]);
  });
});
