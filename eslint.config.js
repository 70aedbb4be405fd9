import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.weft/**', 'test-results/**', 'webui/public/vendor/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.js', 'bin/*.js', 'bin/*.mjs', 'webui/public/*.js'] } },
    },
    rules: {
      // A dropped promise in a heartbeat loop is a silent bug.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
    },
  },
  {
    // The plain-JS launchers and the build script run on Node before any TypeScript is compiled.
    files: ['bin/*.js', 'bin/*.mjs'],
    languageOptions: { globals: Object.fromEntries(['process', 'console', 'URL', 'performance'].map((g) => [g, 'readonly'])) },
  },
  {
    // The web UI's browser modules: plain JS with JSDoc, no build step; linted without type information.
    files: ['webui/public/**/*.js'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: {
      sourceType: 'module',
      globals: Object.fromEntries(
        ['window', 'document', 'location', 'history', 'navigator', 'console', 'fetch', 'URL', 'URLSearchParams', 'WebSocket', 'AbortController', 'DOMException', 'Event', 'EventListener', 'HTMLElement', 'HTMLInputElement', 'Element', 'Node', 'ParentNode', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'].map((g) => [g, 'readonly']),
      ),
    },
  },
  {
    // The wire contract imports nothing from the rest of the repo but zod and itself.
    files: ['rm/protocol/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['../../*', '../app/*', '../node/*', '../scheduler/*', '../services/*', '../store/*', '../http/*'] }],
    },
  },
);
