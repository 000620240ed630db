/**
 * The baseline of `npm run bench:pages`: a bare Remix app built in the same run from the project's own
 * node_modules (same Remix, React, Vite, Express and compression versions, same future flags), with one
 * route that renders a 20-item list from its loader, no database, no i18n, Remix's default entry.server.
 * It is served the way the portal is: Express + compression + @remix-run/express, static assets with the
 * same caching. The portal is compared against it in the same run (ratios), so a busy machine slows both.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

/** The portal's own versions: the app resolves them from the project's node_modules. */
const SAME_AS_PORTAL = [
  "@remix-run/express",
  "@remix-run/node",
  "@remix-run/react",
  "compression",
  "express",
  "isbot",
  "react",
  "react-dom",
];

const FILES: Record<string, string> = {
  "vite.config.js": `import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vite";

export default defineConfig({
  logLevel: "warn",
  build: { target: "es2022" },
  plugins: [
    remix({
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_singleFetch: true,
        v3_lazyRouteDiscovery: true,
      },
    }),
  ],
});
`,
  "app/root.tsx": `import { Links, Meta, Outlet, Scripts, ScrollRestoration } from "@remix-run/react";

export function Layout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}
`,
  "app/routes/_index.tsx": `import { useLoaderData } from "@remix-run/react";

export async function loader() {
  return {
    items: Array.from({ length: 20 }, (_, i) => ({ id: i + 1, name: \`Item \${i + 1}\`, detail: \`Description of item \${i + 1}\` })),
  };
}

export default function Index() {
  const { items } = useLoaderData<typeof loader>();
  return (
    <main>
      <h1>Items</h1>
      <ul>
        {items.map((item) => (
          <li key={item.id}>
            <strong>{item.name}</strong> {item.detail}
          </li>
        ))}
      </ul>
    </main>
  );
}
`,
  "server.js": `import { createRequestHandler } from "@remix-run/express";
import compression from "compression";
import express from "express";

const build = await import("./build/server/index.js");
const app = express();
app.disable("x-powered-by");
app.use(compression());
app.use("/assets", express.static("build/client/assets", { immutable: true, maxAge: "1y" }));
app.use(express.static("build/client", { maxAge: "1h" }));
app.all("*", createRequestHandler({ build, mode: "production" }));
app.listen(Number(process.env.PORT), () => console.log("minimal Remix app ready"));
`,
};

/** Writes the app into `dir` (inside the project, so it resolves the project's node_modules) and builds it. */
export function buildMinimalApp(dir: string, projectRoot: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
  const portal = JSON.parse(fs.readFileSync(path.join(projectRoot, "package.json"), "utf8")) as {
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  };
  const dependencies = Object.fromEntries(SAME_AS_PORTAL.map((name) => [name, portal.dependencies[name] ?? "*"]));
  const devDependencies = {
    "@remix-run/dev": portal.devDependencies["@remix-run/dev"],
    vite: portal.devDependencies.vite,
  };
  const packageJson = { name: "bench-minimal-remix", private: true, type: "module", dependencies, devDependencies };
  FILES["package.json"] = JSON.stringify(packageJson, null, 2);
  for (const [name, text] of Object.entries(FILES)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  const cli = path.join(projectRoot, "node_modules/@remix-run/dev/dist/cli.js");
  const result = spawnSync(process.execPath, [cli, "vite:build"], { cwd: dir, encoding: "utf8" });
  if (result.status !== 0)
    throw new Error(`building the minimal Remix app failed:\n${result.stdout}\n${result.stderr}`);
}

/** The command that serves the built app (plain node, production mode). */
export function minimalServerCommand(dir: string): { command: string; args: string[]; cwd: string } {
  return { command: process.execPath, args: ["server.js"], cwd: dir };
}
