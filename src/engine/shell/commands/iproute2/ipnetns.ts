/**
 * `ip netns` (ip/ipnetns.c): list, add, delete and exec of named network namespaces, each an nsfs file
 * bound on /run/netns/NAME. `add` makes /run/netns a shared mount (binding it onto itself first), creates
 * the file, unshares a new network namespace, binds it there and goes back to its own; `exec` enters the
 * namespace and a new mount namespace with /sys remounted (so /sys/class/net shows the namespace's
 * devices), then execs the command in place.
 *
 * Left out: `identify`, `pids`, `monitor`, `set`/nsids (`list` prints no "(id: N)"), `attach`,
 * `delete -all`, `exec -all`, and /etc/netns/NAME binds.
 */
import { KernelError } from '../../../kernel/errno.ts';
import { MS_BIND, MS_REC, MS_SHARED, MS_SLAVE } from '../../../kernel/fs/mountTable.ts';
import { O_CREAT, O_EXCL, O_RDONLY } from '../../../kernel/fs/vfs.ts';
import { CLONE_NEWNET, CLONE_NEWNS } from '../../../kernel/ns/cloneFlags.ts';
import { Pipe } from '../../../kernel/process/stdio.ts';
import { IP_EXIT, fail, matches, type IpContext } from './ipContext.ts';
import { bindNamespace, namespaceOf } from '../../../kernel/ns/nsfs.ts';

/** NETNS_RUN_DIR. */
export const NETNS_RUN_DIR = '/run/netns';

/** `ip netns ARGS…`. */
export function ipNetns(ip: IpContext, args: readonly string[]): number | Promise<number> {
  const [cmd, ...rest] = args;
  if (cmd === undefined || matches(cmd, 'list')) return list(ip);
  if (matches(cmd, 'add')) return add(ip, rest[0]);
  if (matches(cmd, 'delete')) return remove(ip, rest[0]);
  if (matches(cmd, 'exec')) return exec(ip, rest);
  return fail(ip, `Command "${cmd}" is unknown, try "ip netns help".`, IP_EXIT.fatal);
}

function list(ip: IpContext): number {
  try {
    for (const entry of ip.caller.vfs.readdir(NETNS_RUN_DIR)) ip.ctx.stdout(`${entry.name}\n`);
  } catch (error) {
    if (!(error instanceof KernelError)) throw error;
  }
  return IP_EXIT.ok;
}

/** is_valid_netns_name. */
function validName(name: string): boolean {
  return name.length > 0 && name.length < 256 && !name.includes('/') && name !== '.' && name !== '..';
}

function add(ip: IpContext, name: string | undefined): number {
  if (name === undefined) return fail(ip, 'No netns name specified');
  if (!validName(name)) return fail(ip, `Invalid netns name "${name}"`);
  const { host, process, vfs } = ip.caller;
  const path = `${NETNS_RUN_DIR}/${name}`;
  const attempt = (message: string, call: () => void): string | undefined => {
    try {
      call();
      return undefined;
    } catch (error) {
      if (!(error instanceof KernelError)) throw error;
      return `${message}: ${error.describe}`;
    }
  };
  const mkdirFailure = attempt(`mkdir ${NETNS_RUN_DIR} failed`, () => {
    try {
      vfs.mkdir(NETNS_RUN_DIR, 0o755);
    } catch (error) {
      if (!(error instanceof KernelError) || error.code !== 'EEXIST') throw error;
    }
  });
  if (mkdirFailure) return fail(ip, mkdirFailure);
  const sharedFailure = attempt(`mount --make-shared ${NETNS_RUN_DIR} failed`, () => {
    try {
      vfs.mount('', NETNS_RUN_DIR, 'none', MS_SHARED | MS_REC);
    } catch (error) {
      if (!(error instanceof KernelError) || error.code !== 'EINVAL') throw error;
      vfs.mount(NETNS_RUN_DIR, NETNS_RUN_DIR, 'none', MS_BIND | MS_REC);
      vfs.mount('', NETNS_RUN_DIR, 'none', MS_SHARED | MS_REC);
    }
  });
  if (sharedFailure) return fail(ip, sharedFailure);
  const createFailure = attempt(`Cannot create namespace file "${path}"`, () => vfs.open(path, O_RDONLY | O_CREAT | O_EXCL, 0));
  if (createFailure) return fail(ip, createFailure);
  const saved = process.nsproxy!.net.get();
  try {
    const unshareFailure = attempt(`Failed to create a new network namespace "${name}"`, () => host.table.unshare(process, CLONE_NEWNET));
    const bindFailure = unshareFailure ?? attempt(`Bind /proc/self/ns/net -> ${path} failed`, () => bindNamespace(ip.caller, process.nsproxy!.net, path));
    if (process.nsproxy!.net !== saved) host.table.setns(process, saved, CLONE_NEWNET);
    if (bindFailure) {
      attempt('unlink', () => vfs.unlink(path));
      return fail(ip, bindFailure);
    }
  } finally {
    saved.put();
  }
  return IP_EXIT.ok;
}

function remove(ip: IpContext, name: string | undefined): number {
  if (name === undefined) return fail(ip, 'No netns name specified');
  const { host, vfs } = ip.caller;
  const path = `${NETNS_RUN_DIR}/${name}`;
  try {
    const ns = namespaceOf(host, vfs.resolve(path).inode);
    vfs.umount(path, { detach: true });
    ns?.put();
  } catch (error) {
    if (!(error instanceof KernelError)) throw error;
  }
  try {
    vfs.unlink(path);
  } catch (error) {
    if (!(error instanceof KernelError)) throw error;
    return fail(ip, `Cannot remove namespace file "${path}": ${error.describe}`);
  }
  return IP_EXIT.ok;
}

/** netns_switch, then cmd_exec: the command replaces ip, which never returns once it runs. */
function exec(ip: IpContext, args: readonly string[]): number | Promise<number> {
  const [name, ...argv] = args;
  if (name === undefined) return fail(ip, 'No netns name specified');
  if (argv.length === 0) return fail(ip, 'No command specified');
  const { host, process, vfs } = ip.caller;
  const step = (message: string, call: () => void): string | undefined => {
    try {
      call();
      return undefined;
    } catch (error) {
      if (!(error instanceof KernelError)) throw error;
      return `${message}: ${error.describe}`;
    }
  };
  let failure = step(`Cannot open network namespace "${name}"`, () => vfs.resolve(`${NETNS_RUN_DIR}/${name}`));
  failure ??= step(`setting the network namespace "${name}" failed`, () => {
    const ns = namespaceOf(host, vfs.resolve(`${NETNS_RUN_DIR}/${name}`).inode);
    if (!ns) throw new KernelError('EINVAL');
    host.table.setns(process, ns, CLONE_NEWNET);
  });
  failure ??= step('unshare failed', () => host.table.unshare(process, CLONE_NEWNS));
  const mounts = host.vfsFor(process);
  failure ??= step('"mount --make-rslave /" failed', () => mounts.mount('', '/', 'none', MS_SLAVE | MS_REC));
  if (failure === undefined) {
    step('umount /sys', () => mounts.umount('/sys', { detach: true }));
    failure = step('mount of /sys failed', () => mounts.mount(name, '/sys', 'sysfs'));
  }
  if (failure !== undefined) return fail(ip, failure, IP_EXIT.fatal);

  const env = [...ip.ctx.env].map(([key, value]) => `${key}=${value}`);
  const stdin = new Pipe();
  stdin.sink.write(ip.ctx.stdin);
  stdin.close();
  process.stdio = { ...process.stdio, stdin: stdin.source };
  try {
    host.execve(process, host.lookPath(mounts, argv[0]!, env), argv, env);
  } catch (error) {
    if (!(error instanceof KernelError)) throw error;
    return fail(ip, `exec of "${argv[0]!}" failed: ${error.describe}`);
  }
  return new Promise<number>(() => undefined);
}
