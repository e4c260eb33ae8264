import { createElement, Fragment } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { renderInline, renderMarkdown, safeHref, unescapeEntities } from './markdown.ts';

const html = (text: string) => renderToStaticMarkup(createElement(Fragment, null, ...renderMarkdown(text)));

describe('renderMarkdown', () => {
  it('renders prose: paragraphs, emphasis, code, lists, code blocks', () => {
    const out = html('Run **this** and *that*, then `docker ps`.\n\n- one\n- two\n\n```bash\necho "hi" && ls\n```\n');
    expect(out).toContain('<p>Run <strong>this</strong> and <em>that</em>, then <code>docker ps</code>.</p>');
    expect(out).toContain('<ul><li>one</li><li>two</li></ul>');
    expect(out).toContain('<pre class="lesson-code"><code data-lang="bash">echo &quot;hi&quot; &amp;&amp; ls</code></pre>');
  });

  it('shows a <script> block as text, never as an element', () => {
    const out = html('Before\n\n<script>alert(1)</script>\n\nAfter');
    expect(out).not.toContain('<script>');
    expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('shows inline raw HTML as text', () => {
    const out = html('a <img src=x onerror="alert(1)"> b <b>bold</b>');
    expect(out).not.toMatch(/<img|<b>/);
    expect(out).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;');
    expect(out).toContain('&lt;b&gt;bold&lt;/b&gt;');
  });

  it('keeps entities the author wrote as the characters they stand for, never as markup', () => {
    expect(html('x &lt;script&gt; y')).toContain('x &lt;script&gt; y');
    expect(html('a & b < c')).toContain('a &amp; b &lt; c');
  });

  it('makes http, https and mailto links open safely in a new tab', () => {
    const out = html('[docs](https://kubernetes.io/docs/) and <mailto:a@example.com>');
    expect(out).toContain('<a href="https://kubernetes.io/docs/" target="_blank" rel="noopener noreferrer">docs</a>');
    expect(out).toContain('href="mailto:a@example.com"');
  });

  it('does not make javascript:, data: or relative links into links', () => {
    for (const md of ['[click](javascript:alert(1))', '[click](JaVaScRiPt:alert(1))', '[click](data:text/html,<script>alert(1)</script>)', '[click](../secret)', '<javascript:alert(1)>']) {
      const out = html(md);
      expect(out, md).not.toContain('<a');
      expect(out, md).not.toContain('href');
    }
    expect(html('[click](javascript:alert(1))')).toContain('click');
  });

  it('shows an image as its alt text only', () => {
    const out = html('![a diagram](https://example.com/x.png)');
    expect(out).not.toContain('<img');
    expect(out).toContain('a diagram');
  });

  it('renders headings below the player’s own, and tables', () => {
    expect(html('### Note')).toBe('<h5>Note</h5>');
    const table = html('| a | b |\n|---|--:|\n| 1 | 2 |');
    expect(table).toContain('<th>a</th>');
    expect(table).toContain('<td style="text-align:right">2</td>');
  });
});

describe('safeHref', () => {
  it('accepts only absolute http, https and mailto addresses', () => {
    expect(safeHref('https://example.com/a?b=1&amp;c=2')).toBe('https://example.com/a?b=1&c=2');
    expect(safeHref(' javascript:alert(1)')).toBeUndefined();
    expect(safeHref('vbscript:x')).toBeUndefined();
    expect(safeHref('/local')).toBeUndefined();
    expect(safeHref(undefined)).toBeUndefined();
  });
});

describe('unescapeEntities', () => {
  it('undoes exactly the escaping marked applies', () => {
    expect(unescapeEntities('&lt;a href=&quot;x&quot;&gt; &amp;lt; &#39;')).toBe('<a href="x"> &lt; \'');
  });
});

describe('renderInline', () => {
  it('renders inline Markdown and keeps raw HTML as text', () => {
    const out = renderToStaticMarkup(createElement(Fragment, null, ...renderInline('Is `PID 1` <b>special</b>? [x](javascript:alert(1))')));
    expect(out).toBe('Is <code>PID 1</code> &lt;b&gt;special&lt;/b&gt;? <span class="lesson-link-refused">x</span>');
  });
});
