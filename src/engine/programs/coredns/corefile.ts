/**
 * The Corefile as CoreDNS 1.11.3 reads it, through its fork of Caddy's caddyfile package: a lexer
 * (whitespace-separated tokens, "quoted strings" with \" escapes, `#` comments at a token's start, each
 * token with its line), a parser grouping the tokens of each server block (`.:53 { … }`, keys separated
 * by spaces or trailing commas) by directive, and a Dispenser that plugin setups walk as Caddy's does
 * (`next`, `nextArg`, `nextBlock`, `argErr`). Errors carry Caddy's words and place:
 * `/etc/coredns/Corefile:3 - Error during parsing: Unknown directive 'foo'`.
 *
 * `DIRECTIVES` is plugin.cfg's list for 1.11.3: the order setups run in and queries pass the plugins.
 *
 * Left out: `import` of files and snippets, `{$ENV}` substitution, backquoted tokens, heredocs.
 */

/** plugin.cfg of CoreDNS 1.11.3, in chain order. */
export const DIRECTIVES = [
  'root', 'metadata', 'geoip', 'cancel', 'tls', 'timeouts', 'reload', 'nsid', 'bufsize', 'bind', 'debug', 'trace', 'ready', 'health', 'pprof', 'prometheus', 'errors', 'log', 'dnstap', 'local', 'dns64', 'acl', 'any', 'chaos', 'loadbalance', 'tsig', 'cache', 'rewrite', 'header', 'dnssec', 'autopath', 'minimal', 'template', 'transfer', 'hosts', 'route53', 'azure', 'clouddns', 'k8s_external', 'kubernetes', 'file', 'auto', 'secondary', 'etcd', 'loop', 'forward', 'grpc', 'erratic', 'whoami', 'on', 'sign', 'view',
] as const;

export interface Token {
  text: string;
  line: number;
}

/** A Corefile error, its message already in CoreDNS's words. */
export class CorefileError extends Error {}

/** The tokens of a Corefile. */
export function lex(text: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\n') {
      line++;
      i++;
      continue;
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    const start = line;
    let word = '';
    if (c === '"') {
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\' && text[i + 1] === '"') {
          word += '"';
          i += 2;
          continue;
        }
        if (text[i] === '\n') line++;
        word += text[i++];
      }
      i++;
    } else {
      while (i < text.length && !/\s/.test(text[i]!)) word += text[i++];
    }
    tokens.push({ text: word, line: start });
  }
  return tokens;
}

/** One server block: its keys (`.:53`) and its directives' tokens, each directive's lines in order. */
export interface ServerBlock {
  keys: string[];
  /** Each directive's occurrences, each its tokens with the directive's own name first. */
  tokens: Map<string, Token[][]>;
}

/** Walks tokens as caddy.Controller does for a plugin's setup. */
export class Dispenser {
  private cursor = -1;
  private nesting = 0;

  constructor(
    readonly file: string,
    private readonly tokens: readonly Token[],
  ) {}

  /** The next token; false at the end. */
  next(): boolean {
    if (this.cursor < this.tokens.length - 1) {
      this.cursor++;
      return true;
    }
    return false;
  }

  /** The next token if it is on the same line (an argument). */
  nextArg(): boolean {
    if (this.cursor < 0 || this.cursor >= this.tokens.length - 1) return false;
    const cur = this.tokens[this.cursor]!;
    const next = this.tokens[this.cursor + 1]!;
    if (next.line !== cur.line + countNewlines(cur.text) || next.text === '{') return false;
    this.cursor++;
    return true;
  }

  /** Into or on through the block that follows a directive's arguments; false when it closes. */
  nextBlock(): boolean {
    if (this.nesting > 0) {
      this.next();
      if (this.val() === '}') {
        this.nesting--;
        return false;
      }
      return true;
    }
    if (!this.nextOnLine()) return false;
    if (this.val() !== '{') {
      this.cursor--;
      return false;
    }
    this.next();
    if (this.val() === '}') return false;
    this.nesting++;
    return true;
  }

  /** The remaining arguments on this line. */
  remainingArgs(): string[] {
    const args: string[] = [];
    while (this.nextArg()) args.push(this.val());
    return args;
  }

  /** Step back one token. */
  prev(): void {
    if (this.cursor >= 0) this.cursor--;
  }

  /** The current token is the first of its line. */
  isNewLine(): boolean {
    if (this.cursor <= 0) return true;
    const prev = this.tokens[this.cursor - 1]!;
    return this.tokens[this.cursor]!.line > prev.line + countNewlines(prev.text);
  }

  token(): Token {
    return this.tokens[this.cursor]!;
  }

  val(): string {
    return this.tokens[this.cursor]?.text ?? '';
  }

  line(): number {
    return this.tokens[this.cursor]?.line ?? 0;
  }

  errf(message: string): CorefileError {
    return new CorefileError(`${this.file}:${this.line()} - Error during parsing: ${message}`);
  }

  argErr(): CorefileError {
    if (this.val() === '{') return this.errf("Unexpected token '{', expecting argument");
    return this.errf(`Wrong argument count or unexpected line ending after '${this.val()}'`);
  }

  syntaxErr(expected: string): CorefileError {
    return this.errf(`Syntax error: Unexpected token '${this.val()}', expecting '${expected}'`);
  }

  eofErr(): CorefileError {
    return this.errf('Unexpected EOF');
  }

  private nextOnLine(): boolean {
    if (this.cursor < 0 || this.cursor >= this.tokens.length - 1) return false;
    const cur = this.tokens[this.cursor]!;
    const next = this.tokens[this.cursor + 1]!;
    if (next.line !== cur.line + countNewlines(cur.text)) return false;
    this.cursor++;
    return true;
  }
}

function countNewlines(text: string): number {
  return text.split('\n').length - 1;
}

/** caddyfile.Parse: the server blocks, every directive checked against `valid`. */
export function parseCorefile(file: string, text: string, valid: readonly string[] = DIRECTIVES): ServerBlock[] {
  const d = new Dispenser(file, lex(text));
  const blocks: ServerBlock[] = [];
  while (d.next()) {
    const block: ServerBlock = { keys: [], tokens: new Map() };
    let eof = false;
    let expectingAnother = false;
    for (;;) {
      let tkn = d.val();
      if (tkn === '{') {
        if (expectingAnother) throw d.errf(`Expected another address but had '${tkn}' - check for extra comma`);
        break;
      }
      if (tkn !== '') {
        if (tkn.endsWith(',')) {
          tkn = tkn.slice(0, -1);
          expectingAnother = true;
        } else expectingAnother = false;
        block.keys.push(tkn);
      }
      const has = d.next();
      if (expectingAnother && !has) throw d.eofErr();
      if (!has) {
        eof = true;
        break;
      }
      if (!expectingAnother && d.isNewLine()) break;
    }
    if (!eof) {
      const braced = d.val() === '{';
      if (!braced) d.prev();
      let closed = false;
      while (d.next()) {
        if (d.val() === '}') {
          closed = true;
          break;
        }
        const dir = d.val();
        if (!valid.includes(dir)) throw d.errf(`Unknown directive '${dir}'`);
        const occurrence: Token[] = [d.token()];
        let nesting = 0;
        while (d.next()) {
          if (d.val() === '{') nesting++;
          else if (d.isNewLine() && nesting === 0) {
            d.prev();
            break;
          } else if (d.val() === '}' && nesting > 0) nesting--;
          else if (d.val() === '}' && nesting === 0) throw d.errf("Unexpected '}' because no matching opening brace");
          occurrence.push(d.token());
        }
        if (nesting > 0) throw d.eofErr();
        block.tokens.set(dir, [...(block.tokens.get(dir) ?? []), occurrence]);
      }
      if (braced && !closed) throw d.syntaxErr('}');
    }
    if (block.keys.length > 0) blocks.push(block);
  }
  return blocks;
}

/**
 * The occurrences of `directive` in a block, each as a Dispenser over its own tokens (positioned before
 * the directive's name, as caddy.Controller is handed to a setup function).
 */
export function occurrences(file: string, block: ServerBlock, directive: string): Dispenser[] {
  return (block.tokens.get(directive) ?? []).map((ts) => new Dispenser(file, ts));
}
