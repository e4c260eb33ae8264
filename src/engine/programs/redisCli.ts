/**
 * redis-cli — Redis 7.4's command-line client, one command at a time: `redis-cli [-h HOST] [-p PORT]
 * [--raw|--no-raw] COMMAND [ARG…]` connects (from its own network namespace, through the kernel's
 * sockets), sends the command as a RESP array, prints the reply and exits. Replies print as redis-cli
 * prints them on a terminal (`PONG`, `OK`, `"value"`, `(nil)`, `(integer) 1`, `(error) ERR …`, numbered
 * arrays), or raw when its stdout is not one (or with --raw); INFO always prints raw. A connection that
 * fails prints `Could not connect to Redis at HOST:PORT: Connection refused` (or the errno's text) and
 * exits 1; an error reply exits 1 too. `-v` prints the version.
 *
 * Left out: the interactive prompt (without a command it only checks the connection), reading commands
 * from stdin, -a/--user (accepted, unused), -n, --scan, --stat, cluster mode, TLS, and names other
 * than localhost (any other fails as unresolvable).
 */
import { KernelError } from '../kernel/errno.ts';
import type { Host } from '../kernel/host.ts';
import type { Program, ProgramContext } from '../kernel/process/program.ts';
import { REDIS_VERSION } from './redisServer.ts';
import { RespReader, respCommand, type RespValue } from './resp.ts';

/** sdscatrepr: a bulk string quoted, with C escapes for the bytes that need them. */
function repr(text: string): string {
  let out = '"';
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\' || ch === '"') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c === 7) out += '\\a';
    else if (c === 8) out += '\\b';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** cliFormatReplyTTY. */
function formatTty(value: RespValue, indent = 0): string {
  if (value === null) return '(nil)\n';
  if (typeof value === 'number') return `(integer) ${value}\n`;
  if (typeof value === 'string') return `${repr(value)}\n`;
  if (Array.isArray(value)) {
    if (value.length === 0) return '(empty array)\n';
    const width = String(value.length).length;
    return value
      .map((v: RespValue, i) => {
        const prefix = `${String(i + 1).padStart(width)}) `;
        const body = formatTty(v, indent + prefix.length);
        return `${i === 0 ? '' : ' '.repeat(indent)}${prefix}${body}`;
      })
      .join('');
  }
  if ('status' in value) return `${value.status}\n`;
  return `(error) ${(value as { error: string }).error}\n`;
}

/** cliFormatReplyRaw, then the command delimiter. */
function formatRaw(value: RespValue): string {
  const raw = (v: RespValue): string => {
    if (v === null) return '';
    if (typeof v === 'number') return String(v);
    if (typeof v === 'string') return v;
    if (Array.isArray(v)) return v.map(raw).join('\n');
    return 'status' in v ? v.status : (v as { error: string }).error;
  };
  return `${raw(value)}\n`;
}

export class RedisCli implements Program {
  constructor(private readonly host: Host) {}

  start(sys: ProgramContext): void {
    const { process } = sys;
    const out = (text: string) => process.stdio.stdout.write(text);
    const args = process.argv.slice(1);
    let hostName = '127.0.0.1';
    let port = 6379;
    let raw = process.stdio.tty === undefined;
    const command: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (command.length > 0) command.push(a);
      else if (a === '-h') hostName = args[++i] ?? hostName;
      else if (a === '-p') port = Number(args[++i] ?? port);
      else if (a === '-a' || a === '--user' || a === '--pass' || a === '-n') i++;
      else if (a === '--raw') raw = true;
      else if (a === '--no-raw') raw = false;
      else if (a === '-v' || a === '--version') {
        out(`redis-cli ${REDIS_VERSION}\n`);
        return sys.exit(0);
      } else command.push(a);
    }
    const address = hostName === 'localhost' ? '127.0.0.1' : hostName;
    const refused = (why: string) => {
      process.stdio.stderr.write(`Could not connect to Redis at ${hostName}:${port}: ${why}\n`);
      sys.exit(1);
    };
    if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(address)) return refused('Name or service not known');
    const net = process.nsproxy?.net;
    if (!net) return refused('Network is unreachable');
    this.host.tcp.connect(net, { address, port }, { owner: process }).then(
      (socket) => {
        if (command.length === 0) {
          socket.close();
          return sys.exit(0);
        }
        const reader = new RespReader();
        let answered = false;
        socket.receive({
          data: (chunk) => {
            const [reply] = reader.push(chunk);
            if (reply === undefined || answered) return;
            answered = true;
            socket.close();
            const isError = reply !== null && typeof reply === 'object' && !Array.isArray(reply) && 'error' in reply;
            out(raw || command[0]!.toLowerCase() === 'info' ? formatRaw(reply) : formatTty(reply));
            sys.exit(isError ? 1 : 0);
          },
          end: () => {
            if (answered) return;
            out('Error: Server closed the connection\n');
            sys.exit(1);
          },
        });
        socket.write(respCommand(command));
      },
      (error: unknown) => {
        if (!(error instanceof KernelError)) throw error;
        refused(error.describe);
      },
    );
  }
}
