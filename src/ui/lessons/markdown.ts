/**
 * The lesson player's Markdown renderer: `marked`'s lexer reads the text into tokens, and this file turns
 * each token into React elements itself — no HTML string is ever produced or injected
 * (no dangerouslySetInnerHTML, no innerHTML), so a lesson file, shipped or imported, cannot run code:
 * - raw HTML (block `html` and inline `tag` tokens) is shown as its literal text;
 * - a link is a link only to an absolute http:, https: or mailto: address, opened in a new tab with
 *   rel="noopener noreferrer"; any other (javascript:, data:, relative) shows its text only;
 * - images are shown as their alt text (a lesson is offline, and a remote image would leak the student);
 * - headings inside a step become h4–h6 (the player's own headings come first).
 * marked escapes the text it tokenizes for HTML output; the renderer decodes those entities, since React
 * escapes what it renders.
 */
import { createElement, Fragment, type ReactNode } from 'react';
import { Lexer, type Token, type Tokens } from 'marked';

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

/** Undo marked's HTML escaping of a token's text. */
export function unescapeEntities(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39);/g, (m) => ENTITIES[m]!);
}

/** The address a link may point at, or undefined when it must not be a link. */
export function safeHref(href: string | undefined | null): string | undefined {
  if (typeof href !== 'string') return undefined;
  const decoded = unescapeEntities(href).trim();
  let url: URL;
  try {
    url = new URL(decoded);
  } catch {
    return undefined; // Relative or malformed: a lesson has no pages of its own to point at.
  }
  return url.protocol === 'http:' || url.protocol === 'https:' || url.protocol === 'mailto:' ? url.href : undefined;
}

const el = (type: string, key: number | string, props: Record<string, unknown> | null, ...children: ReactNode[]) => createElement(type, { key, ...props }, ...children);
const frag = (key: number, children: ReactNode[]) => createElement(Fragment, { key }, ...children);

function inline(tokens: readonly Token[] | undefined): ReactNode[] {
  return (tokens ?? []).map((token, i) => inlineToken(token, i));
}

function inlineToken(token: Token, key: number): ReactNode {
  const t = token as Tokens.Generic;
  switch (t.type) {
    case 'text':
      return t.tokens && t.tokens.length > 0 ? frag(key, inline(t.tokens)) : unescapeEntities(String(t.text));
    case 'escape':
      return unescapeEntities(String(t.text));
    case 'strong':
      return el('strong', key, null, ...inline(t.tokens));
    case 'em':
      return el('em', key, null, ...inline(t.tokens));
    case 'del':
      return el('del', key, null, ...inline(t.tokens));
    case 'codespan':
      return el('code', key, null, unescapeEntities(String(t.text)));
    case 'br':
      return el('br', key, null);
    case 'link': {
      const href = safeHref((t as Tokens.Link).href);
      const children = inline(t.tokens);
      if (href === undefined) return el('span', key, { className: 'lesson-link-refused' }, ...children);
      return el('a', key, { href, target: '_blank', rel: 'noopener noreferrer' }, ...children);
    }
    case 'image':
      return unescapeEntities(String(t.text ?? ''));
    case 'html':
    case 'tag':
      // Raw HTML is data: shown as it was written.
      return String(t.raw);
    default:
      return String(t.raw ?? '');
  }
}

function block(token: Token, key: number): ReactNode {
  const t = token as Tokens.Generic;
  switch (t.type) {
    case 'space':
    case 'def':
      return null;
    case 'paragraph':
      return el('p', key, null, ...inline(t.tokens));
    case 'text':
      // A list item's loose text: inline content, or block content when it has tokens of its own.
      return t.tokens ? frag(key, inline(t.tokens)) : unescapeEntities(String(t.text));
    case 'heading':
      return el(`h${Math.min(6, Math.max(4, (t as Tokens.Heading).depth + 2))}`, key, null, ...inline(t.tokens));
    case 'code': {
      const code = t as Tokens.Code;
      return el('pre', key, { className: 'lesson-code' }, el('code', 0, code.lang ? { 'data-lang': code.lang } : null, code.text));
    }
    case 'blockquote':
      return el('blockquote', key, null, ...blocks(t.tokens));
    case 'list': {
      const list = t as Tokens.List;
      const items = list.items.map((item, i) => el('li', i, null, ...(item.task ? [el('input', 'task', { type: 'checkbox', checked: item.checked === true, disabled: true, readOnly: true })] : []), ...blocks(item.tokens.filter((x) => x.type !== 'checkbox'))));
      return list.ordered ? el('ol', key, typeof list.start === 'number' && list.start !== 1 ? { start: list.start } : null, ...items) : el('ul', key, null, ...items);
    }
    case 'table': {
      const table = t as Tokens.Table;
      const align = (a: string | null) => (a ? { style: { textAlign: a } } : null);
      return el(
        'table',
        key,
        null,
        el('thead', 'h', null, el('tr', 0, null, ...table.header.map((cell, i) => el('th', i, align(cell.align), ...inline(cell.tokens))))),
        el('tbody', 'b', null, ...table.rows.map((row, r) => el('tr', r, null, ...row.map((cell, i) => el('td', i, align(cell.align), ...inline(cell.tokens)))))),
      );
    }
    case 'hr':
      return el('hr', key, null);
    case 'html':
      // Raw HTML is data: shown as the text it is.
      return el('p', key, { className: 'lesson-raw' }, String(t.raw).replace(/\n+$/, ''));
    default:
      return inlineToken(token, key);
  }
}

function blocks(tokens: readonly Token[] | undefined): ReactNode[] {
  return (tokens ?? []).map((token, i) => block(token, i)).filter((n) => n !== null);
}

/** A lesson's Markdown as React elements. */
export function renderMarkdown(text: string): ReactNode[] {
  return blocks(new Lexer({ gfm: true, breaks: false }).lex(text));
}

/** One line of a lesson's Markdown (a quiz's question, choices and explanations) as inline React elements. */
export function renderInline(text: string): ReactNode[] {
  return inline(Lexer.lexInline(text, { gfm: true, breaks: false }));
}
