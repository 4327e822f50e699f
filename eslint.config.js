// The layering rule lives here so that the folder layout tells the truth:
// shared/ is pure, renderer/ reaches the system only through api, electron/ never imports the UI.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';

const nodeBuiltins = [
  'node:*',
  'fs',
  'fs/*',
  'path',
  'os',
  'child_process',
  'net',
  'http',
  'https',
  'crypto',
  'stream',
  'events',
  'url',
  'util',
  'worker_threads',
  'tls',
  'dns',
  'zlib',
];
const systemLibraries = ['electron', 'electron/*', 'ssh2', 'ssh2/*', 'dockerode', 'conf', 'electron-store', 'ws'];

// Every remote command is built in shared/commands/ (and tested there on its exact arguments); everything else
// calls a builder, so no second place writes "the same" command. Tests may still build commands as fixtures.
const commandsMessage =
  'Remote commands are built in shared/commands/ only: call a builder there, or add one (with a test of its exact arguments).';
const commandBuilder = {
  regex: '(^|/)commands/command(\\.[jt]s)?$',
  importNames: ['command'],
  message: commandsMessage,
};
const commandCall = [
  { selector: "CallExpression[callee.type='Identifier'][callee.name='command']", message: commandsMessage },
  {
    selector: "CallExpression[callee.type='MemberExpression'][callee.property.name='command']",
    message: commandsMessage,
  },
];
// A rule set again for a narrower glob replaces its options there, so each layer's patterns are named once and reused.
const sharedPure = [
  { regex: '^(?!\\.{1,2}/)', message: 'shared/ is pure: it imports only other files in shared/.' },
  { regex: '^\\.\\./\\.\\./', message: 'shared/ imports only other files in shared/.' },
  { regex: '^\\.\\./(electron|renderer|test)(/|$)', message: 'shared/ imports only other files in shared/.' },
];
const rendererThroughApi = [
  { group: [...nodeBuiltins, ...systemLibraries], message: 'renderer/ reaches the system only through api.' },
  { regex: '(^|/)electron(/|$)', message: 'renderer/ never imports electron/: use api.' },
  commandBuilder,
];
const electronAwayFromUi = { regex: '(^|/)renderer(/|$)', message: 'electron/ never imports renderer/.' };
// Raw IPC is touched only by main.ts and preload.ts; everything else goes through the typed contract.
const rawIpc = {
  name: 'electron',
  importNames: ['ipcMain', 'ipcRenderer', 'contextBridge'],
  allowTypeImports: true,
  message: 'Raw IPC belongs to electron/main.ts and electron/preload.ts only.',
};

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
      'no-restricted-imports': ['error', { patterns: [...sharedPure, commandBuilder] }],
    },
  },
  {
    files: ['shared/commands/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: sharedPure }],
    },
  },
  {
    files: ['renderer/src/**/*.ts', 'renderer/src/**/*.tsx'],
    languageOptions: { globals: globals.browser },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
      'no-restricted-imports': ['error', { patterns: rendererThroughApi }],
    },
  },
  {
    // Views import stores, never the other way round: a store holds one concern's state and reaches only api.
    files: ['renderer/src/stores/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...rendererThroughApi,
            {
              regex: '^\\.\\./(?!\\.)[^/]+/',
              message: 'stores/ never import views: a view passes what a store needs.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/**/*.ts', 'electron/**/*.mjs', 'test/**/*.ts', 'renderer/vite.config.ts', '*.js'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['electron/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [electronAwayFromUi, commandBuilder], paths: [rawIpc] }],
    },
  },
  {
    files: ['electron/main.ts', 'electron/preload.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [electronAwayFromUi, commandBuilder] }],
    },
  },
  {
    files: ['electron/**/*.ts', 'shared/**/*.ts', 'renderer/src/**/*.ts', 'renderer/src/**/*.tsx'],
    ignores: ['shared/commands/**'],
    rules: {
      'no-restricted-syntax': ['error', ...commandCall],
    },
  },
);
