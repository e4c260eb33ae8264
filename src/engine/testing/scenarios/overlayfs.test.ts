/**
 * Notes 000 (Union FS, copy-on-write, OverlayFS's lower and upper layers) and 004 (overlay2: lowerdir,
 * upperdir, merged, workdir; a container's `diff`, `lower` and `link`; `docker ps -s` sizes), replayed:
 * a container's writable layer seen from the host through `docker inspect`'s GraphDriver paths, and an
 * overlay mounted by hand on docker-host.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { lines, rows, Scenario } from './scenario.ts';

const OVERLAY2 = '/var/lib/docker/overlay2';

interface GraphDriverData {
  LowerDir: string;
  MergedDir: string;
  UpperDir: string;
  WorkDir: string;
}

describe('a container’s layers on the host', () => {
  const s = new Scenario();
  let data: GraphDriverData;
  let layer = '';
  beforeAll(async () => {
    await s.pull('busybox');
    await s.out('docker run -d --name web busybox sleep 1000');
    data = JSON.parse(await s.inspect('web', '{{json .GraphDriver.Data}}')) as GraphDriverData;
    layer = data.UpperDir.replace(/\/diff$/, '');
  });

  it('docker inspect names the layer’s diff, merged and work directories, which exist on the host', async () => {
    expect(layer).toMatch(new RegExp(`^${OVERLAY2}/[0-9a-f]{64}$`));
    expect(data).toMatchObject({ MergedDir: `${layer}/merged`, UpperDir: `${layer}/diff`, WorkDir: `${layer}/work` });
    expect(await s.out(`ssh docker-host ls ${layer}`)).toBe('diff\nlink\nlower\nmerged\nwork\n');
    const dirs = [...data.LowerDir.split(':'), data.UpperDir, data.MergedDir, data.WorkDir];
    expect(await s.out(`ssh docker-host stat -c %F ${dirs.join(' ')}`)).toBe('directory\n'.repeat(dirs.length));
  });

  it('mount shows the container’s overlay: merged on MergedDir, upperdir and workdir as inspect says, lowerdir through the l/ short links', async () => {
    const mounts = lines(await s.out('ssh docker-host mount')).filter((l) => l.startsWith('overlay '));
    expect(mounts).toHaveLength(1);
    const m = /^overlay on (\S+) type overlay \(rw,relatime,lowerdir=([^,]+),upperdir=([^,]+),workdir=([^,)]+)\)$/.exec(mounts[0]!);
    expect(m?.slice(1, 2).concat(m.slice(3))).toEqual([data.MergedDir, data.UpperDir, data.WorkDir]);
    // The lower file lists the parents' short links; each l/ link points at a layer's diff.
    const short = await s.out(`ssh docker-host cat ${layer}/lower`);
    expect(m?.[2]).toBe(short.split(':').map((l) => `${OVERLAY2}/${l}`).join(':'));
    const targets = lines(await s.out(`ssh docker-host 'cd ${OVERLAY2}/l && readlink ${short.replace(/l\//g, '').split(':').join(' ')}'`));
    const lowerDirs = targets.map((t) => `${OVERLAY2}/${t.replace(/^\.\.\//, '')}`);
    expect(lowerDirs).toEqual([`${layer}-init/diff`, expect.stringMatching(new RegExp(`^${OVERLAY2}/[0-9a-f]{64}/diff$`))]);
    // The layer's own short name, in its link file, is the l/ link to its diff.
    expect(await s.out(`ssh docker-host 'readlink ${OVERLAY2}/l/$(cat ${layer}/link)'`)).toBe(`../${layer.slice(OVERLAY2.length + 1)}/diff\n`);
  });

  it('docker inspect’s LowerDir is the overlay’s lowerdir: the init layer, then the image’s', async () => {
    expect(data.LowerDir.split(':')).toEqual([`${layer}-init/diff`, expect.stringMatching(new RegExp(`^${OVERLAY2}/[0-9a-f]{64}/diff$`))]);
  });

  it('a fresh container’s upperdir is empty and docker ps -s shows 0B of its own', async () => {
    expect(await s.out(`ssh docker-host ls -A ${data.UpperDir}`)).toBe('');
    const ps = lines(await s.out('docker ps -s'));
    expect(ps[0]).toMatch(/ NAMES +SIZE$/);
    expect(ps[1]).toMatch(/ web +0B \(virtual 4\.51MB\)$/);
  });

  it('a write to an image file copies it up into the upperdir; the image layer keeps the original', async () => {
    await s.out("docker exec web sh -c 'echo student:x:1000:1000::/home/student:/bin/sh >> /etc/passwd'");
    expect(await s.out(`ssh docker-host ls ${data.UpperDir} ${data.UpperDir}/etc`)).toBe(`${data.UpperDir}:\netc\n\n${data.UpperDir}/etc:\npasswd\n`);
    const image = data.LowerDir.split(':').at(-1)!;
    const upper = await s.out(`ssh docker-host cat ${data.UpperDir}/etc/passwd`);
    const lower = await s.out(`ssh docker-host cat ${image}/etc/passwd`);
    const merged = await s.out(`ssh docker-host cat ${data.MergedDir}/etc/passwd`);
    expect(lines(upper).at(-1)).toBe('student:x:1000:1000::/home/student:/bin/sh');
    expect(upper).toBe(`${lower}student:x:1000:1000::/home/student:/bin/sh\n`);
    expect(merged).toBe(upper);
    expect(await s.out(`ssh docker-host "stat -c '%A %U %G %s' ${data.UpperDir}/etc/passwd"`)).toBe(`-rw-r--r-- root root ${upper.length}\n`);
  });

  it('a delete leaves a whiteout: a 0,0 character device with no permissions', async () => {
    await s.out('docker exec web rm /etc/group');
    expect(await s.out(`ssh docker-host "stat -c '%A %F %t,%T %s %U' ${data.UpperDir}/etc/group"`)).toBe('c--------- character special file 0,0 0 root\n');
    const image = data.LowerDir.split(':').at(-1)!;
    expect(await s.out(`ssh docker-host 'test -f ${image}/etc/group && echo still in the image'`)).toBe('still in the image\n');
    expect(await s.run('docker exec web cat /etc/group')).toEqual({ stdout: '', stderr: "cat: can't open '/etc/group': No such file or directory\n", status: 1 });
  });

  it('ls -l <upperdir>/etc shows the whiteout as c--------- with device 0, 0', async () => {
    const out = lines(await s.out(`ssh docker-host ls -l ${data.UpperDir}/etc`)).map((l) => l.replace(/ [A-Z][a-z]{2} [ \d]\d \d\d:\d\d /, ' '));
    expect(out.slice(1)).toEqual([expect.stringMatching(/^c--------- \d+ root root 0, 0 group$/), expect.stringMatching(/^-rw-r--r-- 1 root root +\d+ passwd$/)]);
  });

  it('docker ps -s: SIZE is the bytes in the upperdir (whiteouts count nothing), virtual adds the image', async () => {
    await s.out("docker exec web sh -c 'mkdir /data && echo hello > /data/new.txt'");
    const sizes = lines(await s.out(`ssh docker-host 'cd ${data.UpperDir} && stat -c %s etc/passwd etc/group data/new.txt'`)).map(Number);
    const total = sizes.reduce((a, b) => a + b, 0);
    expect(sizes[1]).toBe(0);
    const ps = rows(await s.out("docker ps -s --format '{{.Names}} {{.Size}}'"));
    expect(ps).toEqual([['web', `${total}B`, '(virtual', '4.51MB)']]);
    expect(rows(await s.out("docker images --format '{{.Repository}} {{.Size}}' busybox"))).toEqual([['busybox', '4.51MB']]);
  });

  it('a file the host writes into MergedDir is in the container', async () => {
    await s.out(`ssh docker-host 'echo from the host > ${data.MergedDir}/tmp/note'`);
    expect(await s.out('docker exec web cat /tmp/note')).toBe('from the host\n');
    expect(await s.out(`ssh docker-host cat ${data.UpperDir}/tmp/note`)).toBe('from the host\n');
  });

  it('docker rm -f removes the layer, its init layer and the mount', async () => {
    await s.out('docker rm -f web');
    expect((await s.run(`ssh docker-host ls -d ${layer} ${layer}-init`)).stderr).toBe(
      `ls: cannot access '${layer}': No such file or directory\nls: cannot access '${layer}-init': No such file or directory\n`,
    );
    expect(lines(await s.out('ssh docker-host mount')).filter((l) => l.startsWith('overlay '))).toEqual([]);
  });
});

describe('an overlay mounted by hand', () => {
  const s = new Scenario();
  const setup = 'cd /root && mkdir lower upper work merged && echo base > lower/a.txt && echo keep > lower/b.txt && mkdir lower/dir && echo x > lower/dir/x';
  const mount = 'mount -t overlay overlay -o lowerdir=lower,upperdir=upper,workdir=work merged';

  beforeAll(async () => {
    expect(await s.out(`ssh docker-host '${setup} && ${mount}'`)).toBe('');
  });

  it('merged shows the lower layer; mount lists it with the options given', async () => {
    expect(await s.out("ssh docker-host 'cd /root && ls merged merged/dir && cat merged/a.txt'")).toBe('merged:\na.txt\nb.txt\ndir\n\nmerged/dir:\nx\nbase\n');
    expect(await s.out("ssh docker-host 'mount | grep /root/merged'")).toBe('overlay on /root/merged type overlay (rw,relatime,lowerdir=lower,upperdir=upper,workdir=work)\n');
    expect(await s.out('ssh docker-host ls -A /root/upper')).toBe('');
  });

  it('a write copies the file up; a new file lands in upper; lower is untouched', async () => {
    const out = await s.out("ssh docker-host 'cd /root && echo changed >> merged/a.txt && echo new > merged/c.txt && ls upper && cat upper/a.txt lower/a.txt'");
    expect(out).toBe('a.txt\nc.txt\nbase\nchanged\nbase\n');
  });

  it('a delete leaves a whiteout in upper and the file in lower; merged no longer has it', async () => {
    const out = await s.out("ssh docker-host 'cd /root && rm merged/b.txt && stat -c \"%A %F %t,%T\" upper/b.txt && cat lower/b.txt && ls merged'");
    expect(out).toBe('c--------- character special file 0,0\nkeep\na.txt\nc.txt\ndir\n');
  });

  it('a directory removed and made again is opaque: the lower one’s files stay hidden', async () => {
    const out = await s.out("ssh docker-host 'cd /root && rm -r merged/dir && mkdir merged/dir && ls -A merged/dir upper/dir && cat lower/dir/x'");
    expect(out).toBe('merged/dir:\n\nupper/dir:\nx\n');
  });

  it('umount leaves merged empty and upper holding the changes', async () => {
    expect(await s.out("ssh docker-host 'cd /root && umount merged && ls -A merged; ls upper'")).toBe('a.txt\nb.txt\nc.txt\ndir\n');
    expect(await s.out("ssh docker-host 'mount | grep -c /root/merged'; echo $?")).toBe('0\n1\n');
  });

  it('without lowerdir the mount fails as util-linux reports EINVAL, and nothing is mounted', async () => {
    const result = await s.run("ssh docker-host 'cd /root && mkdir m2 u2 w2 && mount -t overlay overlay -o upperdir=u2,workdir=w2 m2'");
    expect(result).toEqual({
      stdout: '',
      stderr: 'mount: /root/m2: wrong fs type, bad option, bad superblock on overlay, missing codepage or helper program, or other error.\n       dmesg(1) may have more information after failed mount system call.\n',
      status: 32,
    });
    expect(await s.out("ssh docker-host 'mount | grep -c /root/m2; dmesg | tail -1 | cut -d] -f2-'")).toBe('0\n overlayfs: missing \'lowerdir\'\n');
  });
});
