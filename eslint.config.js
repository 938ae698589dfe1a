// Flat ESLint config: typescript-eslint's recommended rules, unused `_` names allowed.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.turbo/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // CommonJS files (the server's bin: Node starts a CommonJS entry without its ES module loader) use require.
    files: ['**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Commands run on a CommandContext: they never reach the network layer or the server class (see
    // packages/server/README.md, "How a command runs"). src/architecture.test.ts also checks for import circles.
    files: ['packages/server/src/commands/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['**/net/*', '**/server.js', '**/cli.js'], message: 'command modules use CommandContext, never the network layer or the server class' },
      ] }],
    },
  },
);
