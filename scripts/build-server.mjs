/**
 * Compiles server.ts into plain JavaScript for production (`npm run build`, after the Remix build), so
 * `npm start` / `npm run serve` run `node build/server.js` instead of transpiling TypeScript on the fly
 * with tsx (docs/performance.md). esbuild comes with the Remix/Vite toolchain.
 *
 * - build/server.js: server.ts and the few app modules it imports before the Remix build (configuration,
 *   CSRF cookie); npm packages stay external (loaded from node_modules, as in development).
 * - The Remix server build stays its own file (build/server/index.js), loaded at run time.
 * - The gateway simulator and the remote signing simulator are compiled to their own files
 *   (build/gateway-sim.js, build/signing-sim.js): each starts itself when it is the process's main module, so
 *   it must not be inlined into build/server.js.
 */
import * as esbuild from "esbuild";

const common = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  logLevel: "warning",
};

/** Imports resolved at run time from build/, next to build/server.js. */
const runtimeImports = {
  name: "runtime-imports",
  setup(build) {
    build.onResolve({ filter: /\/build\/server\/index\.js$/ }, () => ({ path: "./server/index.js", external: true }));
    build.onResolve({ filter: /\/gateway-sim\/server\.ts$/ }, () => ({ path: "./gateway-sim.js", external: true }));
    build.onResolve({ filter: /\/signing-sim\/server\.ts$/ }, () => ({ path: "./signing-sim.js", external: true }));
  },
};

await Promise.all([
  esbuild.build({ ...common, entryPoints: ["server.ts"], outfile: "build/server.js", plugins: [runtimeImports] }),
  esbuild.build({ ...common, entryPoints: ["gateway-sim/server.ts"], outfile: "build/gateway-sim.js" }),
  esbuild.build({ ...common, entryPoints: ["signing-sim/server.ts"], outfile: "build/signing-sim.js" }),
]);
console.log("Compiled server.ts → build/server.js (and build/gateway-sim.js, build/signing-sim.js)");
