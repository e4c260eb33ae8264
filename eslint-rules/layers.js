// kubelab/layers — which folder may import which (../shared/DESIGN.md, "Rules of the house").
// Imports are resolved against the importing file, so `../engine/client.ts` from src/ui/terminal (the
// UI's own bridge) and `../../engine/base/clock.ts` (the engine) are told apart by where they land.
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

/** The layer a file belongs to: engine, ui, workers, lessons, cli, or null. */
function layerOf(file) {
  const rel = path.relative(root, file).split(path.sep).join('/');
  const m = /^src\/(engine|ui|workers|lessons|cli)\//.exec(rel);
  return m ? m[1] : null;
}

const ENGINE_MAY_NOT = {
  ui: 'src/engine must not import the UI: the UI renders engine state it receives from the worker.',
  workers: 'src/engine must not import src/workers: the worker wraps the engine, not the other way round.',
  lessons: 'src/engine must not import lessons: lessons are data evaluated through the worker API.',
};

/** True when every binding the declaration brings in is a type (`import type`, or `import { type A }`). */
function typeOnly(node) {
  if (node.importKind === 'type' || node.exportKind === 'type') return true;
  const specifiers = node.specifiers ?? [];
  return specifiers.length > 0 && specifiers.every((s) => s.importKind === 'type' || s.exportKind === 'type');
}

export default {
  rules: {
    layers: {
      meta: {
        type: 'problem',
        docs: { description: 'Keep the engine pure and the UI talking to it only through the worker' },
        schema: [],
      },
      create(context) {
        const from = layerOf(context.filename);
        if (from !== 'engine' && from !== 'ui') return {};
        const check = (node, source, isTypeOnly) => {
          if (typeof source !== 'string' || !source.startsWith('.')) return;
          const to = layerOf(path.resolve(path.dirname(context.filename), source));
          if (from === 'engine' && to && ENGINE_MAY_NOT[to]) context.report({ node, message: ENGINE_MAY_NOT[to] });
          if (from === 'ui' && to === 'engine' && !isTypeOnly) {
            context.report({ node, message: 'The UI may import engine types only (`import type`): it talks to the engine through src/ui/engine/client.ts and the worker.' });
          }
        };
        return {
          ImportDeclaration: (node) => check(node, node.source.value, typeOnly(node)),
          ExportNamedDeclaration: (node) => node.source && check(node, node.source.value, typeOnly(node)),
          ExportAllDeclaration: (node) => check(node, node.source.value, node.exportKind === 'type'),
          ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value, false),
        };
      },
    },
  },
};
