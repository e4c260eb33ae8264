/**
 * UserDb — the name service lookups the tools make (getpwuid, getpwnam, getgrgid, getgrnam, getgrouplist)
 * over the host's /etc/passwd and /etc/group, as glibc's `files` source answers them.
 */
import type { FileSystem } from '../../fs.ts';
import { tryRead } from './readproc.ts';

/** One /etc/passwd entry. */
export interface Passwd {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

/** One /etc/group entry. */
export interface Group {
  readonly name: string;
  readonly gid: number;
  readonly members: readonly string[];
}

export class UserDb {
  private constructor(
    private readonly users: readonly Passwd[],
    private readonly groupList: readonly Group[],
  ) {}

  /** Read /etc/passwd and /etc/group (missing files read as empty). */
  static read(fs: FileSystem): UserDb {
    const rows = (path: string) => (tryRead(fs, path) ?? '').split('\n').filter((l) => l !== '' && !l.startsWith('#')).map((l) => l.split(':'));
    const users = rows('/etc/passwd').map((f) => ({ name: f[0] ?? '', uid: Number(f[2]), gid: Number(f[3]) }));
    const groups = rows('/etc/group').map((f) => ({ name: f[0] ?? '', gid: Number(f[2]), members: (f[3] ?? '').split(',').filter((m) => m !== '') }));
    return new UserDb(users, groups);
  }

  /** getpwuid */
  byUid(uid: number): Passwd | undefined {
    return this.users.find((u) => u.uid === uid);
  }

  /** getpwnam */
  byName(name: string): Passwd | undefined {
    return this.users.find((u) => u.name === name);
  }

  /** getgrgid */
  groupByGid(gid: number): Group | undefined {
    return this.groupList.find((g) => g.gid === gid);
  }

  /** getgrnam */
  groupByName(name: string): Group | undefined {
    return this.groupList.find((g) => g.name === name);
  }

  /** A user's name, or the number when it has none. */
  userName(uid: number): string {
    return this.byUid(uid)?.name ?? String(uid);
  }

  /** A group's name, or the number when it has none. */
  groupName(gid: number): string {
    return this.groupByGid(gid)?.name ?? String(gid);
  }

  /** getgrouplist: the primary group first, then every group that lists the user, without repeats. */
  groupsOf(user: Passwd): number[] {
    const out = [user.gid];
    for (const g of this.groupList) if (g.members.includes(user.name) && !out.includes(g.gid)) out.push(g.gid);
    return out;
  }

  /** A uid given as a name or a number (ps -u, pgrep -u): undefined when neither. */
  parseUid(text: string): number | undefined {
    const user = this.byName(text);
    if (user) return user.uid;
    return /^\d+$/.test(text) ? Number(text) : undefined;
  }
}
