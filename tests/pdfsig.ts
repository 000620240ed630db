/**
 * Checks a signed PDF with poppler's `pdfsig`, software that is not ours, against an NSS database that trusts
 * the given root certificate (so the chain is checked too). Fails with the install command when poppler-utils
 * or libnss3-tools is missing (.ci/run installs both). Returns pdfsig's report.
 */
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export function pdfsigReport(pdfFile: string, rootCertFile: string, workDir: string): string {
  for (const tool of ["pdfsig", "certutil"]) {
    if (spawnSync(tool, ["-h"]).error)
      throw new Error(`${tool} is not installed: apt-get install -y poppler-utils libnss3-tools (.ci/run does)`);
  }
  const nss = path.join(workDir, "nss");
  fs.mkdirSync(nss, { recursive: true });
  execFileSync("certutil", ["-N", "-d", `sql:${nss}`, "--empty-password"]);
  execFileSync("certutil", ["-A", "-d", `sql:${nss}`, "-n", "demo-root", "-t", "CT,C,C", "-i", rootCertFile]);
  return execFileSync("pdfsig", ["-nssdir", `sql:${nss}`, pdfFile], { encoding: "utf8" });
}
