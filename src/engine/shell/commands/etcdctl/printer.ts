/**
 * etcdctl's output formats (etcdctl/ctlv3/command/printer*.go, 3.5): the pieces each command's printer
 * is built from — Go's JSON of the v3 API responses (base64 keys and values, uint64 IDs as numbers,
 * omitempty fields left out), the `fields` printer's `"Name" : value` lines with Go's %q quoting, the
 * tablewriter tables etcdctl draws (centered upper-case headers, right-aligned cells) and go-humanize's
 * byte sizes.
 */
import { encodeBase64Text } from '../../../base/base64.ts';
import type { KeyValue, ResponseHeader } from '../../../etcd/index.ts';

/** A JSON value as Go's encoding/json writes it: bigint for uint64/int64, undefined for omitted fields. */
export type GoJson = string | number | bigint | boolean | null | GoJson[] | { [key: string]: GoJson | undefined };

/** Go's json.Marshal: no spaces, HTML characters escaped, bigints as plain numbers. */
export function goJson(value: GoJson): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    case 'number':
    case 'bigint':
    case 'boolean':
      return String(value);
  }
  if (Array.isArray(value)) return `[${value.map(goJson).join(',')}]`;
  const fields: string[] = [];
  for (const [k, v] of Object.entries(value)) if (v !== undefined) fields.push(`${goJson(k)}:${goJson(v)}`);
  return `{${fields.join(',')}}`;
}

/** A field Go leaves out when it is the zero value (`json:",omitempty"`). */
export function omitEmpty<T extends GoJson>(value: T): T | undefined {
  if (value === 0 || value === 0n || value === '' || value === false) return undefined;
  if (Array.isArray(value) && value.length === 0) return undefined;
  return value;
}



/** pb.ResponseHeader as JSON. */
export function headerJson(h: ResponseHeader): GoJson {
  return { cluster_id: omitEmpty(h.clusterId), member_id: omitEmpty(h.memberId), revision: omitEmpty(h.revision), raft_term: omitEmpty(h.raftTerm) };
}

/** mvccpb.KeyValue as JSON. */
export function kvJson(kv: KeyValue): GoJson {
  return {
    key: omitEmpty(encodeBase64Text(kv.key)),
    create_revision: omitEmpty(kv.createRevision),
    mod_revision: omitEmpty(kv.modRevision),
    version: omitEmpty(kv.version),
    value: omitEmpty(encodeBase64Text(kv.value)),
    lease: omitEmpty(kv.lease),
  };
}

/** The `fields` printer's header lines. */
export function headerFields(h: ResponseHeader): string {
  return `"ClusterID" : ${h.clusterId}\n"MemberID" : ${h.memberId}\n"Revision" : ${h.revision}\n"RaftTerm" : ${h.raftTerm}\n`;
}

/** The `fields` printer's lines for one KeyValue, names prefixed with `pfx` ("" or "Prev"). */
export function kvFields(pfx: string, kv: KeyValue): string {
  return (
    `"${pfx}Key" : ${goQuote(kv.key)}\n"${pfx}CreateRevision" : ${kv.createRevision}\n"${pfx}ModRevision" : ${kv.modRevision}\n` +
    `"${pfx}Version" : ${kv.version}\n"${pfx}Value" : ${goQuote(kv.value)}\n"${pfx}Lease" : ${kv.lease}\n`
  );
}

/** Go's %q (strconv.Quote) for the characters keys and values hold. */
export function goQuote(text: string): string {
  let out = '"';
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (c === 7) out += '\\a';
    else if (c === 8) out += '\\b';
    else if (c === 12) out += '\\f';
    else if (c === 11) out += '\\v';
    else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else if (c >= 0x80 && c < 0xa0) out += '\\u' + c.toString(16).padStart(4, '0');
    else out += ch;
  }
  return out + '"';
}

/** go-humanize's Bytes: SI units, one decimal under 10 ("20 kB", "2.1 MB", "9 B"). */
export function humanizeBytes(n: number): string {
  if (n < 10) return `${n} B`;
  const sizes = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB'];
  const e = Math.floor(Math.log(n) / Math.log(1000));
  const val = Math.floor((n / 1000 ** e) * 10 + 0.5) / 10;
  return `${val < 10 ? val.toFixed(1) : goRound(val)} ${sizes[e]}`;
}

/** Go's %.0f: an exact half rounds to even. */
function goRound(x: number): string {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff === 0.5) return String(floor % 2 === 0 ? floor : floor + 1);
  return String(Math.round(x));
}

/** olekukonko/tablewriter with etcdctl's settings: headers upper-cased and centered, cells right-aligned. */
export function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const titles = header.map((h) => h.toUpperCase());
  const widths = titles.map((t, i) => Math.max(t.length, ...rows.map((r) => (r[i] ?? '').length)));
  const border = '+' + widths.map((w) => '-'.repeat(w + 2)).join('+') + '+\n';
  const line = (cells: string[]) => '| ' + cells.join(' | ') + ' |\n';
  const center = (s: string, w: number) => {
    const gap = w - s.length;
    const left = Math.floor(gap / 2);
    return ' '.repeat(left) + s + ' '.repeat(gap - left);
  };
  let out = border + line(titles.map((t, i) => center(t, widths[i]!))) + border;
  for (const row of rows) out += line(widths.map((w, i) => (row[i] ?? '').padStart(w)));
  return out + border;
}
