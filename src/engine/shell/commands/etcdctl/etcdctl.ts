/**
 * etcdctl — etcd 3.5's command-line client (etcdctl/ctlv3), v3 API only, talking to the lab's Etcd member
 * held in the factory's closure.
 *
 * Commands: get (--prefix, --from-key, --keys-only, --count-only, --print-value-only, --rev, --limit,
 * --order, --sort-by), put (--lease, --prev-kv; the value from stdin when only the key is given), del
 * (--prefix, --from-key, --prev-kv), watch (--prefix, --rev, --prev-kv; runs until Ctrl-C), lease
 * grant|revoke|timetolive [--keys]|list|keep-alive [--once], endpoint status, snapshot save|status|
 * restore, compaction, version, txn (compares, success and failure requests read from stdin, as
 * `etcdctl txn` reads them without --interactive; the result printed in the simple format). Output formats with -w/--write-out: simple, json, fields and table, where
 * etcdctl offers each; errors as etcdctl prints them ("Error: …") with its exit codes (1 for a failed
 * request, 128 for bad arguments, 4 for an unsupported output format, 5 for a watch the server ended).
 * TLS and endpoint flags (--endpoints, --cacert, --cert, --key…) are accepted as kubeadm's docs use them;
 * --endpoints only names the endpoint in `endpoint status` output.
 *
 * Differences a student may notice: real Kubernetes stores protobuf in etcd; the lab stores JSON, so
 * `etcdctl get /registry/pods/default/web` prints readable JSON (on purpose). The shell has no file
 * system yet, so `snapshot save FILE` keeps the snapshot in a Map owned by this factory, keyed by path,
 * where `snapshot status|restore FILE` find it; `snapshot restore` builds a new member from it and hands
 * it to `onRestore` (the lab decides whether the cluster switches to it). Left out: txn --interactive and its
 * json/fields output, lock, elect,
 * member, alarm, auth/user/role, defrag, endpoint health/hashkv, make-mirror, --hex and protobuf output.
 */
import { encodeBase64Text } from '../../../base/base64.ts';
import { formatDate } from '../date.ts';
import { EXIT, type Command, type CommandContext } from '../../command.ts';
import { Etcd, EtcdError, SnapshotError, VERSION, snapshotStatus, type Compare, type KeyValue, type Op, type ResponseHeader, type Snapshot, type SortOrder, type SortTarget, type WatchResponse } from '../../../etcd/index.ts';
import { goJson, goQuote, headerFields, headerJson, humanizeBytes, kvFields, kvJson, omitEmpty, table, type GoJson } from './printer.ts';

export interface EtcdctlOptions {
  /** Where `snapshot save` keeps files, by path (shared with whoever else reads them). */
  snapshots?: Map<string, Snapshot>;
  /** Called after `snapshot restore` with the data dir and the member restored into it. */
  onRestore?: (dataDir: string, restored: Etcd) => void;
}

/** etcdctl's exit codes (pkg/cobrautl). */
const EXIT_ERROR = 1;
const EXIT_BAD_CONNECTION = 2;
const EXIT_INVALID_INPUT = 3;
const EXIT_BAD_FEATURE = 4;
const EXIT_INTERRUPTED = 5;
const EXIT_BAD_ARGS = 128;

type FlagType = 'bool' | 'string' | 'int';
type Flags = Record<string, FlagType>;

const GLOBAL_FLAGS: Flags = {
  endpoints: 'string',
  cacert: 'string',
  cert: 'string',
  key: 'string',
  user: 'string',
  password: 'string',
  'dial-timeout': 'string',
  'command-timeout': 'string',
  'keepalive-time': 'string',
  'keepalive-timeout': 'string',
  'discovery-srv': 'string',
  'insecure-skip-tls-verify': 'bool',
  'insecure-transport': 'bool',
  'insecure-discovery': 'bool',
  debug: 'bool',
  'write-out': 'string',
  help: 'bool',
};

const SHORT_FLAGS: Record<string, string> = { w: 'write-out', d: 'discovery-srv', h: 'help' };

const COMMAND_FLAGS: Record<string, Flags> = {
  get: { consistency: 'string', order: 'string', 'sort-by': 'string', limit: 'int', 'max-bytes': 'int', prefix: 'bool', 'from-key': 'bool', rev: 'int', 'keys-only': 'bool', 'count-only': 'bool', 'print-value-only': 'bool' },
  put: { lease: 'string', 'prev-kv': 'bool' },
  del: { prefix: 'bool', 'prev-kv': 'bool', 'from-key': 'bool' },
  watch: { prefix: 'bool', rev: 'int', 'prev-kv': 'bool', 'progress-notify': 'bool' },
  'lease grant': {},
  'lease revoke': {},
  'lease timetolive': { keys: 'bool' },
  'lease list': {},
  'lease keep-alive': { once: 'bool' },
  'endpoint status': { cluster: 'bool' },
  'snapshot save': {},
  'snapshot status': {},
  'snapshot restore': { 'data-dir': 'string', 'wal-dir': 'string', name: 'string', 'initial-cluster': 'string', 'initial-cluster-token': 'string', 'initial-advertise-peer-urls': 'string', 'skip-hash-check': 'bool' },
  compaction: { physical: 'bool' },
  txn: { interactive: 'bool' },
  version: {},
};

const GROUPS = new Set(['lease', 'endpoint', 'snapshot']);

const ALL_FLAGS: Flags = Object.assign({}, GLOBAL_FLAGS, ...Object.values(COMMAND_FLAGS));

/** A failure etcdctl reports as "Error: <message>" before exiting with `code`. */
class Exit extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

interface Parsed {
  args: string[];
  flags: Map<string, string>;
}

interface Run {
  ctx: CommandContext;
  etcd: Etcd;
  args: string[];
  flags: Map<string, string>;
  format: 'simple' | 'json' | 'fields' | 'table';
  out: (text: string) => void;
}

export function etcdctl(etcd: Etcd | (() => Etcd), options: EtcdctlOptions = {}): Command {
  const member = typeof etcd === 'function' ? etcd : () => etcd;
  const snapshots = options.snapshots ?? new Map<string, Snapshot>();
  const dataDirs = new Set<string>();

  const handlers: Record<string, (run: Run) => number | Promise<number>> = {
    get,
    put,
    del,
    watch,
    'lease grant': leaseGrant,
    'lease revoke': leaseRevoke,
    'lease timetolive': leaseTimeToLive,
    'lease list': leaseList,
    'lease keep-alive': leaseKeepAlive,
    'endpoint status': endpointStatus,
    'snapshot save': (run) => snapshotSave(run, snapshots),
    'snapshot status': (run) => snapshotStatusCommand(run, snapshots),
    'snapshot restore': (run) => snapshotRestore(run, snapshots, dataDirs, options.onRestore),
    compaction,
    txn,
    version: (run) => {
      run.out(`etcdctl version: ${VERSION}\nAPI version: 3.5\n`);
      return EXIT.ok;
    },
  };

  return async (ctx) => {
    try {
      const parsed = parseArgs(ctx.argv.slice(1));
      let name = parsed.args[0];
      let args = parsed.args.slice(1);
      if (name !== undefined && GROUPS.has(name)) {
        const sub = args[0];
        if (sub === undefined || !handlers[`${name} ${sub}`]) {
          ctx.stdout(groupHelp(name));
          return EXIT.ok;
        }
        name = `${name} ${sub}`;
        args = args.slice(1);
      }
      if (name === undefined || name === 'help' || parsed.flags.has('help')) {
        ctx.stdout(HELP);
        return EXIT.ok;
      }
      const handler = handlers[name];
      if (!handler) {
        ctx.stderr(`Error: unknown command "${name}" for "etcdctl"\nRun 'etcdctl --help' for usage.\n`);
        return EXIT_ERROR;
      }
      for (const flag of parsed.flags.keys()) {
        if (!(flag in GLOBAL_FLAGS) && !(flag in COMMAND_FLAGS[name]!)) throw new Exit(EXIT_ERROR, `unknown flag: --${flag}`);
      }
      const format = parsed.flags.get('write-out') ?? 'simple';
      if (format !== 'simple' && format !== 'json' && format !== 'fields' && format !== 'table') throw new Exit(EXIT_BAD_FEATURE, 'unsupported output format');
      return await handler({ ctx, etcd: member(), args, flags: parsed.flags, format, out: (t) => ctx.stdout(t) });
    } catch (e) {
      if (e instanceof Exit || e instanceof EtcdError || e instanceof SnapshotError) {
        ctx.stderr(`Error: ${e.message}\n`);
        return e instanceof Exit ? e.code : EXIT_ERROR;
      }
      throw e;
    }
  };
}

// —— commands ——

function get(run: Run): number {
  const { args, flags } = run;
  if (args.length === 0) throw new Exit(EXIT_BAD_ARGS, 'get command needs one argument as key and an optional argument as range_end');
  const prefix = bool(flags, 'prefix');
  const fromKey = bool(flags, 'from-key');
  if (prefix && fromKey) throw new Exit(EXIT_BAD_ARGS, '`--prefix` and `--from-key` cannot be set at the same time, choose one');
  const keysOnly = bool(flags, 'keys-only');
  const countOnly = bool(flags, 'count-only');
  if (keysOnly && countOnly) throw new Exit(EXIT_BAD_ARGS, '`--keys-only` and `--count-only` cannot be set at the same time, choose one');
  const consistency = flags.get('consistency') ?? 'l';
  if (consistency !== 'l' && consistency !== 's') throw new Exit(EXIT_BAD_FEATURE, `unknown consistency flag ${JSON.stringify(consistency)}`);
  let key = args[0]!;
  let rangeEnd: string | undefined;
  if (args.length > 1) {
    if (prefix || fromKey) throw new Exit(EXIT_BAD_ARGS, 'too many arguments, only accept one argument when `--prefix` or `--from-key` is set');
    rangeEnd = args[1];
  }
  const order = (flags.get('order') ?? '').toUpperCase();
  if (order !== '' && order !== 'ASCEND' && order !== 'DESCEND') throw new Exit(EXIT_BAD_FEATURE, `bad sort order ${flags.get('order')}`);
  const target = (flags.get('sort-by') ?? '').toUpperCase();
  const targets: Record<string, SortTarget> = { '': 'KEY', CREATE: 'CREATE', KEY: 'KEY', MODIFY: 'MOD', VALUE: 'VALUE', VERSION: 'VERSION' };
  if (!(target in targets)) throw new Exit(EXIT_BAD_FEATURE, `bad sort target ${flags.get('sort-by')}`);
  if ((prefix || fromKey) && key === '') {
    key = '\0';
    rangeEnd = '\0';
  } else if (fromKey) rangeEnd = '\0';
  const r = run.etcd.range(key, {
    rangeEnd,
    prefix: prefix && key !== '\0',
    limit: int(flags, 'limit'),
    revision: int(flags, 'rev'),
    keysOnly,
    countOnly,
    sortOrder: (order || 'NONE') as SortOrder,
    sortTarget: targets[target],
  });
  if (countOnly && run.format !== 'fields') throw new Exit(EXIT_BAD_ARGS, '--count-only is only for `--write-out=fields`');
  const valueOnly = bool(flags, 'print-value-only');
  if (valueOnly && run.format !== 'simple') throw new Exit(EXIT_BAD_ARGS, 'print-value-only is only for `--write-out=simple`');
  switch (run.format) {
    case 'simple':
      run.out(r.kvs.map((kv) => simpleKv(kv, valueOnly)).join(''));
      break;
    case 'json':
      run.out(goJson({ header: headerJson(r.header), kvs: omitEmpty(r.kvs.map(kvJson)), more: omitEmpty(r.more), count: omitEmpty(r.count) }) + '\n');
      break;
    case 'fields':
      run.out(headerFields(r.header) + r.kvs.map((kv) => kvFields('', kv)).join('') + `"More" : ${r.more}\n"Count" : ${r.count}\n`);
      break;
    case 'table':
      throw unsupported('table');
  }
  return EXIT.ok;
}

function put(run: Run): number {
  const { args, flags, ctx } = run;
  const usage = 'put command needs 1 argument and input from stdin or 2 arguments';
  if (args.length === 0) throw new Exit(EXIT_BAD_ARGS, usage);
  const value = args.length > 1 ? args[1]! : ctx.stdin;
  if (args.length === 1 && ctx.stdin === '') throw new Exit(EXIT_BAD_ARGS, usage);
  const leaseText = flags.get('lease') ?? '0';
  const lease = parseHex(leaseText);
  if (lease === undefined) throw new Exit(EXIT_BAD_ARGS, `bad lease ID (${parseIntError(leaseText)}), expecting ID in Hex`);
  const r = run.etcd.put(args[0]!, value, { lease, prevKv: bool(flags, 'prev-kv') });
  switch (run.format) {
    case 'simple':
      run.out('OK\n' + (r.prevKv ? simpleKv(r.prevKv) : ''));
      break;
    case 'json':
      run.out(goJson({ header: headerJson(r.header), prev_kv: r.prevKv ? kvJson(r.prevKv) : undefined }) + '\n');
      break;
    case 'fields':
      run.out(headerFields(r.header) + (r.prevKv ? kvFields('Prev', r.prevKv) : ''));
      break;
    case 'table':
      throw unsupported('table');
  }
  return EXIT.ok;
}

/**
 * `etcdctl txn`: stdin holds the compares (`mod("k") = "5"`, `value("k") != "x"`; targets ver|version,
 * c|create, m|mod, val|value, lease), a blank line, the success requests, a blank line, the failure
 * requests — each a get, put or del line as on the command line. Prints SUCCESS or FAILURE, then each
 * response of the branch that ran after a blank line.
 */
function txn(run: Run): number {
  const { args, flags, ctx } = run;
  if (args.length > 0) throw new Exit(EXIT_BAD_ARGS, 'txn command does not accept argument');
  if (bool(flags, 'interactive')) throw new Exit(EXIT_BAD_FEATURE, "the lab's etcdctl reads txn from stdin only: --interactive is not supported");
  if (run.format !== 'simple') throw new Exit(EXIT_BAD_FEATURE, `the lab's etcdctl prints txn results in the simple format only, not ${run.format}`);
  const lines = ctx.stdin.split('\n');
  let at = 0;
  /** The next lines up to a blank one (or the end of stdin). */
  const section = (): string[] => {
    const out: string[] = [];
    for (; at < lines.length; at++) {
      const line = lines[at]!.trim();
      if (line === '') {
        at++;
        break;
      }
      out.push(line);
    }
    return out;
  };
  const compare = section().map(parseCompare);
  const success = section().map(parseTxnOp);
  const failure = section().map(parseTxnOp);
  const r = run.etcd.txn({ compare, success, failure });
  let text = r.succeeded ? 'SUCCESS\n' : 'FAILURE\n';
  for (const response of r.responses) {
    text += '\n';
    if (response.type === 'put') text += 'OK\n' + (response.prevKv ? simpleKv(response.prevKv) : '');
    else if (response.type === 'deleteRange') text += `${response.deleted}\n` + response.prevKvs.map((kv) => simpleKv(kv)).join('');
    else text += response.kvs.map((kv) => simpleKv(kv)).join('');
  }
  run.out(text);
  return EXIT.ok;
}

const COMPARE_TARGETS: Record<string, Compare['target']> = { ver: 'VERSION', version: 'VERSION', c: 'CREATE', create: 'CREATE', m: 'MOD', mod: 'MOD', val: 'VALUE', value: 'VALUE', lease: 'LEASE' };

/** One compare line of a txn: `target("key") op "value"` (etcdctl's ParseCompare). */
function parseCompare(line: string): Compare {
  const m = /^([^(]*)\("((?:[^"\\]|\\.)*)"\)\s+(\S+)\s+"((?:[^"\\]|\\.)*)"$/.exec(line);
  if (!m) throw new Exit(EXIT_INVALID_INPUT, `malformed comparison: ${line}`);
  const [, name = '', rawKey = '', op = '', rawValue = ''] = m;
  const target = COMPARE_TARGETS[name];
  if (!target) throw new Exit(EXIT_INVALID_INPUT, `malformed comparison: ${line} (unknown target ${name})`);
  if (op !== '=' && op !== '!=' && op !== '<' && op !== '>') throw new Exit(EXIT_INVALID_INPUT, `invalid txn compare request: ${line}`);
  const key = JSON.parse(`"${rawKey}"`) as string;
  const text = JSON.parse(`"${rawValue}"`) as string;
  let value: number | string | bigint = text;
  if (target === 'LEASE') {
    const lease = parseHex(text);
    if (lease === undefined) throw new Exit(EXIT_INVALID_INPUT, `invalid txn compare request: ${line}`);
    value = lease;
  } else if (target !== 'VALUE') {
    if (!/^[+-]?\d+$/.test(text)) throw new Exit(EXIT_INVALID_INPUT, `invalid txn compare request: ${line}`);
    value = Number(text);
  }
  return { key, target, result: op, value };
}

/** Split a request line into words as etcdctl's Argify does: spaces, 'single' and "double" quotes. */
function argify(line: string): string[] {
  return (line.match(/"(?:[^"\\]|\\.)*"|'[^']*'|[^'"\s]\S*/g) ?? []).map((word) => {
    if (word.startsWith("'")) return word.slice(1, -1);
    if (word.startsWith('"')) return JSON.parse(word) as string;
    return word;
  });
}

/** One get, put or del line of a txn's success or failure requests. */
function parseTxnOp(line: string): Op {
  const words = argify(line);
  const invalid = () => new Exit(EXIT_INVALID_INPUT, `invalid txn request: ${line}`);
  if (words.length < 2) throw new Exit(EXIT_INVALID_INPUT, `invalid txn compare request: ${line}`);
  let parsed: Parsed;
  try {
    parsed = parseArgs(words.slice(1));
  } catch {
    throw invalid();
  }
  const { args, flags } = parsed;
  const command = words[0]!;
  const allowed = command === 'put' || command === 'get' || command === 'del' ? COMMAND_FLAGS[command]! : {};
  for (const flag of flags.keys()) if (!(flag in allowed)) throw invalid();
  const key = args[0];
  if (key === undefined) throw invalid();
  const prefix = bool(flags, 'prefix');
  const rangeEnd = bool(flags, 'from-key') ? '\0' : args[1];
  switch (command) {
    case 'put': {
      if (args.length !== 2) throw invalid();
      const lease = parseHex(flags.get('lease') ?? '0');
      if (lease === undefined) throw invalid();
      return { type: 'put', key, value: args[1]!, options: { lease, prevKv: bool(flags, 'prev-kv') } };
    }
    case 'get':
      if (args.length > 2) throw invalid();
      return { type: 'range', key, options: { rangeEnd, prefix, limit: int(flags, 'limit'), revision: int(flags, 'rev'), keysOnly: bool(flags, 'keys-only') } };
    case 'del':
      if (args.length > 2) throw invalid();
      return { type: 'deleteRange', key, options: { rangeEnd, prefix, prevKv: bool(flags, 'prev-kv') } };
    default:
      throw invalid();
  }
}

function del(run: Run): number {
  const { args, flags } = run;
  if (args.length === 0) throw new Exit(EXIT_BAD_ARGS, 'del command needs one argument as key and an optional argument as range_end');
  const prefix = bool(flags, 'prefix');
  const fromKey = bool(flags, 'from-key');
  if (prefix && fromKey) throw new Exit(EXIT_BAD_ARGS, '`--prefix` and `--from-key` cannot be set at the same time, choose one');
  let key = args[0]!;
  let rangeEnd = args[1];
  if (rangeEnd !== undefined && (prefix || fromKey)) throw new Exit(EXIT_BAD_ARGS, 'too many arguments, only accept one argument when `--prefix` or `--from-key` is set');
  if ((prefix || fromKey) && key === '') {
    key = '\0';
    rangeEnd = '\0';
  } else if (fromKey) rangeEnd = '\0';
  const r = run.etcd.deleteRange(key, { rangeEnd, prefix: prefix && key !== '\0', prevKv: bool(flags, 'prev-kv') });
  switch (run.format) {
    case 'simple':
      run.out(`${r.deleted}\n` + r.prevKvs.map((kv) => simpleKv(kv)).join(''));
      break;
    case 'json':
      run.out(goJson({ header: headerJson(r.header), deleted: omitEmpty(r.deleted), prev_kvs: omitEmpty(r.prevKvs.map(kvJson)) }) + '\n');
      break;
    case 'fields':
      run.out(headerFields(r.header) + `"Deleted" : ${r.deleted}\n` + r.prevKvs.map((kv) => kvFields('Prev', kv)).join(''));
      break;
    case 'table':
      throw unsupported('table');
  }
  return EXIT.ok;
}

async function watch(run: Run): Promise<number> {
  const { args, flags, ctx } = run;
  if (args.length === 0 || args.length > 2) throw new Exit(EXIT_BAD_ARGS, 'bad number of arguments');
  const prefix = bool(flags, 'prefix');
  if (prefix && args.length > 1) throw new Exit(EXIT_BAD_ARGS, 'bad number of arguments');
  if (run.format === 'table') throw unsupported('table');
  const print = (r: WatchResponse) => run.out(watchOutput(run.format, r));
  let w: { cancel(): void };
  try {
    w = run.etcd.watch(args[0]!, { prefix, rangeEnd: args[1], startRevision: int(flags, 'rev'), prevKv: bool(flags, 'prev-kv'), watcher: 'etcdctl watch' }, print);
  } catch (e) {
    if (!(e instanceof EtcdError)) throw e;
    ctx.stderr(`watch was canceled (${e.message})\n`);
    throw new Exit(EXIT_INTERRUPTED, 'watch is canceled by the server');
  }
  await interrupted(ctx);
  w.cancel();
  return EXIT.interrupted;
}

function leaseGrant(run: Run): number {
  if (run.args.length !== 1) throw new Exit(EXIT_BAD_ARGS, 'lease grant command needs TTL argument');
  const text = run.args[0]!;
  if (!/^[+-]?\d+$/.test(text)) throw new Exit(EXIT_BAD_ARGS, `bad TTL (${parseIntError(text)})`);
  let r;
  try {
    r = run.etcd.leaseGrant(Number(text));
  } catch (e) {
    if (e instanceof EtcdError) throw new Exit(EXIT_ERROR, `failed to grant lease (${e.message})`);
    throw e;
  }
  switch (run.format) {
    case 'simple':
      run.out(`lease ${hex16(r.id)} granted with TTL(${r.ttl}s)\n`);
      break;
    case 'json':
      run.out(goJson({ ...flatHeader(r.header), ID: r.id, TTL: r.ttl, Error: '' }) + '\n');
      break;
    case 'fields':
      run.out(headerFields(r.header) + `"ID" : ${r.id}\n"TTL" : ${r.ttl}\n`);
      break;
    case 'table':
      throw unsupported('table');
  }
  return EXIT.ok;
}

function leaseRevoke(run: Run): number {
  if (run.args.length !== 1) throw new Exit(EXIT_BAD_ARGS, 'lease revoke command needs 1 argument');
  const id = leaseArg(run.args[0]!);
  let r;
  try {
    r = run.etcd.leaseRevoke(id);
  } catch (e) {
    if (e instanceof EtcdError) throw new Exit(EXIT_ERROR, `failed to revoke lease (${e.message})`);
    throw e;
  }
  printHeaderOnly(run, r.header, `lease ${hex16(id)} revoked\n`);
  return EXIT.ok;
}

function leaseTimeToLive(run: Run): number {
  if (run.args.length !== 1) throw new Exit(EXIT_BAD_ARGS, 'lease timetolive command needs lease ID as argument');
  const keys = bool(run.flags, 'keys');
  const r = run.etcd.leaseTimeToLive(leaseArg(run.args[0]!), { keys });
  // For a lease that is gone the server answers with an empty header.
  const header: ResponseHeader = r.ttl === -1 ? { clusterId: 0n, memberId: 0n, revision: 0, raftTerm: 0 } : r.header;
  switch (run.format) {
    case 'simple':
      if (r.grantedTtl === 0 && r.ttl === -1) run.out(`lease ${hex16(r.id)} already expired\n`);
      else run.out(`lease ${hex16(r.id)} granted with TTL(${r.grantedTtl}s), remaining(${r.ttl}s)${keys ? `, attached keys([${r.keys.join(' ')}])` : ''}\n`);
      break;
    case 'json':
      run.out(goJson({ ...flatHeader(header), id: r.id, ttl: r.ttl, 'granted-ttl': r.grantedTtl, keys: r.keys.length > 0 ? r.keys.map(encodeBase64Text) : null }) + '\n');
      break;
    case 'fields':
      run.out(headerFields(header) + `"ID" : ${r.id}\n"TTL" : ${r.ttl}\n"GrantedTTL" : ${r.grantedTtl}\n` + r.keys.map((k) => `"Key" : ${goQuote(k)}\n`).join(''));
      break;
    case 'table':
      throw unsupported('table');
  }
  return EXIT.ok;
}

function leaseList(run: Run): number {
  const r = run.etcd.leaseLeases();
  switch (run.format) {
    case 'simple':
      run.out(`found ${r.leases.length} leases\n` + r.leases.map((id) => hex16(id) + '\n').join(''));
      break;
    case 'json':
      run.out(goJson({ ...flatHeader(r.header), leases: r.leases.map((id) => ({ id })) }) + '\n');
      break;
    case 'fields':
      run.out(headerFields(r.header) + r.leases.map((id) => `"ID" : ${id}\n`).join(''));
      break;
    case 'table':
      throw unsupported('table');
  }
  return EXIT.ok;
}

/** Renews every TTL/3 seconds, as clientv3's keep-alive loop does, until Ctrl-C or the lease is gone. */
async function leaseKeepAlive(run: Run): Promise<number> {
  if (run.args.length !== 1) throw new Exit(EXIT_BAD_ARGS, 'lease keep-alive command needs lease ID as argument');
  if (run.format === 'table') throw unsupported('table');
  const id = leaseArg(run.args[0]!);
  const once = bool(run.flags, 'once');
  for (;;) {
    let r;
    try {
      r = run.etcd.leaseKeepAlive(id);
    } catch (e) {
      if (!(e instanceof EtcdError)) throw e;
      if (once) throw new Exit(EXIT_BAD_CONNECTION, e.message);
      run.out(`lease ${hex16(id)} expired or revoked.\n`);
      return EXIT.ok;
    }
    if (run.format === 'simple') run.out(`lease ${hex16(r.id)} keepalived with TTL(${r.ttl})\n`);
    else if (run.format === 'json') run.out(goJson({ ...flatHeader(r.header), ID: r.id, TTL: r.ttl }) + '\n');
    else run.out(headerFields(r.header) + `"ID" : ${r.id}\n"TTL" : ${r.ttl}\n`);
    if (once) return EXIT.ok;
    const wait = Math.max(500, Math.floor((r.ttl * 1000) / 3));
    if (!(await sleep(run.ctx, wait))) return EXIT.interrupted;
  }
}

function endpointStatus(run: Run): number {
  const endpoints = (run.flags.get('endpoints') ?? '127.0.0.1:2379').split(',').filter((e) => e !== '');
  const s = run.etcd.status();
  const rows = endpoints.map((ep) => [
    ep,
    s.header.memberId.toString(16),
    s.version,
    humanizeBytes(s.dbSize),
    String(s.leader === s.header.memberId),
    String(s.isLearner),
    String(s.raftTerm),
    String(s.raftIndex),
    String(s.raftAppliedIndex),
    s.errors.join(', '),
  ]);
  switch (run.format) {
    case 'simple':
      run.out(rows.map((r) => r.join(', ') + '\n').join(''));
      break;
    case 'table':
      run.out(table(['endpoint', 'ID', 'version', 'db size', 'is leader', 'is learner', 'raft term', 'raft index', 'raft applied index', 'errors'], rows));
      break;
    case 'json': {
      const status: GoJson = {
        header: headerJson(s.header),
        version: s.version,
        dbSize: omitEmpty(s.dbSize),
        leader: omitEmpty(s.leader),
        raftIndex: omitEmpty(s.raftIndex),
        raftTerm: omitEmpty(s.raftTerm),
        raftAppliedIndex: omitEmpty(s.raftAppliedIndex),
        errors: omitEmpty(s.errors),
        dbSizeInUse: omitEmpty(s.dbSizeInUse),
        isLearner: omitEmpty(s.isLearner),
      };
      run.out(goJson(endpoints.map((ep) => ({ Endpoint: ep, Status: status }))) + '\n');
      break;
    }
    case 'fields':
      for (const ep of endpoints) {
        run.out(
          headerFields(s.header) +
            `"Version" : ${goQuote(s.version)}\n"DBSize" : ${s.dbSize}\n"Leader" : ${s.leader}\n"IsLearner" : ${s.isLearner}\n` +
            `"RaftIndex" : ${s.raftIndex}\n"RaftTerm" : ${s.raftTerm}\n"RaftAppliedIndex" : ${s.raftAppliedIndex}\n"Errors" : [${s.errors.join(' ')}]\n` +
            `"Endpoint" : ${goQuote(ep)}\n\n`,
        );
      }
      break;
  }
  return EXIT.ok;
}

function snapshotSave(run: Run, snapshots: Map<string, Snapshot>): number {
  if (run.args.length !== 1) throw new Exit(EXIT_BAD_ARGS, 'snapshot save expects one argument');
  const path = run.args[0]!;
  const endpoint = (run.flags.get('endpoints') ?? '127.0.0.1:2379').split(',')[0]!;
  const log = zapLogger(run.ctx);
  log('"caller":"snapshot/v3_snapshot.go:65","msg":"created temporary db file","path":' + JSON.stringify(path + '.part'));
  log('"logger":"client","caller":"v3@v3.5.16/maintenance.go:212","msg":"opened snapshot stream; downloading"');
  log('"caller":"snapshot/v3_snapshot.go:73","msg":"fetching snapshot","endpoint":' + JSON.stringify(endpoint));
  const snapshot = run.etcd.snapshot();
  log('"logger":"client","caller":"v3@v3.5.16/maintenance.go:220","msg":"completed snapshot read; closing"');
  const size = humanizeBytes(snapshotStatus(snapshot).totalSize);
  log('"caller":"snapshot/v3_snapshot.go:88","msg":"fetched snapshot","endpoint":' + JSON.stringify(endpoint) + `,"size":"${size}","took":"now"`);
  snapshots.set(path, snapshot);
  log('"caller":"snapshot/v3_snapshot.go:97","msg":"saved","path":' + JSON.stringify(path));
  run.out(`Snapshot saved at ${path}\n`);
  return EXIT.ok;
}

function snapshotStatusCommand(run: Run, snapshots: Map<string, Snapshot>): number {
  run.ctx.stderr('Deprecated: Use `etcdutl snapshot status` instead.\n\n');
  if (run.args.length !== 1) throw new Exit(EXIT_BAD_ARGS, 'snapshot status requires exactly one argument');
  const s = snapshotStatus(readSnapshot(snapshots, run.args[0]!));
  const row = [s.hash.toString(16), String(s.revision), String(s.totalKey), humanizeBytes(s.totalSize)];
  switch (run.format) {
    case 'simple':
      run.out(row.join(', ') + '\n');
      break;
    case 'table':
      run.out(table(['hash', 'revision', 'total keys', 'total size'], [row]));
      break;
    case 'json':
      run.out(goJson({ hash: s.hash, revision: s.revision, totalKey: s.totalKey, totalSize: s.totalSize }) + '\n');
      break;
    case 'fields':
      run.out(`"Hash" : ${s.hash}\n"Revision" : ${s.revision}\n"Keys" : ${s.totalKey}\n"Size" : ${s.totalSize}\n`);
      break;
  }
  return EXIT.ok;
}

function snapshotRestore(run: Run, snapshots: Map<string, Snapshot>, dataDirs: Set<string>, onRestore: EtcdctlOptions['onRestore']): number {
  run.ctx.stderr('Deprecated: Use `etcdutl snapshot restore` instead.\n\n');
  if (run.args.length !== 1) throw new Exit(EXIT_BAD_ARGS, 'snapshot restore requires exactly one argument');
  const path = run.args[0]!;
  const name = run.flags.get('name') ?? 'default';
  const dataDir = run.flags.get('data-dir') ?? `${name}.etcd`;
  const walDir = run.flags.get('wal-dir') ?? `${dataDir}/member/wal`;
  const snapshot = readSnapshot(snapshots, path);
  if (dataDirs.has(dataDir)) throw new Exit(EXIT_ERROR, `data-dir ${JSON.stringify(dataDir)} exists`);
  const dirs = `"path":${JSON.stringify(path)},"wal-dir":${JSON.stringify(walDir)},"data-dir":${JSON.stringify(dataDir)},"snap-dir":${JSON.stringify(`${dataDir}/member/snap`)}`;
  const log = zapLogger(run.ctx);
  log(`"caller":"snapshot/v3_snapshot.go:248","msg":"restoring snapshot",${dirs}`);
  const restored = Etcd.restore(snapshot, { clock: run.ctx.clock, rng: run.ctx.rng });
  dataDirs.add(dataDir);
  log(`"caller":"snapshot/v3_snapshot.go:269","msg":"restored snapshot",${dirs}`);
  onRestore?.(dataDir, restored);
  return EXIT.ok;
}

function compaction(run: Run): number {
  if (run.args.length !== 1) throw new Exit(EXIT_BAD_ARGS, 'compaction command needs 1 argument');
  const text = run.args[0]!;
  if (!/^[+-]?\d+$/.test(text)) throw new Exit(EXIT_ERROR, parseIntError(text));
  const rev = Number(text);
  run.etcd.compact(rev);
  run.out(`compacted revision ${rev}\n`);
  return EXIT.ok;
}

// —— output helpers ——

function simpleKv(kv: KeyValue, valueOnly = false): string {
  return (valueOnly ? '' : kv.key + '\n') + kv.value + '\n';
}

function watchOutput(format: Run['format'], r: WatchResponse): string {
  switch (format) {
    case 'json':
      return (
        goJson({
          Header: headerJson(r.header),
          Events: r.events.map((e) => ({ type: e.type === 'DELETE' ? 1 : undefined, kv: kvJson(e.kv), prev_kv: e.prevKv ? kvJson(e.prevKv) : undefined })),
          CompactRevision: 0,
          Canceled: false,
          Created: false,
        }) + '\n'
      );
    case 'fields':
      return headerFields(r.header) + r.events.map((e) => `"Type" : ${e.type}\n` + (e.prevKv ? kvFields('Prev', e.prevKv) : '') + kvFields('', e.kv)).join('');
    default:
      return r.events.map((e) => `${e.type}\n` + (e.prevKv ? simpleKv(e.prevKv) : '') + simpleKv(e.kv)).join('');
  }
}

/** A response with only a header (lease revoke): simple text, or the header. */
function printHeaderOnly(run: Run, header: ResponseHeader, simple: string): void {
  if (run.format === 'simple') run.out(simple);
  else if (run.format === 'json') run.out(goJson({ header: headerJson(header) }) + '\n');
  else if (run.format === 'fields') run.out(headerFields(header));
  else throw unsupported('table');
}

/** clientv3 responses that embed *pb.ResponseHeader: its fields sit at the top level of the JSON. */
function flatHeader(h: ResponseHeader): Record<string, GoJson | undefined> {
  return headerJson(h) as Record<string, GoJson | undefined>;
}

function unsupported(format: string): Exit {
  return new Exit(EXIT_BAD_FEATURE, `${format} is not supported as output format`);
}

/** etcd's zap logger lines on stderr, stamped with virtual time. */
function zapLogger(ctx: CommandContext): (fields: string) => void {
  return (fields) => ctx.stderr(`{"level":"info","ts":"${formatDate(ctx.clock.now(), '%Y-%m-%dT%H:%M:%S')}.${String((ctx.clock.now() % 1000) * 1000).padStart(6, '0')}Z",${fields}}\n`);
}

function readSnapshot(snapshots: Map<string, Snapshot>, path: string): Snapshot {
  const snapshot = snapshots.get(path);
  if (snapshot === undefined) throw new Exit(EXIT_ERROR, `stat ${path}: no such file or directory`);
  return snapshot;
}

function hex16(id: bigint): string {
  return id.toString(16).padStart(16, '0');
}

// —— arguments ——

/** pflag's parsing: flags anywhere, --name=value or --name value, -w json or -wjson, "--" ends flags. */
function parseArgs(argv: readonly string[]): Parsed {
  const args: string[] = [];
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      args.push(...argv.slice(i + 1));
      break;
    }
    let name: string;
    let value: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      value = eq < 0 ? undefined : arg.slice(eq + 1);
      if (!(name in ALL_FLAGS)) throw new Exit(EXIT_ERROR, `unknown flag: --${name}`);
    } else if (arg.startsWith('-') && arg.length > 1) {
      const short = arg[1]!;
      const long = SHORT_FLAGS[short];
      if (!long) throw new Exit(EXIT_ERROR, `unknown shorthand flag: '${short}' in ${arg}`);
      name = long;
      const rest = arg.slice(2);
      value = rest === '' ? undefined : rest.startsWith('=') ? rest.slice(1) : rest;
    } else {
      args.push(arg);
      continue;
    }
    const type = ALL_FLAGS[name]!;
    if (type === 'bool') {
      if (value !== undefined && value !== 'true' && value !== 'false') throw new Exit(EXIT_ERROR, `invalid argument ${JSON.stringify(value)} for "--${name}" flag: strconv.ParseBool: parsing ${JSON.stringify(value)}: invalid syntax`);
      flags.set(name, value ?? 'true');
      continue;
    }
    if (value === undefined) {
      if (i + 1 >= argv.length) throw new Exit(EXIT_ERROR, `flag needs an argument: --${name}`);
      value = argv[++i]!;
    }
    if (type === 'int' && !/^[+-]?\d+$/.test(value)) throw new Exit(EXIT_ERROR, `invalid argument ${JSON.stringify(value)} for "--${name}" flag: ${parseIntError(value)}`);
    flags.set(name, value);
  }
  return { args, flags };
}

function bool(flags: Map<string, string>, name: string): boolean {
  return flags.get(name) === 'true';
}

function int(flags: Map<string, string>, name: string): number {
  return Number(flags.get(name) ?? 0);
}

function parseIntError(text: string): string {
  return `strconv.ParseInt: parsing ${JSON.stringify(text)}: invalid syntax`;
}

/** strconv.ParseInt(text, 16, 64), or undefined. */
function parseHex(text: string): bigint | undefined {
  if (!/^[+-]?[0-9a-fA-F]+$/.test(text)) return undefined;
  const negative = text.startsWith('-');
  const digits = text.replace(/^[+-]/, '');
  const value = BigInt('0x' + digits);
  if (value > (1n << 63n) - 1n) return undefined;
  return negative ? -value : value;
}

function leaseArg(text: string): bigint {
  const id = parseHex(text);
  if (id === undefined) throw new Exit(EXIT_BAD_ARGS, `bad lease ID arg (${parseIntError(text)}), expecting ID in Hex`);
  return id;
}

function interrupted(ctx: CommandContext): Promise<void> {
  if (ctx.interrupt.fired) return Promise.resolve();
  return new Promise((resolve) => ctx.interrupt.onDidFire(() => resolve()));
}

function sleep(ctx: CommandContext, ms: number): Promise<boolean> {
  if (ctx.interrupt.fired) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = ctx.clock.after(ms, () => {
      sub.dispose();
      resolve(true);
    }, 'etcdctl lease keep-alive');
    const sub = ctx.interrupt.onDidFire(() => {
      timer.cancel();
      resolve(false);
    });
  });
}

// —— help ——

const HELP = `NAME:
\tetcdctl - A simple command line client for etcd3.

USAGE:
\tetcdctl [flags]

VERSION:
\t${VERSION}

API VERSION:
\t3.5


COMMANDS:
\tcompaction\t\tCompacts the event history in etcd
\tdel\t\t\tRemoves the specified key or range of keys [key, range_end)
\tendpoint status\t\tPrints out the status of endpoints specified in \`--endpoints\` flag
\tget\t\t\tGets the key or a range of keys
\tlease grant\t\tCreates leases
\tlease keep-alive\tKeeps leases alive (renew)
\tlease list\t\tList all active leases
\tlease revoke\t\tRevokes leases
\tlease timetolive\tGet lease information
\tput\t\t\tPuts the given key into the store
\tsnapshot restore\tRestores an etcd member snapshot to an etcd directory
\tsnapshot save\t\tStores an etcd node backend snapshot to a given file
\tsnapshot status\t\t[deprecated] Gets backend snapshot status of a given file
\ttxn\t\t\tTxn processes all the requests in one transaction
\tversion\t\t\tPrints the version of etcdctl
\twatch\t\t\tWatches events stream on keys or prefixes

OPTIONS:
      --cacert=""\t\t\t\tverify certificates of TLS-enabled secure servers using this CA bundle
      --cert=""\t\t\t\t\tidentify secure client using this TLS certificate file
      --endpoints=[127.0.0.1:2379]\t\tgRPC endpoints
  -h, --help[=false]\t\t\t\thelp for etcdctl
      --key=""\t\t\t\t\tidentify secure client using this TLS key file
  -w, --write-out="simple"\t\t\tset the output format (fields, json, protobuf, simple, table)
`;

function groupHelp(group: string): string {
  const lines = HELP.split('\n').filter((l) => l.startsWith(`\t${group} `));
  return `NAME:\n\t${group} - ${group === 'lease' ? 'Lease related commands' : group === 'endpoint' ? 'Endpoint related commands' : 'Manages etcd node snapshots'}\n\nUSAGE:\n\tetcdctl ${group} <subcommand> [flags]\n\nCOMMANDS:\n${lines.map((l) => l.replace(`\t${group} `, '\t')).join('\n')}\n`;
}
