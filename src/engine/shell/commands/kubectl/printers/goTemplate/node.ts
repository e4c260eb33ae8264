/**
 * text/template/parse's parse tree (node.go): the node kinds and their String forms, which Go's
 * execution errors quote as the place they failed (`executing "output" at <.spec.replicas.x>`).
 * Positions are offsets into the template text.
 *
 * Left out: comment nodes (kubectl parses without keeping comments).
 */
import { goQuote } from '../goFormat.ts';

export interface ListNode { readonly type: 'list'; readonly pos: number; readonly nodes: Node[] }
export interface TextNode { readonly type: 'text'; readonly pos: number; readonly text: string }
export interface PipeNode {
  readonly type: 'pipe';
  readonly pos: number;
  isAssign: boolean;
  readonly decl: VariableNode[];
  readonly cmds: CommandNode[];
}
export interface ActionNode { readonly type: 'action'; readonly pos: number; readonly pipe: PipeNode }
export interface CommandNode { readonly type: 'command'; readonly pos: number; readonly args: Node[] }
export interface IdentifierNode { readonly type: 'identifier'; readonly pos: number; readonly ident: string }
export interface VariableNode { readonly type: 'variable'; readonly pos: number; readonly ident: string[] }
export interface DotNode { readonly type: 'dot'; readonly pos: number }
export interface NilNode { readonly type: 'nil'; readonly pos: number }
export interface FieldNode { readonly type: 'field'; readonly pos: number; readonly ident: string[] }
export interface ChainNode { readonly type: 'chain'; readonly pos: number; readonly node: Node; readonly field: string[] }
export interface BoolNode { readonly type: 'bool'; readonly pos: number; readonly value: boolean }
export interface NumberNode {
  readonly type: 'number';
  readonly pos: number;
  readonly text: string;
  isInt: boolean;
  isUint: boolean;
  isFloat: boolean;
  isComplex: boolean;
  int: bigint;
  uint: bigint;
  float: number;
  complex: [number, number];
}
export interface StringNode { readonly type: 'string'; readonly pos: number; readonly quoted: string; readonly text: string }
export interface BranchNode {
  readonly type: 'if' | 'range' | 'with';
  readonly pos: number;
  readonly pipe: PipeNode;
  readonly list: ListNode;
  readonly elseList: ListNode | undefined;
}
export interface TemplateNode { readonly type: 'template'; readonly pos: number; readonly name: string; readonly pipe: PipeNode | undefined }
export interface BreakNode { readonly type: 'break'; readonly pos: number }
export interface ContinueNode { readonly type: 'continue'; readonly pos: number }
/** `{{end}}` and `{{else}}`: they end a list while parsing and never reach the tree. */
export interface EndNode { readonly type: 'end'; readonly pos: number }
export interface ElseNode { readonly type: 'else'; readonly pos: number }

export type Node =
  | ListNode | TextNode | PipeNode | ActionNode | CommandNode | IdentifierNode | VariableNode | DotNode | NilNode
  | FieldNode | ChainNode | BoolNode | NumberNode | StringNode | BranchNode | TemplateNode | BreakNode | ContinueNode
  | EndNode | ElseNode;

function pipeString(p: PipeNode): string {
  let out = '';
  if (p.decl.length > 0) out += `${p.decl.map(nodeString).join(', ')} := `;
  return out + p.cmds.map(nodeString).join(' | ');
}

/** Node.String(). */
export function nodeString(n: Node): string {
  switch (n.type) {
    case 'list': return n.nodes.map(nodeString).join('');
    case 'text': return n.text;
    case 'pipe': return pipeString(n);
    case 'action': return `{{${pipeString(n.pipe)}}}`;
    case 'command': return n.args.map((a) => (a.type === 'pipe' ? `(${pipeString(a)})` : nodeString(a))).join(' ');
    case 'identifier': return n.ident;
    case 'variable': return n.ident.join('.');
    case 'dot': return '.';
    case 'nil': return 'nil';
    case 'field': return n.ident.map((id) => `.${id}`).join('');
    case 'chain': {
      const head = n.node.type === 'pipe' ? `(${nodeString(n.node)})` : nodeString(n.node);
      return head + n.field.map((f) => `.${f}`).join('');
    }
    case 'bool': return n.value ? 'true' : 'false';
    case 'number': return n.text;
    case 'string': return n.quoted;
    case 'if':
    case 'range':
    case 'with': {
      const elseList = n.elseList ? `{{else}}${nodeString(n.elseList)}` : '';
      return `{{${n.type} ${pipeString(n.pipe)}}}${nodeString(n.list)}${elseList}{{end}}`;
    }
    case 'template': return `{{template ${goQuote(n.name)}${n.pipe ? ` ${pipeString(n.pipe)}` : ''}}}`;
    case 'break': return '{{break}}';
    case 'continue': return '{{continue}}';
    case 'end': return '{{end}}';
    case 'else': return '{{else}}';
  }
}
