// Lint is where the house rules live (../shared/DESIGN.md): the engine is pure and deterministic, and
// layers import only what they may. eslint.config.test.ts proves each rule fires on a probe file.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import kubelab from './eslint-rules/layers.js';

const engineFiles = ['src/engine/**/*.ts'];

/** Packages the engine may not import: it runs in a Worker and in Node, and knows nothing of the UI. */
const engineForbiddenImports = [
  { group: ['react', 'react-dom', 'react/**', 'react-dom/**'], message: 'src/engine must not import React: it has no DOM.' },
  { group: ['d3', 'd3-*'], message: 'src/engine must not import d3: diagrams draw engine state in the UI.' },
  { group: ['@xterm/*', 'xterm', 'xterm-*'], message: 'src/engine must not import xterm: the terminal lives in the UI and talks to a shell session through the worker.' },
  { group: ['monaco-editor', 'monaco-editor/**'], message: 'src/engine must not import Monaco: the editor lives in the UI.' },
  { group: ['comlink'], message: 'src/engine must not import comlink: only src/workers/engine.worker.ts exposes the engine.' },
];

export default tseslint.config(
  { ignores: ['dist/', 'dev-dist/', 'node_modules/', 'test-results/', 'playwright-report/', 'bench/out/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['src/cli/**/*.ts', 'bench/**/*.ts', 'e2e/**/*.ts', '*.js', '*.ts', 'bin/**/*.js'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['src/ui/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
    },
  },
  {
    // Layers (kubelab/layers): the engine imports no UI, worker or lesson code; the UI imports engine
    // types only. Tests may reach across to check a contract from both sides.
    files: ['src/engine/**/*.ts', 'src/ui/**/*.{ts,tsx}'],
    ignores: ['**/*.test.ts', '**/*.test.tsx'],
    plugins: { kubelab },
    rules: { 'kubelab/layers': 'error' },
  },
  {
    files: ['src/workers/**/*.ts'],
    languageOptions: { globals: { ...globals.worker } },
  },
  {
    files: engineFiles,
    ignores: ['src/engine/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: engineForbiddenImports }],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'src/engine runs on virtual time: use clock.now().' },
        { object: 'Math', property: 'random', message: 'src/engine is deterministic: use a SeededRng (rng.next(), rng.int(n)).' },
        { object: 'performance', property: 'now', message: 'src/engine runs on virtual time: use clock.now(); measure speed in bench/.' },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'src/engine runs on virtual time: use new Date(clock.now()).' },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: 'src/engine schedules on virtual time: use clock.after(ms, fn).' },
        { name: 'setInterval', message: 'src/engine schedules on virtual time: use clock.every(ms, fn).' },
        { name: 'window', message: 'src/engine has no DOM: it runs in a Worker and in Node.' },
        { name: 'document', message: 'src/engine has no DOM: it runs in a Worker and in Node.' },
      ],
    },
  },
);
