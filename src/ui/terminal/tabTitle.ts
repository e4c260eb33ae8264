/**
 * A terminal tab's title: where its keys go now. The engine's session record says who the shell is
 * (`student@laptop`, `root@worker-1`) and, while a command holds the terminal, what it attached it to
 * (`attached`): `ssh worker-1` makes it `root@worker-1`, `kubectl exec -it web-7d9c… -c nginx -- sh`
 * `web-7d9c…:nginx`, `docker exec -it web sh` `web`. Before the record arrives, the host asked for.
 */
import type { SessionRecord } from '../../engine/cluster/lab.ts';

/** A docker container ID as docker prints it (its first 12 hex digits); any other name as is. */
function shortName(name: string): string {
  return /^[0-9a-f]{64}$/.test(name) ? name.slice(0, 12) : name;
}

export function tabTitle(record: Pick<SessionRecord, 'user' | 'host' | 'attached'> | undefined, fallback: string): string {
  if (!record) return fallback;
  const target = record.attached;
  if (!target) return `${record.user}@${record.host}`;
  if (target.kind === 'ssh') return `${target.user ?? 'root'}@${target.name}`;
  return target.container ? `${shortName(target.name)}:${target.container}` : shortName(target.name);
}
