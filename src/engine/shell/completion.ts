/**
 * Completion — what bash-completion and kubectl's cobra completion (`kubectl __complete …`) offer for the
 * word at the cursor when the student presses Tab.
 *
 * The first word of a command completes to command names (aliases, keywords, functions, builtins and
 * commands on PATH); a word after a redirection, and the arguments of every other command, complete to
 * paths in the session's file system (directories end in `/` and take no space, as with `-o filenames`).
 * `kubectl` (or an alias of it, such as `k`) completes as cobra does: subcommands, flags (`--name` and
 * `-x`), flag values (`-n` namespaces, `-o` the command's output formats, `-f` files ending in .json,
 * .yaml or .yml), resource types as `kubectl api-resources -o name --verbs=get` prints them (so `depl`
 * gives `deployments.apps`, as on a real cluster), object names listed through the apiserver in the
 * namespace of `-n` or the kubeconfig's context, and `TYPE/NAME`.
 *
 * Completion only reads: it lists through the client and the file system and changes nothing. It never
 * throws for what the student typed or for an unreachable server: those give no candidates.
 * Left out: programmable completion (`complete -F`), variable (`$HO<Tab>`) and user (`~ro<Tab>`) names,
 * kubeconfig names for `--context`/`--cluster`/`--user`, and completion of commands the lab lacks.
 */
import type { Transport } from '../client/rest/transport.ts';
import { RestClient, resourcePath } from '../client/rest/restClient.ts';
import { DEFAULT_SERVER } from './commands/kubectl/factory.ts';
import { flagsFromHelp, type FlagSpec } from './commands/kubectl/flags.ts';
import { HELP } from './commands/kubectl/helpTexts.ts';
import { KubeconfigFile } from './commands/kubectl/kubeconfig.ts';
import { RestMapper, groupResource, type ApiResource } from './commands/kubectl/restMapper.ts';
import type { FileSystem } from './fs.ts';

/** What completion may read of the shell it completes for. */
export interface CompletionHost {
  readonly fs: FileSystem;
  readonly cwd: string;
  /** `$HOME`, for `~/` and the default kubeconfig. */
  readonly home: string;
  /** `$KUBECONFIG`, if set. */
  readonly kubeconfig?: string;
  readonly aliases: ReadonlyMap<string, string>;
  /** Every name the first word of a command can be. */
  commandNames(): string[];
  readonly kube: { transport: Transport };
}

export interface Candidate {
  /** The whole word as it would be inserted (already quoted for the shell). */
  text: string;
  /** Insert no space after it when it is the only candidate (a directory, `TYPE/`). */
  noSpace?: boolean;
  /** How a list of candidates shows it, when not as `text` (a file: its name, a directory's with `/`). */
  display?: string;
}

export interface Completions {
  /** The word being completed is line[from, cursor). */
  from: number;
  /** Sorted, without duplicates. */
  candidates: Candidate[];
}

interface Token {
  /** The word with quotes and backslashes removed. */
  text: string;
  start: number;
  /** Where it ends in the line, exclusive. */
  end: number;
  /** An operator (`|`, `&&`, `;`, `>`…) rather than a word. */
  op?: string;
}

/** Candidates for the word that ends at `cursor`. */
export async function complete(line: string, cursor: number, host: CompletionHost): Promise<Completions> {
  const tokens = tokenize(line.slice(0, cursor));
  const last = tokens[tokens.length - 1];
  const current: Token = last && !last.op && last.end === cursor ? last : { text: '', start: cursor, end: cursor };
  const before = current === last ? tokens.slice(0, -1) : tokens;
  // The words of the simple command the cursor is in.
  let words: string[] = [];
  let redirect = false;
  for (const t of before) {
    if (t.op) {
      redirect = /[<>]$/.test(t.op);
      if (!redirect) words = [];
      continue;
    }
    if (redirect) {
      redirect = false;
      continue;
    }
    if (words.length === 0 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(t.text)) continue;
    words.push(t.text);
  }
  const quote = /^['"]/.exec(line.slice(current.start, cursor))?.[0];
  const result = (candidates: Candidate[]): Completions => ({ from: current.start, candidates: sortUnique(candidates) });
  if (redirect) return result(files(current.text, host, quote));
  if (words.length === 0) {
    if (current.text.includes('/')) return result(files(current.text, host, quote));
    return result(host.commandNames().filter((n) => n.startsWith(current.text)).map((text) => ({ text })));
  }
  const alias = host.aliases.get(words[0]!);
  if (alias !== undefined) words = [...alias.trim().split(/\s+/), ...words.slice(1)];
  if (words[0] === 'kubectl') {
    try {
      const found = await completeKubectl(words.slice(1), current.text, host);
      if (found) return result(found);
    } catch {
      // An unreachable or refusing server offers nothing, as kubectl's completion does.
      return result([]);
    }
  }
  return result(files(current.text, host, quote));
}

// —— words ——

const OPERATORS = ['&&', '||', ';;', '>>', '&>', '<<', '|', '&', ';', '(', ')', '<', '>'];

/** bash's word splitting of a command line, enough for completion: quotes, backslashes, operators. */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let cur: Token | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      cur = undefined;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (op) {
      // An operator ends the word before it (`2>file`, `a|b`).
      cur = undefined;
      tokens.push({ text: op, start: i, end: i + op.length, op });
      i += op.length - 1;
      continue;
    }
    if (!cur) {
      cur = { text: '', start: i, end: i };
      tokens.push(cur);
    }
    if (c === '\\') {
      cur.text += text[i + 1] ?? '';
      i++;
    } else if (c === "'" || c === '"') {
      const close = text.indexOf(c, i + 1);
      const stop = close < 0 ? text.length : close;
      cur.text += text.slice(i + 1, stop);
      i = stop;
    } else cur.text += c;
    cur.end = Math.min(i + 1, text.length);
  }
  return tokens;
}

/** A path as bash inserts it into an unquoted word: shell metacharacters behind backslashes. */
function escape(text: string): string {
  return text.replace(/[\s\\'"$`&|;<>()*?[\]{}!#]/g, '\\$&');
}

function sortUnique(candidates: Candidate[]): Candidate[] {
  const seen = new Map<string, Candidate>();
  for (const c of candidates) if (!seen.has(c.text)) seen.set(c.text, c);
  return [...seen.values()].sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
}

// —— files ——

/**
 * Paths that start with `word`, as `compgen -f` finds them, escaped for the shell or inside the word's
 * opening `quote` (closed after a file); `extensions` keeps only those files (and every directory).
 */
function files(word: string, host: CompletionHost, quote: string | undefined, extensions?: readonly string[]): Candidate[] {
  const slash = word.lastIndexOf('/');
  const dirPart = slash < 0 ? '' : word.slice(0, slash + 1);
  const base = word.slice(slash + 1);
  const expanded = dirPart.replace(/^~(?=\/)/, host.home);
  const dir = host.fs.resolve(expanded === '' ? '.' : expanded, host.cwd);
  if (host.fs.stat(dir)?.type !== 'dir') return [];
  const out: Candidate[] = [];
  for (const name of host.fs.readdir(dir)) {
    if (!name.startsWith(base) || (name.startsWith('.') && !base.startsWith('.'))) continue;
    const isDir = host.fs.stat(host.fs.resolve(name, dir))?.type === 'dir';
    if (!isDir && extensions && !extensions.some((e) => name.endsWith(`.${e}`))) continue;
    const text = quote ? quote + dirPart + name + (isDir ? '/' : quote) : escape(dirPart + name) + (isDir ? '/' : '');
    out.push({ text, noSpace: isDir, display: isDir ? `${name}/` : name });
  }
  return out;
}

// —— kubectl ——

/** The names a help text lists as commands: the root's groups, or a command's "Available Commands:". */
function subcommandsOf(key: string): string[] {
  const help = HELP[key];
  if (help === undefined) return [];
  const section = key === '' ? help.slice(0, help.indexOf('\nUsage:')) : /\nAvailable Commands:\n([\s\S]*?)\n\n/.exec(help)?.[1] ?? '';
  const names = [...section.matchAll(/^ {2}([a-z][a-z-]*) {2,}\S/gm)].map((m) => m[1]!);
  // cobra adds its own `help`; `options` is kubectl's, listed in no group.
  return key === '' ? [...names, 'help', 'options'] : names;
}

const GLOBAL_FLAGS = flagsFromHelp(HELP.options ?? '');
const HELP_FLAG: FlagSpec = { name: 'help', shorthand: 'h', kind: 'bool', defaultValue: 'false' };

/** Commands whose arguments are TYPE [NAME…] or TYPE/NAME (kubectl's ResourceTypeAndNameCompletionFunc). */
const TYPE_AND_NAME = new Set(['get', 'describe', 'delete', 'label', 'annotate', 'edit', 'patch', 'wait']);
/** Commands that take only some types (SpecifiedResourceTypeAndNameCompletionFunc). */
const SOME_TYPES: Readonly<Record<string, readonly string[]>> = {
  scale: ['deployment', 'replicaset', 'replicationcontroller', 'statefulset'],
  autoscale: ['deployment', 'replicaset', 'replicationcontroller', 'statefulset'],
  expose: ['deployment', 'pod', 'replicaset', 'replicationcontroller', 'service'],
};
/** Commands whose first argument is a pod (PodResourceNameCompletionFunc and friends). */
const POD_NAME = new Set(['logs', 'exec', 'attach', 'port-forward', 'cp']);

/**
 * cobra's `__complete` for kubectl: undefined when cobra would leave the word to the shell's file
 * completion (ShellCompDirectiveDefault).
 */
async function completeKubectl(args: string[], word: string, host: CompletionHost): Promise<Candidate[] | undefined> {
  // Walk the command path as cobra's Find does: positional words that name a subcommand.
  let key = '';
  const positional: string[] = [];
  let pendingFlag: FlagSpec | undefined;
  let specs = flagSpecs(key);
  const given = new Map<string, string>();
  for (const arg of args) {
    if (pendingFlag) {
      given.set(pendingFlag.name, arg);
      pendingFlag = undefined;
      continue;
    }
    if (arg.startsWith('-') && arg !== '-') {
      const flag = parseFlag(arg, specs);
      if (flag?.value !== undefined) given.set(flag.spec.name, flag.value);
      else if (flag && flag.spec.kind !== 'bool' && flag.spec.noOptDefault === undefined) pendingFlag = flag.spec;
      else if (flag) given.set(flag.spec.name, 'true');
      continue;
    }
    if (positional.length === 0 && subcommandsOf(key).includes(arg)) {
      key = key ? `${key} ${arg}` : arg;
      specs = flagSpecs(key);
      continue;
    }
    positional.push(arg);
  }
  const list = new Lister(host, given);
  if (pendingFlag) return flagValues(pendingFlag, '', word, key, host, list);
  if (word.startsWith('--') && word.includes('=')) {
    const eq = word.indexOf('=');
    const spec = specs.find((s) => s.name === word.slice(2, eq));
    return spec ? flagValues(spec, word.slice(0, eq + 1), word.slice(eq + 1), key, host, list) : [];
  }
  if (word.startsWith('-')) {
    const out: Candidate[] = [];
    for (const s of specs) {
      if (`--${s.name}`.startsWith(word)) out.push({ text: `--${s.name}` });
      if (s.shorthand && !word.startsWith('--') && `-${s.shorthand}`.startsWith(word)) out.push({ text: `-${s.shorthand}` });
    }
    return out;
  }
  const subcommands = subcommandsOf(key);
  if (subcommands.length > 0 && positional.length === 0) {
    const out = subcommands.filter((s) => s.startsWith(word)).map((text) => ({ text }));
    if (key === '' || out.length > 0 || !TYPE_AND_NAME.has(key)) return out;
  }
  if (TYPE_AND_NAME.has(key)) return typeAndName(positional, word, list, undefined);
  if (SOME_TYPES[key]) return typeAndName(positional, word, list, SOME_TYPES[key]);
  if (key === 'explain') return positional.length === 0 ? list.types(word) : [];
  if (POD_NAME.has(key)) return positional.length === 0 ? list.names('pods', word) : [];
  if (key === 'config use-context' || key === 'config delete-context' || key === 'config rename-context') return positional.length === 0 ? list.contexts(word) : [];
  return undefined;
}

function flagSpecs(key: string): FlagSpec[] {
  return [...flagsFromHelp(key === '' ? '' : (HELP[key] ?? '')), ...GLOBAL_FLAGS, HELP_FLAG];
}

/** One flag word (`--namespace`, `--namespace=x`, `-n`, `-nx`, `-Aw`): its spec and value, if given. */
function parseFlag(arg: string, specs: readonly FlagSpec[]): { spec: FlagSpec; value?: string } | undefined {
  if (arg.startsWith('--')) {
    const eq = arg.indexOf('=');
    const spec = specs.find((s) => s.name === (eq < 0 ? arg.slice(2) : arg.slice(2, eq)));
    return spec && (eq < 0 ? { spec } : { spec, value: arg.slice(eq + 1) });
  }
  // Grouped shorthands: the last one may take the rest of the word, or the next word.
  for (let i = 1; i < arg.length; i++) {
    const spec = specs.find((s) => s.shorthand === arg[i]);
    if (!spec) return undefined;
    if (spec.kind !== 'bool') return i + 1 < arg.length ? { spec, value: arg.slice(arg[i + 1] === '=' ? i + 2 : i + 1) } : { spec };
    if (i === arg.length - 1) return { spec };
  }
  return undefined;
}

/** Values for a flag (kubectl's RegisterFlagCompletionFunc and MarkFlagFilename), each after `prefix`. */
async function flagValues(spec: FlagSpec, prefix: string, word: string, key: string, host: CompletionHost, list: Lister): Promise<Candidate[]> {
  const withPrefix = (cs: Candidate[]) => cs.map((c) => ({ ...c, text: prefix + c.text }));
  switch (spec.name) {
    case 'namespace':
      return withPrefix(await list.names('namespaces', word));
    case 'output': {
      const formats = /Output format\. One of: \(([^)]*)\)/.exec(HELP[key] ?? '')?.[1]?.split(', ') ?? [];
      return withPrefix(formats.filter((f) => f.startsWith(word)).map((text) => ({ text })));
    }
    case 'filename':
      return withPrefix(files(word, host, undefined, ['json', 'yaml', 'yml']));
    case 'kubeconfig':
      return withPrefix(files(word, host, undefined));
    case 'context':
      return withPrefix(list.contexts(word));
    default:
      return [];
  }
}

/** ResourceTypeAndNameCompletionFunc: `TYPE`, then names of that type; or `TYPE/NAME`. */
async function typeAndName(positional: string[], word: string, list: Lister, only: readonly string[] | undefined): Promise<Candidate[]> {
  const first = positional[0];
  if (first !== undefined && !first.includes('/')) {
    // The type was given: every following word is a name, each offered once.
    const names = await list.names(first, word);
    return names.filter((n) => !positional.slice(1).includes(n.text));
  }
  const slash = word.indexOf('/');
  if (slash < 0) {
    const types = only ? only.filter((t) => t.startsWith(word)).map((text) => ({ text })) : await list.types(word);
    return first === undefined ? types : types.map((t) => ({ text: `${t.text}/`, noSpace: true }));
  }
  const type = word.slice(0, slash);
  return (await list.names(type, word.slice(slash + 1))).map((n) => ({ text: `${type}/${n.text}` }));
}

/** What kubectl's completion asks the server and the kubeconfig, for one Tab. */
class Lister {
  private mapper: Promise<RestMapper> | undefined;
  private readonly client: RestClient;

  constructor(
    private readonly host: CompletionHost,
    private readonly flags: ReadonlyMap<string, string>,
  ) {
    this.client = new RestClient(host.kube.transport);
  }

  /** CompGetResourceList: `kubectl api-resources -o name --verbs=get`, after a comma-separated list's last comma. */
  async types(word: string): Promise<Candidate[]> {
    const comma = word.lastIndexOf(',');
    const prefix = word.slice(0, comma + 1);
    const suffix = word.slice(comma + 1);
    const mapper = await this.restMapper();
    return mapper.resources
      .filter((r) => r.preferred && r.verbs.includes('get'))
      .map((r) => groupResource(r))
      .filter((name) => name.startsWith(suffix))
      .map((name) => ({ text: prefix + name }));
  }

  /** CompGetResource: the names of the objects of a type in the namespace in use. */
  async names(type: string, word: string): Promise<Candidate[]> {
    const mapper = await this.restMapper();
    let resource: ApiResource;
    try {
      resource = mapper.resourceFor(type);
    } catch {
      return [];
    }
    const namespace = this.flags.get('all-namespaces') === 'true' ? '' : this.namespace();
    const response = await this.client.raw('GET', resourcePath(resource, namespace));
    const items = (JSON.parse(response.body) as { items?: Array<{ metadata?: { name?: string } }> }).items ?? [];
    return items.map((i) => i.metadata?.name ?? '').filter((n) => n !== '' && n.startsWith(word)).map((text) => ({ text }));
  }

  /** The contexts of the kubeconfig. */
  contexts(word: string): Candidate[] {
    return (this.kubeconfig()?.config.contexts ?? []).map((c) => c.name).filter((n) => n.startsWith(word)).map((text) => ({ text }));
  }

  private restMapper(): Promise<RestMapper> {
    this.mapper ??= RestMapper.discover(this.client);
    return this.mapper;
  }

  /** `-n`, else the context's namespace, else `default` (kubectl's Factory, without writing a kubeconfig). */
  private namespace(): string {
    const given = this.flags.get('namespace');
    if (given) return given;
    const kc = this.kubeconfig();
    return kc?.context(this.flags.get('context') || undefined)?.context.namespace || 'default';
  }

  private kubeconfig(): KubeconfigFile | undefined {
    const { fs, home, cwd } = this.host;
    const given = this.flags.get('kubeconfig') || (this.host.kubeconfig ?? '').split(':')[0] || `${home}/.kube/config`;
    const path = fs.resolve(given.replace(/^~(?=\/|$)/, home), cwd);
    if (fs.stat(path)?.type !== 'file') return undefined;
    try {
      return KubeconfigFile.load(fs, path, DEFAULT_SERVER);
    } catch {
      return undefined;
    }
  }
}
