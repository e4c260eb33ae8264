/**
 * The Apache HTTP Server's configuration as Debian's apache2 2.4 reads it: /etc/apache2/apache2.conf (or
 * `-f`), with `Include`/`IncludeOptional` of files and globs relative to the ServerRoot (/etc/apache2),
 * so mods-enabled/*.load and *.conf come in where the file says; `<IfModule [!]name>` sections kept or
 * dropped by the modules loaded so far (`mpm_prefork_module`, `mod_php5.c`…) and `<IfDefine [!]NAME>` by
 * the `-D` names; `\` continues a line. What is read: Listen, User, Group, ServerName, DocumentRoot,
 * DirectoryIndex (`disabled` clears it), ErrorLog, LogFormat and CustomLog, PidFile, KeepAlive,
 * KeepAliveTimeout, MaxKeepAliveRequests, LoadModule, the prefork MPM's StartServers, MinSpareServers,
 * MaxSpareServers, MaxRequestWorkers (MaxClients) and MaxConnectionsPerChild (MaxRequestsPerChild), and a
 * `SetHandler application/x-httpd-php` inside `<FilesMatch \.php$>`.
 *
 * Left out: per-directory configuration (<Directory>, <Location>, .htaccess, Require, Options), virtual
 * hosts, environment-variable expansion `${VAR}`, and validation: directives it does not read are
 * skipped, where Apache would stop at a misspelt one with AH00526.
 */
import { KernelError } from '../../kernel/errno.ts';
import type { Vfs } from '../../kernel/fs/vfs.ts';

/** Debian's ServerRoot. */
export const SERVER_ROOT = '/etc/apache2';
/** Debian's configuration file. */
export const DEFAULT_CONF = `${SERVER_ROOT}/apache2.conf`;

/** The prefork MPM's process settings. */
export interface PreforkConf {
  startServers: number;
  minSpareServers: number;
  maxSpareServers: number;
  maxRequestWorkers: number;
  maxConnectionsPerChild: number;
}

/** What the server runs with. */
export interface ApacheConf {
  listen: Array<{ address: string; port: number }>;
  user: string;
  group: string;
  serverName: string | undefined;
  documentRoot: string;
  directoryIndex: string[];
  errorLog: string;
  /** CustomLog targets with their formats (nicknames resolved through LogFormat). */
  customLogs: Array<{ path: string; format: string }>;
  pidFile: string;
  keepAlive: boolean;
  keepAliveTimeoutS: number;
  maxKeepAliveRequests: number;
  /** The module identifiers LoadModule loaded (`php5_module`, `deflate_module`…). */
  modules: string[];
  /** `.php` files go to mod_php. */
  phpHandler: boolean;
  prefork: PreforkConf;
}

/** A configuration that cannot be read: Apache's message for it. */
export class ConfError extends Error {}

/** Apache's compiled-in defaults (httpd 2.4, Debian's build). */
function defaults(): ApacheConf {
  return {
    listen: [],
    user: '#-1',
    group: '#-1',
    serverName: undefined,
    documentRoot: '/var/www/html',
    directoryIndex: ['index.html'],
    errorLog: '/var/log/apache2/error.log',
    customLogs: [],
    pidFile: '/var/run/apache2/apache2.pid',
    keepAlive: true,
    keepAliveTimeoutS: 5,
    maxKeepAliveRequests: 100,
    modules: ['core_module', 'so_module', 'watchdog_module', 'http_module', 'log_config_module', 'logio_module', 'version_module', 'unixd_module'],
    phpHandler: false,
    prefork: { startServers: 5, minSpareServers: 5, maxSpareServers: 10, maxRequestWorkers: 256, maxConnectionsPerChild: 0 },
  };
}

/** A directive's words: bare, or in double quotes. */
function words(text: string): string[] {
  return [...text.matchAll(/"((?:[^"\\]|\\.)*)"|(\S+)/g)].map((m) => (m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]!));
}

function absolute(path: string): string {
  return path.startsWith('/') ? path : `${SERVER_ROOT}/${path}`;
}

/** Read the configuration at `path` with the `-D` names `defines`. Throws ConfError. */
export function readApacheConf(vfs: Vfs, path: string, defines: readonly string[]): ApacheConf {
  const conf = defaults();
  const formats = new Map<string, string>();
  const has = (name: string) => conf.modules.includes(name) || conf.modules.some((m) => `mod_${m.replace(/_module$/, '')}.c` === name) || (name === 'mod_php5.c' && conf.modules.includes('php5_module'));

  const readFile = (file: string, optional: boolean, depth: number): void => {
    let text: string;
    try {
      text = vfs.readFile(file);
    } catch (error) {
      if (!(error instanceof KernelError)) throw error;
      if (optional) return;
      throw new ConfError(`apache2: Could not open configuration file ${file}: ${error.describe}`);
    }
    /** Sections: whether each is kept, and what kind it is. */
    const stack: Array<{ tag: string; keep: boolean; arg: string }> = [];
    const kept = () => stack.every((s) => s.keep);
    const lines = text.replace(/\\\n/g, ' ').split('\n');
    lines.forEach((raw, index) => {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) return;
      const close = /^<\/(\w+)\s*>$/.exec(line);
      if (close) {
        stack.pop();
        return;
      }
      const open = /^<(\w+)\s*(.*?)>$/.exec(line);
      if (open) {
        const tag = open[1]!.toLowerCase();
        const arg = words(open[2]!)[0] ?? '';
        const negate = arg.startsWith('!');
        const name = negate ? arg.slice(1) : arg;
        let keep = true;
        if (tag === 'ifmodule') keep = has(name) !== negate;
        else if (tag === 'ifdefine') keep = defines.includes(name) !== negate;
        stack.push({ tag, keep, arg });
        return;
      }
      if (!kept()) return;
      const [name = '', ...args] = words(line);
      const directive = name.toLowerCase();
      const inner = stack.find((s) => s.tag !== 'ifmodule' && s.tag !== 'ifdefine');
      if (inner) {
        if (inner.tag === 'filesmatch' && directive === 'sethandler' && args[0] === 'application/x-httpd-php' && /php/.test(inner.arg)) conf.phpHandler = true;
        return;
      }
      const n = (i = 0) => Number(args[i]);
      switch (directive) {
        case 'include':
        case 'includeoptional': {
          if (depth > 8) throw new ConfError(`AH00526: Syntax error on line ${index + 1} of ${file}:\nExceeded the maximum include directory nesting level of 8`);
          const target = absolute(args[0] ?? '');
          const slash = target.lastIndexOf('/');
          const dir = target.slice(0, slash);
          const glob = target.slice(slash + 1);
          if (!glob.includes('*')) {
            readFile(target, directive === 'includeoptional', depth + 1);
            break;
          }
          const re = new RegExp(`^${glob.replace(/[.+^$()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
          let names: string[] = [];
          try {
            names = vfs.readdir(dir).map((e) => e.name).filter((e) => re.test(e)).sort();
          } catch (error) {
            if (!(error instanceof KernelError)) throw error;
            if (directive === 'include') throw new ConfError(`apache2: Syntax error on line ${index + 1} of ${file}: Could not open config directory ${dir}: ${error.describe}`);
          }
          for (const e of names) readFile(`${dir}/${e}`, directive === 'includeoptional', depth + 1);
          break;
        }
        case 'loadmodule':
          if (args[0] && !conf.modules.includes(args[0])) conf.modules.push(args[0]);
          break;
        case 'listen': {
          const spec = args[0] ?? '80';
          const colon = spec.lastIndexOf(':');
          const address = colon < 0 ? '0.0.0.0' : spec.slice(0, colon).replace(/^\[|\]$/g, '');
          const port = Number(colon < 0 ? spec : spec.slice(colon + 1));
          if (!conf.listen.some((l) => l.port === port && l.address === address)) conf.listen.push({ address: address === '*' ? '0.0.0.0' : address, port });
          break;
        }
        case 'user':
          conf.user = args[0] ?? conf.user;
          break;
        case 'group':
          conf.group = args[0] ?? conf.group;
          break;
        case 'servername':
          conf.serverName = args[0];
          break;
        case 'documentroot':
          conf.documentRoot = (args[0] ?? conf.documentRoot).replace(/\/$/, '');
          break;
        case 'directoryindex':
          if (args[0]?.toLowerCase() === 'disabled') conf.directoryIndex = [];
          else conf.directoryIndex.push(...args);
          break;
        case 'errorlog':
          conf.errorLog = args[0] ?? conf.errorLog;
          break;
        case 'logformat':
          if (args.length >= 2) formats.set(args[1]!, args[0]!);
          else if (args[0]) formats.set('', args[0]);
          break;
        case 'customlog':
          if (args[0] && args[1]) conf.customLogs.push({ path: args[0], format: formats.get(args[1]) ?? args[1] });
          break;
        case 'pidfile':
          conf.pidFile = absolute(args[0] ?? conf.pidFile);
          break;
        case 'keepalive':
          conf.keepAlive = args[0]?.toLowerCase() === 'on';
          break;
        case 'keepalivetimeout':
          conf.keepAliveTimeoutS = n();
          break;
        case 'maxkeepaliverequests':
          conf.maxKeepAliveRequests = n();
          break;
        case 'startservers':
          conf.prefork.startServers = n();
          break;
        case 'minspareservers':
          conf.prefork.minSpareServers = n();
          break;
        case 'maxspareservers':
          conf.prefork.maxSpareServers = n();
          break;
        case 'maxrequestworkers':
        case 'maxclients':
          conf.prefork.maxRequestWorkers = n();
          break;
        case 'maxconnectionsperchild':
        case 'maxrequestsperchild':
          conf.prefork.maxConnectionsPerChild = n();
          break;
      }
    });
  };

  readFile(path, false, 0);
  // DirectoryIndex's default applies only when no directive gave one; `disabled` then the list replaces it.
  const explicit = conf.directoryIndex.slice(1);
  if (conf.directoryIndex[0] === 'index.html' && explicit.length > 0) conf.directoryIndex = explicit;
  const pf = conf.prefork;
  pf.maxSpareServers = Math.max(pf.maxSpareServers, pf.minSpareServers + 1);
  return conf;
}
