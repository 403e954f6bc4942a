// @ts-check
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Drivers may only be imported from db/: every other layer receives a built database. */
const DRIVERS = [
  'better-sqlite3',
  '@libsql/client',
  '@libsql/*',
  'drizzle-orm/better-sqlite3*',
  'drizzle-orm/libsql*',
  'drizzle-orm/d1*',
];

/**
 * Production code (functions/, shared/, db/, cli/src, web/src, scripts/) never imports test
 * support: it lives in test/, and only tests, benches and load scripts reach it.
 */
const NO_TEST_SUPPORT = {
  group: ['**/test/*', '**/test/**'],
  message: 'test/ is test support: production code never imports it.',
};
const TEST_FILES = ['**/*.test.ts', '**/*.test.tsx', '**/*.check.ts'];

/** The import rule of a layer: its own patterns, and never test support. */
const restrictedImports = (...patterns) => ({
  'no-restricted-imports': ['error', { patterns: [NO_TEST_SUPPORT, ...patterns] }],
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.wrangler/**', 'db/migrations/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': [
        'error',
        {
          // Hono's `c.var` copies every variable into a new object on each read.
          selector: "MemberExpression[object.name='c'][property.name='var']",
          message: "Use c.get('name'): c.var builds a new object on every read.",
        },
      ],
    },
  },
  {
    // CommonJS in ES5, so that any Node, however old, can run it far enough to say it is too old.
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', ecmaVersion: 5 },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // k6 scripts run in k6's JavaScript runtime: its globals, no Node.
    files: ['load/k6/**/*.js'],
    languageOptions: {
      sourceType: 'module',
      globals: {
        ...Object.fromEntries(Object.keys(globals.node).map((name) => [name, 'off'])),
        __ENV: 'readonly',
        __VU: 'readonly',
        __ITER: 'readonly',
        console: 'readonly',
      },
    },
  },
  {
    // The dashboard's classic scripts (web/public): run in the browser as they are, no Node.
    files: ['web/public/**/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: {
        ...Object.fromEntries(Object.keys(globals.node).map((name) => [name, 'off'])),
        ...globals.browser,
      },
    },
  },
  {
    // The domain runs on every runtime: no Node built-ins, no drivers, no ORM, no HTTP framework.
    files: ['shared/**/*.ts'],
    ignores: ['shared/**/*.test.ts'],
    languageOptions: { globals: { ...globals['shared-node-browser'] } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            NO_TEST_SUPPORT,
            { group: ['node:*'], message: 'shared/ is runtime-agnostic: no node:* imports.' },
            {
              group: ['drizzle-orm', 'drizzle-orm/*', ...DRIVERS],
              message:
                'shared/ must not touch the database: define an interface and implement it in db/.',
            },
            { group: ['hono', 'hono/*', '@hono/*'], message: 'shared/ knows nothing of HTTP.' },
            {
              group: ['../db/*', '../functions/*', '../../db/*', '../../functions/*'],
              message: 'shared/ depends on nothing else in the project.',
            },
          ],
          paths: ['fs', 'path', 'os', 'crypto', 'child_process', 'process'].map((name) => ({
            name,
            message: 'shared/ is runtime-agnostic.',
          })),
        },
      ],
    },
  },
  {
    // Tests may wire real stores (db/) into the domain they test.
    files: [...TEST_FILES, 'test/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // functions/http/: the HTTP API (createApp, routes, middleware, wire schemas), on every
    // runtime. It speaks HTTP and calls services: no ORM, no driver, no Node built-in, no db/.
    files: ['functions/http/**/*.ts'],
    ignores: ['functions/**/*.test.ts'],
    rules: restrictedImports(
      {
        group: ['drizzle-orm', 'drizzle-orm/*', ...DRIVERS],
        message: 'functions/http/ must not touch the database: go through a service.',
      },
      {
        group: ['node:*'],
        message:
          'functions/http/ runs on every runtime; Node-only code lives in functions/runtime/ beside node.ts.',
      },
      {
        group: ['**/db/*'],
        message:
          'Only the runtime wiring (functions/runtime/) brings db/ in; handlers get services through createApp(deps).',
      },
    ),
  },
  {
    // functions/runtime/: the runtime entries (node.ts, worker.ts, the keys command) and their
    // wiring (createRuntime). They build the database through the db/ adapters, never a driver.
    files: ['functions/runtime/**/*.ts'],
    ignores: ['functions/**/*.test.ts'],
    rules: restrictedImports({
      group: [...DRIVERS, 'drizzle-orm', 'drizzle-orm/*'],
      message: 'Entries use the adapters in db/.',
    }),
  },
  {
    // The CLI is a client of the HTTP API like any other: its types come from the OpenAPI
    // document (openapi/schema.d.ts), never from the server's code. Its tests may start the
    // real server through test/.
    files: ['cli/**/*.ts'],
    ignores: TEST_FILES,
    rules: restrictedImports(
      {
        group: ['**/shared/*', '**/db/*', '**/functions/*'],
        message: 'cli/ talks to the API over HTTP only: use the typed client (cli/src/api.ts).',
      },
      {
        group: ['drizzle-orm', 'drizzle-orm/*', 'hono', 'hono/*', '@hono/*', 'zod', ...DRIVERS],
        message: 'cli/ is a thin HTTP client: no server libraries.',
      },
    ),
  },
  {
    // The dashboard runs in browsers and knows the API only through its OpenAPI types
    // (openapi/schema.d.ts): never the domain, the database or the server's code.
    files: ['web/src/**/*.{ts,tsx}'],
    ignores: TEST_FILES,
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...restrictedImports(
        {
          group: ['**/shared/*', '**/db/*', '**/functions/*', 'node:*'],
          message: 'web/ talks to the API over HTTP only: use the typed client (src/api).',
        },
        {
          group: ['drizzle-orm', 'drizzle-orm/*', 'hono', 'hono/*', '@hono/*', ...DRIVERS],
          message: 'web/ is browser code: no server libraries.',
        },
      ),
    },
  },
  {
    // db/ and scripts/ have no layer rule of their own but this one.
    files: ['db/**/*.ts', 'scripts/**/*.{ts,mjs,js}'],
    ignores: TEST_FILES,
    rules: restrictedImports(),
  },
);
