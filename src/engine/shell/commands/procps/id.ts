/**
 * id, whoami and groups — GNU coreutils 9.1's, for the caller (the Uid, Gid and Groups of
 * /proc/self/status) or a named user (/etc/passwd and /etc/group): `id [-u|-g|-G] [-n] [-r] [USER]`,
 * `whoami`, `groups [USER]...`. Leaves out SELinux contexts (`-Z`) and `-z`.
 */
import { EXIT, type Command, type CommandContext } from '../../command.ts';
import { getopt } from '../coreutils/getopt.ts';
import { GROUPS_HELP, ID_HELP, WHOAMI_HELP } from './helpTexts.ts';
import { readTask } from './readproc.ts';
import { UserDb } from './userDb.ts';

/** Whose ids a tool reports: real and effective uid and gid, and the group list (effective gid first). */
interface Ids {
  ruid: number;
  euid: number;
  rgid: number;
  egid: number;
  groups: number[];
}

/**
 * The caller's ids, from /proc/self/status. The laptop has no /proc: there the caller is the session's
 * user ($USER) as the user database knows it.
 */
function selfIds(ctx: CommandContext, users: UserDb): Ids {
  const self = readTask(ctx.fs, '/proc/self');
  const login = ctx.env.get('USER');
  if (!self && login !== undefined) {
    const ids = userIds(users, login);
    if (ids) return ids;
  }
  const [ruid, euid] = self?.uids ?? [0, 0];
  const [rgid, egid] = self?.gids ?? [0, 0];
  const groups = [egid];
  for (const g of self?.groups ?? []) if (!groups.includes(g)) groups.push(g);
  return { ruid, euid, rgid, egid, groups };
}

/** A user's ids from the user database, or undefined when there is no such user. */
function userIds(users: UserDb, name: string): Ids | undefined {
  const user = users.byName(name) ?? (/^\d+$/.test(name) ? users.byUid(Number(name)) : undefined);
  if (!user) return undefined;
  return { ruid: user.uid, euid: user.uid, rgid: user.gid, egid: user.gid, groups: users.groupsOf(user) };
}

const named = (id: number, name: string | undefined) => (name === undefined ? String(id) : `${id}(${name})`);

export const id: Command = (ctx) => {
  const opts = getopt(ctx, { flags: 'agGnruz', long: { group: 'g', groups: 'G', name: 'n', real: 'r', user: 'u', zero: 'z', help: 'help', version: 'version' } });
  if (!opts) return EXIT.failure;
  if (opts.has('help')) {
    ctx.stdout(ID_HELP);
    return EXIT.ok;
  }
  if (opts.has('version')) {
    ctx.stdout('id (GNU coreutils) 9.1\n');
    return EXIT.ok;
  }
  const users = UserDb.read(ctx.fs);
  const only = ['u', 'g', 'G'].filter((o) => opts.has(o));
  if (only.length > 1) {
    ctx.stderr("id: cannot print \"only\" of more than one choice\nTry 'id --help' for more information.\n");
    return EXIT.failure;
  }
  if (only.length === 0 && (opts.has('n') || opts.has('r'))) {
    ctx.stderr("id: cannot print only names or real IDs in default format\nTry 'id --help' for more information.\n");
    return EXIT.failure;
  }
  const names = opts.operands.length > 0 ? opts.operands : [undefined];
  let status: number = EXIT.ok;
  for (const name of names) {
    const ids = name === undefined ? selfIds(ctx, users) : userIds(users, name);
    if (!ids) {
      ctx.stderr(`id: ‘${name}’: no such user\n`);
      status = EXIT.failure;
      continue;
    }
    const user = (uid: number) => users.byUid(uid)?.name;
    const group = (gid: number) => users.groupByGid(gid)?.name;
    const show = (value: number, name: string | undefined) => (opts.has('n') ? (name ?? String(value)) : String(value));
    if (opts.has('u')) ctx.stdout(`${show(opts.has('r') ? ids.ruid : ids.euid, user(opts.has('r') ? ids.ruid : ids.euid))}\n`);
    else if (opts.has('g')) ctx.stdout(`${show(opts.has('r') ? ids.rgid : ids.egid, group(opts.has('r') ? ids.rgid : ids.egid))}\n`);
    else if (opts.has('G')) ctx.stdout(`${ids.groups.map((g) => show(g, group(g))).join(' ')}\n`);
    else {
      let line = `uid=${named(ids.ruid, user(ids.ruid))} gid=${named(ids.rgid, group(ids.rgid))}`;
      if (ids.euid !== ids.ruid) line += ` euid=${named(ids.euid, user(ids.euid))}`;
      if (ids.egid !== ids.rgid) line += ` egid=${named(ids.egid, group(ids.egid))}`;
      line += ` groups=${ids.groups.map((g) => named(g, group(g))).join(',')}`;
      ctx.stdout(`${line}\n`);
    }
  }
  return status;
};

export const whoami: Command = (ctx) => {
  const opts = getopt(ctx, { long: { help: 'help', version: 'version' } });
  if (!opts) return EXIT.failure;
  if (opts.has('help')) {
    ctx.stdout(WHOAMI_HELP);
    return EXIT.ok;
  }
  if (opts.has('version')) {
    ctx.stdout('whoami (GNU coreutils) 9.1\n');
    return EXIT.ok;
  }
  if (opts.operands.length > 0) {
    ctx.stderr(`whoami: extra operand ‘${opts.operands[0]}’\nTry 'whoami --help' for more information.\n`);
    return EXIT.failure;
  }
  const users = UserDb.read(ctx.fs);
  const euid = selfIds(ctx, users).euid;
  const name = users.byUid(euid)?.name;
  if (name === undefined) {
    ctx.stderr(`whoami: cannot find name for user ID ${euid}\n`);
    return EXIT.failure;
  }
  ctx.stdout(`${name}\n`);
  return EXIT.ok;
};

export const groups: Command = (ctx) => {
  const opts = getopt(ctx, { long: { help: 'help', version: 'version' } });
  if (!opts) return EXIT.failure;
  if (opts.has('help')) {
    ctx.stdout(GROUPS_HELP);
    return EXIT.ok;
  }
  if (opts.has('version')) {
    ctx.stdout('groups (GNU coreutils) 9.1\n');
    return EXIT.ok;
  }
  const users = UserDb.read(ctx.fs);
  const list = (ids: Ids) => ids.groups.map((g) => users.groupName(g)).join(' ');
  if (opts.operands.length === 0) {
    ctx.stdout(`${list(selfIds(ctx, users))}\n`);
    return EXIT.ok;
  }
  let status: number = EXIT.ok;
  for (const name of opts.operands) {
    const ids = userIds(users, name);
    if (!ids) {
      ctx.stderr(`groups: ‘${name}’: no such user\n`);
      status = EXIT.failure;
      continue;
    }
    ctx.stdout(`${name} : ${list(ids)}\n`);
  }
  return status;
};
