/**
 * Dockerfile parser — moby/buildkit frontend/dockerfile/parser as Docker 27's classic builder vendors it:
 * parser directives at the top (`# escape=`` ` ``, `# syntax=`), full-line comments, line continuation with
 * the escape character (continuation lines keep their leading whitespace; empty continuation lines and
 * comment lines inside a continuation are skipped), the instruction word in any case, `--flag=value`
 * builder flags, and the two argument forms: JSON (exec) form when the rest parses as a JSON array of
 * strings, else the shell form text.
 *
 * Left out: heredocs (`<<EOF`), and the lint warnings BuildKit prints for empty continuation lines.
 */

/** One instruction of a Dockerfile. */
export interface Node {
  /** The instruction word as written (`FROM`, `from`). */
  value: string;
  /** The instruction lowercased (`from`). */
  cmd: string;
  /** `--flag=value` words before the arguments. */
  flags: string[];
  /** The argument text after the flags, trimmed. */
  rest: string;
  /** The arguments of the JSON form, when the rest is a JSON array of strings. */
  json?: string[];
  /** The logical line as written, continuations joined (what `Step N/M :` prints). */
  original: string;
  /** 1-based line the instruction starts on. */
  startLine: number;
  /** 1-based line it ends on. */
  endLine: number;
}

/** A parsed Dockerfile. */
export interface ParseResult {
  nodes: Node[];
  /** The escape character (`\` unless a directive changed it). */
  escapeToken: string;
}

/** A parse failure, in the parser's words. */
export class DockerfileParseError extends Error {}

const DIRECTIVE_RE = /^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$/;

/** Parse `text` (see the module comment); `file with no instructions` when nothing but comments. */
export function parseDockerfile(text: string): ParseResult {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  let escapeToken = '\\';
  let directivesDone = false;
  const seen = new Set<string>();
  const nodes: Node[] = [];
  const isComment = (line: string) => /^#/.test(line.trimStart());
  const isEmptyContinuation = (line: string) => line.trim() === '';
  const trimContinuation = (line: string): [string, boolean] => {
    const esc = escapeToken.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
    const re = new RegExp(`${esc}[ \\t]*$`);
    if (re.test(line)) return [line.replace(re, ''), false];
    return [line, true];
  };
  for (let i = 0; i < lines.length; i++) {
    let raw = lines[i]!;
    if (i === 0) raw = raw.replace(/^\uFEFF/, '');
    if (!directivesDone) {
      const m = DIRECTIVE_RE.exec(raw);
      const name = m?.[1]?.toLowerCase();
      if (m && (name === 'escape' || name === 'syntax' || name === 'check')) {
        if (seen.has(name)) throw new DockerfileParseError(`only one ${name} parser directive can be used`);
        seen.add(name);
        if (name === 'escape') {
          if (m[2] !== '`' && m[2] !== '\\') throw new DockerfileParseError(`invalid escape token '${m[2]}' does not match \` or \\`);
          escapeToken = m[2]!;
        }
        continue;
      }
      directivesDone = true;
    }
    const startLine = i + 1;
    const first = raw.trimStart();
    if (isComment(first)) continue;
    let [line, end] = trimContinuation(first);
    if (end && line.trim() === '') continue;
    while (!end && i + 1 < lines.length) {
      const next = lines[++i]!;
      if (isComment(next)) continue;
      if (isEmptyContinuation(next)) continue;
      const [part, done] = trimContinuation(next);
      line += part;
      end = done;
    }
    nodes.push(nodeFromLine(line, startLine, i + 1));
  }
  if (nodes.length === 0) throw new DockerfileParseError('file with no instructions');
  return { nodes, escapeToken };
}

function nodeFromLine(line: string, startLine: number, endLine: number): Node {
  const trimmed = line.trim();
  const space = trimmed.search(/\s/);
  const value = space < 0 ? trimmed : trimmed.slice(0, space);
  let rest = space < 0 ? '' : trimmed.slice(space).trim();
  const flags: string[] = [];
  for (;;) {
    const m = /^--[^\s]*/.exec(rest);
    if (!m || m[0] === '--') break;
    flags.push(m[0]);
    rest = rest.slice(m[0].length).trimStart();
  }
  const node: Node = { value, cmd: value.toLowerCase(), flags, rest, original: trimmed, startLine, endLine };
  const json = parseJsonArray(rest);
  if (json) node.json = json;
  return node;
}

/** The strings of a JSON array of strings, or undefined for anything else. */
export function parseJsonArray(text: string): string[] | undefined {
  if (!text.startsWith('[')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || !parsed.every((a) => typeof a === 'string')) return undefined;
  return parsed as string[];
}
