// Lint rules: the recommended sets of ESLint and typescript-eslint; formatting is Prettier's job.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'coverage/', 'reports/', '.migrator/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: globals.node },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'smart'],
      'no-console': 'off',
    },
  },
  {
    // The installed command's launcher is plain CommonJS (it loads tsx before any TypeScript).
    files: ['bin/**/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox: no Node built-ins, no drivers, no clocks.
    files: ['src/workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'fs', 'path', 'os', 'crypto', 'child_process'],
              message: 'Workflow code must stay deterministic.',
            },
            {
              // The connection folders; the dialects' pure SQL text (src/sql/) and names are allowed.
              group: [
                'mssql',
                'snowflake-sdk',
                '@duckdb/*',
                '../sqlserver/**',
                '../snowflake/**',
                '../activities',
                '../activities/**',
              ],
              message: 'Workflows call activities; they never touch drivers (type imports are fine).',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
  {
    // Pure modules the workflow bundle reaches through the ones workflows import: a Node built-in here
    // breaks the bundle (webpack cannot take node:crypto), which only the integration set-up would show.
    files: [
      'src/sql/**/*.ts',
      'src/publication/**/*.ts',
      'src/validation/canonical.ts',
      'src/validation/aggregates.ts',
      'src/validation/content.ts',
      'src/names/**/*.ts',
      'src/run-summary/**/*.ts',
    ],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'fs', 'path', 'os', 'crypto', 'child_process'],
              message: 'The workflow bundle reaches this module: no Node built-ins.',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
);
