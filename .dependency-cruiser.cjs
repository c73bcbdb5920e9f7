// The layering of src/ (issue 23), checked by dependency-cruiser from `npm run lint`:
// no import circle; workflows import only Temporal's workflow API, contracts and the pure layers;
// nothing below the workflows imports them; the pure layers import no I/O.
// A rule's only exceptions are the hashing modules' use of Node's crypto (HASHING below).

// Pure layers: data, names, SQL text, type mapping and value rules. No driver, no socket, no file.
const PURE = [
  '^src/(contracts|mapping|validation|names|sql|selection|publication|follow|run-summary)/',
  // What the source's catalog, permissions and kinds mean (src/source/inspect-source.ts reads them: I/O).
  '^src/source/(catalog-facts|permissions|read-restrictions|table-kinds)[.]ts$',
  // The zod schema the contracts are built from; the metrics' names, labels and buckets.
  '^src/config/schema[.]ts$',
  '^src/metrics/definitions[.]ts$',
];

// What pure code may import besides: zod (the schemas are the single source of truth for data).
const PURE_PACKAGES = ['^node_modules/zod/'];

// The row hashes and the shape's fingerprint use Node's crypto: computation, not I/O. Only these
// modules, which no workflow reaches (eslint.config.mjs keeps Node built-ins out of those that do).
const HASHING = {
  '^src/validation/(row-text|checksum)[.]ts$': ['^crypto$'],
  '^src/mapping/table-shape[.]ts$': ['^crypto$'],
};

// A rule takes one `from`/`to` pair: each listed file is taken out of the rule and gets a copy of it
// whose `to` also allows that file's listed imports, so those edges pass and nothing else does.
function withExceptions(rule, known) {
  const files = Object.keys(known);
  return [
    { ...rule, from: { ...rule.from, pathNot: [...(rule.from.pathNot ?? []), ...files] } },
    ...files.map((file) => ({
      ...rule,
      from: { path: file },
      to: { ...rule.to, pathNot: [...(rule.to.pathNot ?? []), ...known[file]] },
    })),
  ];
}

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import circle in src/ (type-only imports count: they tie the modules together too).',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'workflows-only-pure',
      severity: 'error',
      comment:
        'Workflow code runs in Temporal’s deterministic sandbox: it imports only @temporalio/workflow ' +
        '(and @temporalio/common, where the search-attribute keys are defined), contracts and the pure ' +
        'layers; type-only imports are erased and allowed.',
      from: { path: '^src/workflows/' },
      to: {
        dependencyTypesNot: ['type-only'],
        pathNot: ['^src/workflows/', ...PURE, '^node_modules/@temporalio/(workflow|common)/'],
      },
    },
    {
      name: 'no-import-from-workflows',
      severity: 'error',
      comment:
        'The arrow runs one way: workflows use the layers below them (activities, report, the pure ' +
        'layers...), never the reverse. The CLI, a Temporal client, may use their query and signal definitions.',
      from: { path: '^src/', pathNot: ['^src/workflows/', '^src/cli/'] },
      to: { path: '^src/workflows/', dependencyTypesNot: ['type-only'] },
    },
    ...withExceptions(
      {
        name: 'pure-imports-no-io',
        severity: 'error',
        comment:
          'The pure layers import only each other and zod: no Node built-in, no driver, no I/O module.',
        from: { path: PURE },
        to: { dependencyTypesNot: ['type-only'], pathNot: [...PURE, ...PURE_PACKAGES] },
      },
      HASHING,
    ),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(test|emulators|scripts)/' },
  },
};
