/**
 * root.tsx reads the router's action data through react-router's UNSAFE_DataRouterStateContext to put
 * "Lỗi:" / "Error:" in the title after a client-side post with errors (docs/decisions/024-dependency-decisions.md).
 * That only works while the app and @remix-run/react share ONE copy of react-router: the pinned version must be
 * exactly the one @remix-run/react depends on, and no second copy may be installed under it.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..");
const json = (file: string) => JSON.parse(fs.readFileSync(path.join(root, file), "utf8"));

describe("react-router pin", () => {
  it("is the exact version @remix-run/react uses, installed once", () => {
    const pinned = json("package.json").dependencies["react-router"];
    const remix = json("node_modules/@remix-run/react/package.json").dependencies["react-router"];
    expect(pinned).toBe(remix);
    expect(json("node_modules/react-router/package.json").version).toBe(pinned);
    expect(fs.existsSync(path.join(root, "node_modules/@remix-run/react/node_modules/react-router"))).toBe(false);
  });
});
