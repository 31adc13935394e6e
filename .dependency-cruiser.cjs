/**
 * Import rules checked by `pnpm test` (see docs/architecture.md):
 * - no run-time import cycle in any package;
 * - packages/core/src in layers that point one way: model <- memo <- trace <- store <- run, with the
 *   facade (task-graph.ts, trace-files.ts) and the entries (index.ts, testing.ts, internal.ts) on top.
 *   A type may name a type of a higher layer (`import type`, erased from the JavaScript): the one such
 *   import is `TaskGraphError.trace`, typed as the trace document.
 */
const layers = ['model', 'memo', 'trace', 'store', 'run'];
const core = '^packages/core/src/';
const above = (i) => layers.slice(i + 1);

module.exports = {
  forbidden: [
    {
      name: 'no-runtime-cycle',
      severity: 'error',
      comment: 'A run-time import cycle: modules load in an order that depends on who imports first.',
      from: { path: '^packages/[^/]+/src/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    ...layers.map((layer, i) => ({
      name: `core-layer-${layer}`,
      severity: 'error',
      comment: `core's ${layer} layer may import only from the layers below it (${layers.slice(0, i).join(', ') || 'none'}).`,
      from: { path: `${core}${layer}/` },
      to: {
        path: [...above(i).map((upper) => `${core}${upper}/`), `${core}[^/]+\\.ts$`, `${core}testing/`],
        dependencyTypesNot: ['type-only'],
      },
    })),
    {
      name: 'core-knows-no-provider',
      severity: 'error',
      comment: 'core depends on no other workspace package (cli, viewer, openai, patterns depend on core).',
      from: { path: '^packages/core/' },
      to: { path: '^packages/(?!core/)[^/]+/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(\\.test\\.ts$|/test/|/web/|/dist/)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      conditionNames: ['source', 'import', 'types', 'default'],
      extensions: ['.ts', '.tsx', '.js'],
    },
  },
};
