import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resourceOf } from './name.ts';
import { NO_RESOURCES_FOUND, joinTables, noResourcesFoundInNamespace, printTable, type Table, type TablePrintOptions } from './tablePrinter.ts';

/**
 * testdata/tables.json: `kubectl get …` (the real kubectl 1.32) against a stub apiserver that answered
 * with exactly these metav1.Table objects; stdout and stderr are what kubectl printed.
 */
interface Case {
  args: string;
  tables: Table[];
  options: TablePrintOptions;
  stdout: string;
  stderr: string;
}

const cases = JSON.parse(readFileSync(new URL('./testdata/tables.json', import.meta.url), 'utf8')) as Case[];

describe('printTable, as kubectl get 1.32 prints server tables', () => {
  it.each(cases.map((c) => [c.args, c] as const))('kubectl %s', (_args, c) => {
    // The kind each table lists, as the caller knows it from the request (here: from its rows).
    const inputs = c.tables.map((table) => {
      const obj = table.rows?.[0]?.object as { apiVersion: string; kind: string } | undefined;
      return obj ? { table, kind: resourceOf(obj.apiVersion, obj.kind) } : table;
    });
    const pieces = printTable(inputs, c.options);
    expect(joinTables(pieces, c.options)).toBe(c.stdout);
    if (pieces.length === 0) expect(noResourcesFoundInNamespace('empty')).toBe(c.stderr);
    else expect(c.stderr).toBe('');
  });

  it('has the message for all namespaces', () => {
    expect(NO_RESOURCES_FOUND).toBe('No resources found\n');
  });

});
