import fs from "node:fs";
import path from "node:path";
import { createReadableStreamFromReadable, type LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "../../server/auth.server.ts";
import { db } from "../../server/db.server.ts";
import { importRunById, importsDir } from "../../server/imports/import-service.server.ts";

/**
 * The error report of an import run (row, column, reason, value), streamed from storage. It was written
 * with every cell escaped (app/utils/csv.ts), so a spreadsheet shows formulas from the file as text.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, ["admin"]);
  const run = await importRunById(db, params.id ?? "");
  const reportPath = run?.error_report_path ? path.resolve(run.error_report_path) : null;
  if (!run || !reportPath?.startsWith(importsDir() + path.sep)) {
    throw new Response("Not Found", { status: 404 });
  }
  let size: number;
  try {
    size = (await fs.promises.stat(reportPath)).size;
  } catch {
    throw new Response("Not Found", { status: 404 });
  }
  const base = run.file_name.replace(/\.csv$/i, "").replace(/[^A-Za-z0-9._-]+/g, "-") || "import";
  return new Response(createReadableStreamFromReadable(fs.createReadStream(reportPath)), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Length": String(size),
      "Content-Disposition": `attachment; filename="${base}-errors.csv"`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
