// ESLint flat config: typescript-eslint with type information, strict about promises, and a
// fence around workflow code, which must stay deterministic (the Temporal workflow sandbox).
import { builtinModules } from 'node:module';
import { defineConfig } from 'eslint/config';
import eslint from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = builtinModules.filter((name) => !name.startsWith('_'));
const workflowMessage = 'Workflow code runs in the deterministic Temporal sandbox: do this in an activity.';

export default defineConfig(
  { ignores: ['node_modules/', '.data/', '.tools/', 'dist/', 'coverage/', '.scratch/'] },
  eslint.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Plain JavaScript (the bootstrap scripts and this file) is outside tsconfig: lint it without types.
    files: ['**/*.{js,mjs,cjs}'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Tests read JSON answers whose shape the assertions themselves check.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['workflows/**/*.ts', 'bench/baseline-workflow.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins.map((name) => ({ name, message: workflowMessage })),
            ...['typeorm', 'express', 'pg', 'date-holidays', 'luxon', 'zod'].map((name) => ({
              name,
              message: workflowMessage,
              allowTypeImports: true,
            })),
          ],
          patterns: [
            { group: ['node:*'], message: workflowMessage },
            {
              group: ['**/domain/calendar', '**/domain/calendar.ts'],
              message: 'domain/calendar pulls in date-holidays and luxon: compute dates in an activity.',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
);
