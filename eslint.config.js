// ESLint (flat config): typescript-eslint's recommended rules, readable sizes, no import cycles,
// and the import direction of the source tree, ops <- gpu <- model <- worker <- ui:
//   src/ops    imports nothing of ours outside src/ops;
//   src/gpu    imports only src/gpu, src/ops and shaders/;
//   src/model  never imports src/worker or src/ui;
//   src/worker never imports src/ui;
//   src/ui     reaches the engine only through the worker protocol (type imports are fine).
// Type-only imports never make a cycle (they are erased), so no-cycle follows value imports only.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { importX } from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** A zone of import-x/no-restricted-paths: files under `target` may not import from `from`. */
function forbid(target, from, why) {
  return { target, from, message: why };
}

const direction = [
  forbid('./src/ops', ['./src/gpu', './src/model', './src/worker', './src/ui', './src/data', './shaders'], 'src/ops imports nothing of ours outside src/ops.'),
  forbid('./src/gpu', ['./src/model', './src/worker', './src/ui', './src/data'], 'src/gpu imports only src/gpu, src/ops and shaders/.'),
  forbid('./src/model', ['./src/worker', './src/ui'], 'src/model never imports src/worker or src/ui.'),
  forbid('./src/worker', ['./src/ui'], 'src/worker never imports src/ui.'),
];

export default defineConfig(
  { ignores: ['node_modules/', 'dist/', 'public/', 'shared/', '**/*.d.ts', 'src/ops/wasm/assembly/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      'import-x/no-cycle': 'error',
      'import-x/no-restricted-paths': ['error', { zones: direction }],
      'max-lines': ['error', { max: 300 }],
      'max-lines-per-function': ['error', { max: 80 }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: ['src/ui/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [{
          regex: '(^|/)(gpu|model/train)/',
          allowTypeImports: true,
          message: 'The UI reaches the engine only through the worker protocol (type imports are fine).',
        }],
      }],
    },
  },
);
