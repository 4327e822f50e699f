// The layering rule lives here so that the folder layout tells the truth:
// shared/ is pure, renderer/ reaches the system only through api, electron/ never imports the UI.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';

const nodeBuiltins = ['node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'net', 'http', 'https', 'crypto', 'stream', 'events', 'url', 'util', 'worker_threads', 'tls', 'dns', 'zlib'];
const systemLibraries = ['electron', 'electron/*', 'ssh2', 'ssh2/*', 'dockerode', 'conf', 'electron-store', 'ws'];

export default tseslint.config(
  { ignores: ['dist/', 'release/', '.tsbuild/', 'node_modules/', 'test-results/', 'playwright-report/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['shared/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { regex: '^(?!\\.{1,2}/)', message: 'shared/ is pure: it imports only other files in shared/.' },
          { regex: '^\\.\\./\\.\\./', message: 'shared/ imports only other files in shared/.' },
          { regex: '^\\.\\./(electron|renderer|test)(/|$)', message: 'shared/ imports only other files in shared/.' },
        ],
      }],
    },
  },
  {
    files: ['renderer/src/**/*.ts', 'renderer/src/**/*.tsx'],
    languageOptions: { globals: globals.browser },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
      'no-restricted-imports': ['error', {
        patterns: [
          { group: [...nodeBuiltins, ...systemLibraries], message: 'renderer/ reaches the system only through api.' },
          { regex: '(^|/)electron(/|$)', message: 'renderer/ never imports electron/: use api.' },
        ],
      }],
    },
  },
  {
    files: ['electron/**/*.ts', 'electron/**/*.mjs', 'test/**/*.ts', 'renderer/vite.config.ts', '*.js'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['electron/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ regex: '(^|/)renderer(/|$)', message: 'electron/ never imports renderer/.' }],
        // Raw IPC is touched only by main.ts and preload.ts; everything else goes through the typed contract.
        paths: [{ name: 'electron', importNames: ['ipcMain', 'ipcRenderer', 'contextBridge'], allowTypeImports: true, message: 'Raw IPC belongs to electron/main.ts and electron/preload.ts only.' }],
      }],
    },
  },
  {
    files: ['electron/main.ts', 'electron/preload.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ regex: '(^|/)renderer(/|$)', message: 'electron/ never imports renderer/.' }],
      }],
    },
  },
);
