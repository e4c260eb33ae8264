/**
 * text/template/parse's parser (parse.go, Go 1.23): builds the trees of a template text — the main
 * one and each `{{define}}` and `{{block}}` — with Go's three-token lookahead, so that every error
 * names the same token and line Go's does (`template: output:1: unexpected "|" in command`,
 * `function "foo" not defined`, `undefined variable "$x"`, `{{break}} outside {{range}}`,
 * `multiple definition of template "t"`). Control structures: if / else if / else, range (with
 * `$i, $e :=` or `=`), with / else with, define, template, block, break, continue; pipelines with
 * declarations (`:=`) and assignments (`=`), parenthesized pipelines, field chains on any term.
 *
 * Left out: custom delimiters and keeping comments in the tree (kubectl uses neither).
 */
import { goQuote } from '../goFormat.ts';
import { Lexer, itemString, type Item, type ItemType } from './lex.ts';
import {
  nodeString, type BranchNode, type CommandNode, type ElseNode, type EndNode, type ListNode, type Node, type NumberNode,
  type PipeNode, type TemplateNode, type VariableNode,
} from './node.ts';
import { InvalidSyntaxError, parseFloat64, parseInt64, parseUint, unquote, unquoteChar } from './strconv.ts';

/** A parse error, worded as Go's: `template: output:1: unclosed action`. */
export class TemplateParseError extends Error {
  override readonly name = 'TemplateParseError';
}

/** One named template: its root list. */
export interface Tree {
  readonly name: string;
  readonly root: ListNode;
}

/** The trees a text defines, by name, and what their errors quote. */
export interface TreeSet {
  readonly trees: Map<string, Tree>;
  /** The whole template text (positions are offsets into it). */
  readonly text: string;
  /** The name of the template the text was parsed as (`output` for kubectl). */
  readonly parseName: string;
}

const EOF_ITEM: Item = { type: 'eof', pos: 0, val: '', line: 0 };

/** Parse `text` as the template `name`; `functions` are the names a template may call. */
export function parseTemplate(name: string, text: string, functions: ReadonlySet<string>): TreeSet {
  const trees = new Map<string, Tree>();
  const lex = new Lexer(text, { breakOK: !functions.has('break'), continueOK: !functions.has('continue') });
  const parser = new Parser(name, { trees, text, parseName: name }, lex, functions);
  parser.parse();
  parser.add();
  return { trees, text, parseName: name };
}

/** `1+2i` as its real and imaginary texts: the split is at the last sign that is not an exponent's. */
function splitComplex(text: string): [string, string] {
  for (let i = text.length - 2; i > 0; i--) {
    if ((text[i] === '+' || text[i] === '-') && !/[eEpP]/.test(text[i - 1]!)) return [text.slice(0, i), text.slice(i, -1)];
  }
  return [text, ''];
}

function isEmptyTree(n: Node | undefined): boolean {
  if (n === undefined) return true;
  if (n.type === 'list') return n.nodes.every(isEmptyTree);
  if (n.type === 'text') return n.text.trim() === '';
  return false;
}

class Parser {
  root: ListNode = { type: 'list', pos: 0, nodes: [] };
  private readonly token: Item[] = [EOF_ITEM, EOF_ITEM, EOF_ITEM];
  private peekCount = 0;
  private vars: string[] = ['$'];
  private actionLine = 0;
  private rangeDepth = 0;

  constructor(
    private name: string,
    private readonly set: TreeSet,
    private readonly lex: Lexer,
    private readonly functions: ReadonlySet<string>,
  ) {}

  // —— tokens ——

  private next(): Item {
    if (this.peekCount > 0) this.peekCount--;
    else this.token[0] = this.lex.nextItem();
    return this.token[this.peekCount]!;
  }

  private backup(): void {
    this.peekCount++;
  }

  private backup2(t1: Item): void {
    this.token[1] = t1;
    this.peekCount = 2;
  }

  private backup3(t2: Item, t1: Item): void {
    this.token[1] = t1;
    this.token[2] = t2;
    this.peekCount = 3;
  }

  private peek(): Item {
    if (this.peekCount > 0) return this.token[this.peekCount - 1]!;
    this.peekCount = 1;
    this.token[0] = this.lex.nextItem();
    return this.token[0];
  }

  private nextNonSpace(): Item {
    let token: Item;
    do token = this.next();
    while (token.type === 'space');
    return token;
  }

  private peekNonSpace(): Item {
    const token = this.nextNonSpace();
    this.backup();
    return token;
  }

  // —— errors ——

  private errorf(message: string): never {
    throw new TemplateParseError(`template: ${this.set.parseName}:${this.token[0]!.line}: ${message}`);
  }

  private expect(expected: ItemType, context: string): Item {
    const token = this.nextNonSpace();
    if (token.type !== expected) this.unexpected(token, context);
    return token;
  }

  private expectOneOf(expected1: ItemType, expected2: ItemType, context: string): Item {
    const token = this.nextNonSpace();
    if (token.type !== expected1 && token.type !== expected2) this.unexpected(token, context);
    return token;
  }

  private unexpected(token: Item, context: string): never {
    if (token.type === 'error') {
      let extra = '';
      if (this.actionLine !== 0 && this.actionLine !== token.line) {
        extra = ` in action started at ${this.set.parseName}:${this.actionLine}`;
        if (token.val.endsWith(' action')) extra = extra.slice(' in action'.length);
      }
      return this.errorf(`${itemString(token)}${extra}`);
    }
    return this.errorf(`unexpected ${itemString(token)} in ${context}`);
  }

  private unquote(token: Item): string {
    try {
      return unquote(token.val);
    } catch (e) {
      if (e instanceof InvalidSyntaxError) return this.errorf(e.message);
      throw e;
    }
  }

  // —— trees ——

  /** Record this tree in the set: a name may be defined twice only if one definition is empty. */
  add(): void {
    const tree = this.set.trees.get(this.name);
    if (!tree || isEmptyTree(tree.root)) {
      this.set.trees.set(this.name, { name: this.name, root: this.root });
      return;
    }
    if (!isEmptyTree(this.root)) this.errorf(`template: multiple definition of template ${goQuote(this.name)}`);
  }

  /** The top level: text, actions and `{{define}}`s up to EOF. */
  parse(): void {
    this.root = { type: 'list', pos: this.peek().pos, nodes: [] };
    while (this.peek().type !== 'eof') {
      if (this.peek().type === 'leftDelim') {
        const delim = this.next();
        if (this.nextNonSpace().type === 'define') {
          new Parser('definition', this.set, this.lex, this.functions).parseDefinition();
          continue;
        }
        this.backup2(delim);
      }
      const n = this.textOrAction();
      if (n.type === 'end' || n.type === 'else') this.errorf(`unexpected ${nodeString(n)}`);
      this.root.nodes.push(n);
    }
  }

  private parseDefinition(): void {
    const context = 'define clause';
    const name = this.expectOneOf('string', 'rawString', context);
    this.name = this.unquote(name);
    this.expect('rightDelim', context);
    const [root, end] = this.itemList();
    this.root = root;
    if (end.type !== 'end') this.errorf(`unexpected ${nodeString(end)} in ${context}`);
    this.add();
  }

  private itemList(): [ListNode, EndNode | ElseNode] {
    const list: ListNode = { type: 'list', pos: this.peekNonSpace().pos, nodes: [] };
    while (this.peekNonSpace().type !== 'eof') {
      const n = this.textOrAction();
      if (n.type === 'end' || n.type === 'else') return [list, n];
      list.nodes.push(n);
    }
    return this.errorf('unexpected EOF');
  }

  private textOrAction(): Node {
    const token = this.nextNonSpace();
    if (token.type === 'text') return { type: 'text', pos: token.pos, text: token.val };
    if (token.type === 'leftDelim') {
      this.actionLine = token.line;
      try {
        return this.action();
      } finally {
        this.actionLine = 0;
      }
    }
    return this.unexpected(token, 'input');
  }

  private action(): Node {
    const token = this.nextNonSpace();
    switch (token.type) {
      case 'block': return this.blockControl();
      case 'break': return this.breakOrContinue('break', token);
      case 'continue': return this.breakOrContinue('continue', token);
      case 'else': return this.elseControl();
      case 'end': return { type: 'end', pos: this.expect('rightDelim', 'end').pos };
      case 'if': return this.branch('if');
      case 'range': return this.branch('range');
      case 'template': return this.templateControl();
      case 'with': return this.branch('with');
    }
    this.backup();
    const start = this.peek();
    return { type: 'action', pos: start.pos, pipe: this.pipeline('command', 'rightDelim') };
  }

  private breakOrContinue(keyword: 'break' | 'continue', at: Item): Node {
    const token = this.nextNonSpace();
    if (token.type !== 'rightDelim') this.unexpected(token, `{{${keyword}}}`);
    if (this.rangeDepth === 0) this.errorf(`{{${keyword}}} outside {{range}}`);
    return { type: keyword, pos: at.pos };
  }

  private pipeline(context: string, end: ItemType): PipeNode {
    const pipe: PipeNode = { type: 'pipe', pos: this.peekNonSpace().pos, isAssign: false, decl: [], cmds: [] };
    for (let more = true; more; ) {
      more = false;
      const v = this.peekNonSpace();
      if (v.type !== 'variable') break;
      this.next();
      const tokenAfterVariable = this.peek();
      const next = this.peekNonSpace();
      if (next.type === 'assign' || next.type === 'declare') {
        pipe.isAssign = next.type === 'assign';
        this.nextNonSpace();
        pipe.decl.push(this.newVariable(v.pos, v.val));
        this.vars.push(v.val);
      } else if (next.type === 'char' && next.val === ',') {
        this.nextNonSpace();
        pipe.decl.push(this.newVariable(v.pos, v.val));
        this.vars.push(v.val);
        if (context === 'range' && pipe.decl.length < 2) {
          const t = this.peekNonSpace().type;
          if (t === 'variable' || t === 'rightDelim' || t === 'rightParen') {
            more = true;
            continue;
          }
          this.errorf('range can only initialize variables');
        }
        this.errorf(`too many declarations in ${context}`);
      } else if (tokenAfterVariable.type === 'space') this.backup3(v, tokenAfterVariable);
      else this.backup2(v);
    }
    for (;;) {
      const token = this.nextNonSpace();
      if (token.type === end) {
        this.checkPipeline(pipe, context);
        return pipe;
      }
      switch (token.type) {
        case 'bool': case 'charConstant': case 'complex': case 'dot': case 'field': case 'identifier':
        case 'number': case 'nil': case 'rawString': case 'string': case 'variable': case 'leftParen':
          this.backup();
          pipe.cmds.push(this.command());
          break;
        default:
          this.unexpected(token, context);
      }
    }
  }

  private checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`);
    pipe.cmds.slice(1).forEach((c, i) => {
      const t = c.args[0]?.type;
      if (t === 'bool' || t === 'dot' || t === 'nil' || t === 'number' || t === 'string') {
        this.errorf(`non executable command in pipeline stage ${i + 2}`);
      }
    });
  }

  private branch(context: 'if' | 'range' | 'with'): BranchNode {
    const varsLength = this.vars.length;
    try {
      const pipe = this.pipeline(context, 'rightDelim');
      if (context === 'range') this.rangeDepth++;
      const [list, end] = this.itemList();
      let next = end;
      if (context === 'range') this.rangeDepth--;
      let elseList: ListNode | undefined;
      if (next.type === 'else') {
        if ((context === 'if' || context === 'with') && this.peek().type === context) {
          this.next();
          elseList = { type: 'list', pos: next.pos, nodes: [this.branch(context)] };
        } else {
          [elseList, next] = this.itemList();
          if (next.type !== 'end') this.errorf(`expected end; found ${nodeString(next)}`);
        }
      }
      return { type: context, pos: pipe.pos, pipe, list, elseList };
    } finally {
      this.vars.length = varsLength;
    }
  }

  private elseControl(): ElseNode {
    const peek = this.peekNonSpace();
    if (peek.type === 'if' || peek.type === 'with') return { type: 'else', pos: peek.pos };
    return { type: 'else', pos: this.expect('rightDelim', 'else').pos };
  }

  private blockControl(): TemplateNode {
    const context = 'block clause';
    const token = this.nextNonSpace();
    const name = this.parseTemplateName(token, context);
    const pipe = this.pipeline(context, 'rightDelim');
    const block = new Parser(name, this.set, this.lex, this.functions);
    const [root, end] = block.itemList();
    block.root = root;
    if (end.type !== 'end') this.errorf(`unexpected ${nodeString(end)} in ${context}`);
    block.add();
    return { type: 'template', pos: token.pos, name, pipe };
  }

  private templateControl(): TemplateNode {
    const context = 'template clause';
    const token = this.nextNonSpace();
    const name = this.parseTemplateName(token, context);
    let pipe: PipeNode | undefined;
    if (this.nextNonSpace().type !== 'rightDelim') {
      this.backup();
      pipe = this.pipeline(context, 'rightDelim');
    }
    return { type: 'template', pos: token.pos, name, pipe };
  }

  private parseTemplateName(token: Item, context: string): string {
    if (token.type === 'string' || token.type === 'rawString') return this.unquote(token);
    return this.unexpected(token, context);
  }

  private command(): CommandNode {
    const cmd: CommandNode = { type: 'command', pos: this.peekNonSpace().pos, args: [] };
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand) cmd.args.push(operand);
      const token = this.next();
      if (token.type === 'space') continue;
      if (token.type === 'rightDelim' || token.type === 'rightParen') this.backup();
      else if (token.type !== 'pipe') this.unexpected(token, 'operand');
      break;
    }
    if (cmd.args.length === 0) this.errorf('empty command');
    return cmd;
  }

  private operand(): Node | undefined {
    let node = this.term();
    if (!node) return undefined;
    if (this.peek().type === 'field') {
      const pos = this.peek().pos;
      const field: string[] = [];
      while (this.peek().type === 'field') field.push(this.next().val.slice(1));
      switch (node.type) {
        case 'field':
          node = { type: 'field', pos, ident: [...node.ident, ...field] };
          break;
        case 'variable':
          node = this.newVariable(pos, [...node.ident, ...field].join('.'));
          break;
        case 'bool': case 'string': case 'number': case 'nil': case 'dot':
          this.errorf(`unexpected . after term ${goQuote(nodeString(node))}`);
          break;
        default:
          node = { type: 'chain', pos, node, field };
      }
    }
    return node;
  }

  private term(): Node | undefined {
    const token = this.nextNonSpace();
    switch (token.type) {
      case 'identifier':
        if (!this.functions.has(token.val)) this.errorf(`function ${goQuote(token.val)} not defined`);
        return { type: 'identifier', pos: token.pos, ident: token.val };
      case 'dot': return { type: 'dot', pos: token.pos };
      case 'nil': return { type: 'nil', pos: token.pos };
      case 'variable': return this.useVar(token.pos, token.val);
      case 'field': return { type: 'field', pos: token.pos, ident: token.val.slice(1).split('.') };
      case 'bool': return { type: 'bool', pos: token.pos, value: token.val === 'true' };
      case 'charConstant':
      case 'complex':
      case 'number': return this.newNumber(token);
      case 'leftParen': return this.pipeline('parenthesized pipeline', 'rightParen');
      case 'string':
      case 'rawString': return { type: 'string', pos: token.pos, quoted: token.val, text: this.unquote(token) };
    }
    this.backup();
    return undefined;
  }

  private newVariable(pos: number, ident: string): VariableNode {
    return { type: 'variable', pos, ident: ident.split('.') };
  }

  private useVar(pos: number, name: string): VariableNode {
    const v = this.newVariable(pos, name);
    if (!this.vars.includes(v.ident[0]!)) this.errorf(`undefined variable ${goQuote(v.ident[0]!)}`);
    return v;
  }

  /** parse.newNumber: the number under every Go type that can hold it. */
  private newNumber(token: Item): NumberNode {
    const text = token.val;
    const n: NumberNode = {
      type: 'number', pos: token.pos, text, isInt: false, isUint: false, isFloat: false, isComplex: false,
      int: 0n, uint: 0n, float: 0, complex: [0, 0],
    };
    if (token.type === 'charConstant') {
      let r: { value: number; tail: string };
      try {
        r = unquoteChar(text.slice(1), text[0]!);
      } catch (e) {
        if (e instanceof InvalidSyntaxError) return this.errorf(e.message);
        throw e;
      }
      if (r.tail !== "'") this.errorf(`malformed character constant: ${text}`);
      Object.assign(n, { isInt: true, isUint: true, isFloat: true, int: BigInt(r.value), uint: BigInt(r.value), float: r.value });
      return n;
    }
    if (token.type === 'complex' || text.endsWith('i')) {
      const [reText, imText] = token.type === 'complex' ? splitComplex(text) : ['0', text.slice(0, -1)];
      const re = parseFloat64(reText);
      const im = parseFloat64(imText);
      if (re === undefined || im === undefined) return this.errorf(`illegal number syntax: ${goQuote(text)}`);
      n.isComplex = true;
      n.complex = [re, im];
      if (im === 0) {
        n.isFloat = true;
        n.float = re;
        this.integerFromFloat(n);
      }
      return n;
    }
    const u = parseUint(text);
    if (u !== undefined) {
      n.isUint = true;
      n.uint = u;
    }
    const i = parseInt64(text);
    if (i !== undefined) {
      n.isInt = true;
      n.int = i;
      if (i === 0n) {
        n.isUint = true;
        n.uint = 0n;
      }
    }
    if (n.isInt) {
      n.isFloat = true;
      n.float = Number(n.int);
    } else if (n.isUint) {
      n.isFloat = true;
      n.float = Number(n.uint);
    } else {
      const f = parseFloat64(text);
      if (f !== undefined) {
        if (!/[.eEpP]/.test(text)) this.errorf(`integer overflow: ${goQuote(text)}`);
        n.isFloat = true;
        n.float = f;
        this.integerFromFloat(n);
      }
    }
    if (!n.isInt && !n.isUint && !n.isFloat) this.errorf(`illegal number syntax: ${goQuote(text)}`);
    return n;
  }

  /** The int and uint a float constant also is, when it is integral and in range. */
  private integerFromFloat(n: NumberNode): void {
    const f = n.float;
    if (!n.isInt && Number.isInteger(f) && f >= -(2 ** 63) && f < 2 ** 63) {
      n.isInt = true;
      n.int = BigInt(f);
    }
    if (!n.isUint && Number.isInteger(f) && f >= 0 && f < 2 ** 64) {
      n.isUint = true;
      n.uint = BigInt(f);
    }
  }
}
