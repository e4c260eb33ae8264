import { describe, expect, it } from 'vitest';
import type { Command } from '../../command.ts';
import { hostname } from './hostname.ts';
import { groups, id, whoami } from './id.ts';
import { nproc } from './nproc.ts';
import { hostFileSystem, HOST, runOnHost, SELF } from './testing.ts';
import { uname } from './uname.ts';

const COMMANDS: Record<string, Command> = { id, whoami, groups, uname, hostname, nproc };
/** The sleep running as nobody (65534), and the one as uid 4242, which /etc/passwd does not name. */
const NOBODY = 25687;
const NAMELESS = 25688;

// Expected outputs are coreutils 9.1's and hostname 3.23's on the machine the fixture was copied from.
describe('identity and system names', () => {
  it.each([
    ['id', SELF, 0, 'uid=0(root) gid=0(root) groups=0(root)\n', ''],
    ['id -u', SELF, 0, '0\n', ''],
    ['id -un', SELF, 0, 'root\n', ''],
    ['id -Gn', SELF, 0, 'root\n', ''],
    ['id nobody', SELF, 0, 'uid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup)\n', ''],
    ['id', NOBODY, 0, 'uid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup)\n', ''],
    ['id', NAMELESS, 0, 'uid=4242 gid=4242 groups=4242\n', ''],
    ['id nosuch', SELF, 1, '', 'id: ‘nosuch’: no such user\n'],
    ['id -x', SELF, 1, '', "id: invalid option -- 'x'\nTry 'id --help' for more information.\n"],
    ['id -u -g', SELF, 1, '', 'id: cannot print "only" of more than one choice\nTry \'id --help\' for more information.\n'],
    ['whoami', NOBODY, 0, 'nobody\n', ''],
    ['whoami', NAMELESS, 1, '', 'whoami: cannot find name for user ID 4242\n'],
    ['whoami x', SELF, 1, '', "whoami: extra operand ‘x’\nTry 'whoami --help' for more information.\n"],
    ['groups', SELF, 0, 'root\n', ''],
    ['groups nobody root', SELF, 0, 'nobody : nogroup\nroot : root\n', ''],
    ['groups nosuch', SELF, 1, '', 'groups: ‘nosuch’: no such user\n'],
    ['uname', SELF, 0, 'Linux\n', ''],
    ['uname -a', SELF, 0, 'Linux vm 6.18.44-fc-v669 #1 SMP PREEMPT_DYNAMIC @0 x86_64 GNU/Linux\n', ''],
    ['uname -snrvmpio', SELF, 0, 'Linux vm 6.18.44-fc-v669 #1 SMP PREEMPT_DYNAMIC @0 x86_64 unknown unknown GNU/Linux\n', ''],
    ['uname -x', SELF, 1, '', "uname: invalid option -- 'x'\nTry 'uname --help' for more information.\n"],
    ['uname a', SELF, 1, '', "uname: extra operand ‘a’\nTry 'uname --help' for more information.\n"],
    ['hostname', SELF, 0, 'vm\n', ''],
    ['hostname newname', SELF, 1, '', 'hostname: you must be root to change the host name\n'],
    ['hostname newname', NOBODY, 1, '', 'hostname: you must be root to change the host name\n'],
    ['nproc', SELF, 0, '2\n', ''],
    ['nproc --all', SELF, 0, '2\n', ''],
    ['nproc --ignore=1', SELF, 0, '1\n', ''],
    ['nproc --ignore=5', SELF, 0, '1\n', ''],
    ['nproc x', SELF, 1, '', "nproc: extra operand ‘x’\nTry 'nproc --help' for more information.\n"],
  ])('%s (as pid %i)', async (line, self, status, stdout, stderr) => {
    const cmd = COMMANDS[line.split(' ')[0]!]!;
    expect(await runOnHost(cmd, line, hostFileSystem(HOST, { self }))).toEqual({ status, stdout, stderr });
  });

  it('takes the machine from /proc/sys/kernel/arch, and nproc the Cpus_allowed_list', async () => {
    const status = HOST.files[`/proc/${SELF}/status`]!.replace('Cpus_allowed_list:\t0-1', 'Cpus_allowed_list:\t1');
    const host = hostFileSystem(HOST, { self: SELF, files: { '/proc/sys/kernel/arch': 'aarch64\n', [`/proc/${SELF}/status`]: status } });
    expect((await runOnHost(uname, 'uname -m', host)).stdout).toBe('aarch64\n');
    expect((await runOnHost(nproc, 'nproc', host)).stdout).toBe('1\n');
  });

  it('reads supplementary groups from /proc/self/status and names them from /etc/group', async () => {
    const status = HOST.files[`/proc/${SELF}/status`]!.replace('Groups:\t', 'Groups:\t0 4 27 ');
    const result = await runOnHost(id, 'id', hostFileSystem(HOST, { self: SELF, files: { [`/proc/${SELF}/status`]: status } }));
    expect(result.stdout).toBe('uid=0(root) gid=0(root) groups=0(root),4(adm),27(sudo)\n');
  });
});
