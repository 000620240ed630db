/**
 * The project's dependency rules (docs/decisions/023-structure-and-dependency-rules.md), checked by
 * `npm run lint:deps` inside `npm test`:
 *   - no import cycle anywhere (type-only imports included: they are a design cycle all the same);
 *   - app/domain depends on nothing of the application (only other domain modules, node: built-ins and
 *     pure libraries), so rules can be read and tested alone;
 *   - app/server may use domain and utils, never a route, a component or root.tsx;
 *   - routes call the server (no SQL builder in a route); a route folder never imports another route folder;
 *   - components and utils never import server code.
 * Test files are left out of the graph: a test may reach across layers to set up what it checks.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "An import cycle makes modules impossible to load, test or change one at a time.",
      from: {},
      to: { circular: true },
    },
    {
      name: "domain-depends-on-nothing",
      severity: "error",
      comment: "Domain rules (app/domain) import only other domain modules, node built-ins and npm libraries.",
      from: { path: "^app/domain/" },
      to: { path: "^(app/(?!domain/)|db/|server\\.ts|scripts/|gateway-sim/|locales/)" },
    },
    {
      name: "server-not-ui",
      severity: "error",
      comment: "Server modules never import routes, components or the root document.",
      from: { path: "^app/server/" },
      to: { path: "^app/(routes/|components/|root\\.tsx)" },
    },
    {
      name: "no-route-to-other-route-folder",
      severity: "error",
      comment:
        "A route folder imports only its own files; shared code lives in components, utils or server. " +
        "($1 is put into pathNot unescaped, so folders whose names hold $ [ ] are checked by " +
        "tests/import-cycles.test.ts instead.)",
      from: { path: "^app/routes/([^/$\\[\\]]+)/" },
      to: { path: "^app/routes/", pathNot: "^app/routes/$1/" },
    },
    {
      name: "no-import-of-a-route-module",
      severity: "error",
      comment: "Nothing imports a route module: what two routes share belongs in components, utils or server.",
      from: {},
      to: { path: "^app/routes/([^/]+/route|[^/]+)\\.tsx?$" },
    },
    {
      name: "route-file-not-to-route",
      severity: "error",
      comment: "A single-file route imports no other route.",
      from: { path: "^app/routes/[^/]+\\.tsx?$" },
      to: { path: "^app/routes/" },
    },
    {
      name: "route-no-sql-builder",
      severity: "error",
      comment: "Routes hold no SQL: they call a server function (tests/no-sql-in-routes.test.ts checks the calls).",
      from: { path: "^app/routes/" },
      to: { path: "^node_modules/(kysely|pg)/" },
    },
    {
      name: "ui-not-server",
      severity: "error",
      comment: "Components and utils are shared by the browser bundle: they never import server code.",
      from: { path: "^app/(components|utils)/" },
      to: { path: "(^app/server/|\\.server\\.tsx?$|^db/)" },
    },
    {
      name: "no-migration-import",
      severity: "error",
      comment: "Only the migration list imports a migration, so a migration can be frozen once it has run.",
      from: { path: "^(app|db|scripts|server\\.ts|bench)", pathNot: "^db/migrations/" },
      to: { path: "^db/migrations/(?!index\\.ts$)" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(\\.test\\.tsx?$|^node_modules/|^build/|^e2e/|^tests/)" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".tsx", ".js", ".mjs", ".cjs", ".json"],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
