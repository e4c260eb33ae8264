/**
 * Which Kubernetes kinds a YAML file holds, and the one JSON Schema the YAML language server should check
 * it against. The server applies one schema to every document of a file, so:
 * - a file whose documents are all one kind gets that kind's schema as it is;
 * - a file of several kinds gets `allOf` one `if`/`then` per kind: each document is checked against the
 *   schema of its own apiVersion and kind (the kinds' definitions merged: they share names and content);
 * - documents without a known apiVersion and kind are left unchecked (no schema, or no branch matches).
 *
 * `manifestKinds` reads only the top-level `apiVersion:` and `kind:` lines of each document (split at `---`
 * lines), so it works on a file that does not parse yet, as one being typed rarely does.
 */

export interface KindRef {
  apiVersion: string;
  kind: string;
}

/** A JSON Schema as jsonSchemaFor (the worker) gives it: a root $ref and its definitions. */
export interface KindSchema {
  $ref?: string;
  title?: string;
  definitions?: Record<string, unknown>;
  [key: string]: unknown;
}

const scalar = (line: string, key: string): string | undefined => {
  const m = new RegExp(`^${key}:[ \\t]*(?:"([^"]*)"|'([^']*)'|([^\\s#]+))[ \\t]*(?:#.*)?$`).exec(line);
  return m ? (m[1] ?? m[2] ?? m[3]) : undefined;
};

/** The distinct apiVersion/kind pairs of the documents of `text`, in order of first appearance. */
export function manifestKinds(text: string): KindRef[] {
  const out: KindRef[] = [];
  let apiVersion: string | undefined;
  let kind: string | undefined;
  const flush = () => {
    if (apiVersion !== undefined && kind !== undefined && !out.some((k) => k.apiVersion === apiVersion && k.kind === kind)) out.push({ apiVersion, kind });
    apiVersion = undefined;
    kind = undefined;
  };
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (/^---(\s|$)/.test(line) || /^\.\.\.\s*$/.test(line)) {
      flush();
      continue;
    }
    apiVersion = scalar(line, 'apiVersion') ?? apiVersion;
    kind = scalar(line, 'kind') ?? kind;
  }
  flush();
  return out;
}

/** The schema for a file holding `kinds`, from each kind's schema (undefined: unknown kind); undefined when none is known. */
export function fileSchema(kinds: readonly KindRef[], schemaOf: (k: KindRef) => KindSchema | undefined): KindSchema | undefined {
  const known = kinds.map((k) => ({ ref: k, schema: schemaOf(k) })).filter((k): k is { ref: KindRef; schema: KindSchema } => k.schema !== undefined);
  if (known.length === 0) return undefined;
  if (known.length === 1) return known[0]!.schema;
  const definitions: Record<string, unknown> = {};
  for (const { schema } of known) Object.assign(definitions, schema.definitions);
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: known.map((k) => k.schema.title ?? k.ref.kind).join(', '),
    definitions,
    allOf: known.map(({ ref, schema }) => ({
      if: { properties: { apiVersion: { const: ref.apiVersion }, kind: { const: ref.kind } }, required: ['apiVersion', 'kind'] },
      then: { $ref: schema.$ref },
    })),
  };
}
