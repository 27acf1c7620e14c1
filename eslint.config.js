// Lint rules, including the folder boundaries of docs/ARCHITECTURE.md:
// shared/ runs anywhere, renderer/ never touches Node or Electron, electron/ never reaches into renderer/.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { builtinModules } from 'node:module';
import { noImportCycle } from './lint/noImportCycle.js';

// Node built-ins by exact name (and their subpaths), so packages such as `lib0/buffer` stay allowed.
const nodeImports = [
  ...builtinModules.flatMap((name) => [
    { name, message: 'Node built-ins are not available here.' },
  ]),
];
const nodePatterns = [
  {
    regex: `^(node:.*|(${builtinModules.join('|').replace(/\//g, '\\/')})/.*)$`,
    message: 'Node built-ins are not available here.',
  },
];

// What code in shared/ may never import, wherever it sits inside shared/.
const sharedPaths = ['electron', 'react', 'react-dom', 'zustand', ...nodeImports];
const sharedPatterns = [
  ...nodePatterns,
  {
    group: ['**/renderer/**', '**/electron/**'],
    message: 'shared/ imports nothing outside shared/.',
  },
];

// The order inside shared/, lowest first (docs/ARCHITECTURE.md, "shared/ layers"). A folder imports
// only from folders on lower lines, never from its own line or above, so helpers stay below the
// schemas and models that use them and no circle can form between folders. shared/result.ts sits
// below everything.
const SHARED_LAYERS = [
  ['core'], // ids, plain-text helpers
  ['time'], // time zones, local dates, weekdays and their names
  ['protocol', 'schema'], // wire formats and keys; zod schemas of records
  ['focus'], // the focus timer engine, its settings and stats
  ['model'], // functions over Y.Doc
  ['storage'], // workspace files, Markdown export, retention
  ['ipc'], // the IPC contract between renderer and main process
];
const sharedLayerBlocks = SHARED_LAYERS.flatMap((line, rank) =>
  line.map((folder) => {
    const above = SHARED_LAYERS.slice(rank)
      .flat()
      .filter((other) => other !== folder);
    return {
      files: [`shared/${folder}/**/*.ts`],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            paths: sharedPaths,
            patterns: [
              ...sharedPatterns,
              {
                regex: `^(\\.\\./)+(shared/)?(${above.join('|')})(/|$)`,
                message: `shared/${folder} imports only shared/result.ts and the layers below it: ${['result', ...SHARED_LAYERS.slice(0, rank).flat()].join(', ')}.`,
              },
            ],
          },
        ],
      },
    };
  }),
);

export default tseslint.config(
  { ignores: ['node_modules', 'out', 'dist', 'release', 'test-results'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'separate-type-imports' },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      'no-console': ['error', { allow: ['warn', 'error', 'info'] }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    languageOptions: { globals: { ...globals.es2021 } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: sharedPaths,
          patterns: sharedPatterns,
        },
      ],
      'no-restricted-globals': [
        'error',
        ...[
          'window',
          'document',
          'navigator',
          'localStorage',
          'indexedDB',
          'process',
          'require',
          'Buffer',
          '__dirname',
        ].map((name) => ({ name, message: 'shared/ runs anywhere: no DOM or Node globals.' })),
      ],
    },
  },
  // After the block above: these replace its no-restricted-imports per folder, keeping its paths.
  ...sharedLayerBlocks,
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: ['electron', ...nodeImports],
          patterns: [
            ...nodePatterns,
            {
              group: ['**/electron/**'],
              message: 'renderer/ talks to the main process only through window.outpost.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/**/*.ts'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/renderer/**'], message: 'electron/ never imports renderer code.' },
          ],
        },
      ],
    },
  },
  {
    // No import circles in renderer/ or shared/, type-only ones included (issue 20): a circle
    // means two modules are one in disguise, and it breaks the order slices and stores load in.
    files: ['renderer/**/*.{ts,tsx}', 'shared/**/*.ts'],
    plugins: { outpost: { rules: { 'no-import-cycle': noImportCycle } } },
    rules: { 'outpost/no-import-cycle': 'error' },
  },
  {
    files: ['test/**/*.{ts,tsx}', 'bench/**/*.ts', '*.config.{ts,js}', 'lint/**/*.js'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
);
