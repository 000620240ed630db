import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Page } from "@playwright/test";
import { DEMO, expect, signIn, test } from "./fixtures.ts";

const SAMPLE = fs.readFileSync(path.resolve(import.meta.dirname, "../docs/samples/import-sample.csv"), "utf8");
const BAD_ROWS = [
  // a formula in the code column
  `=cmd|' /C calc'!A0,1.001193,000.01.31.H99,counter,,2025-03-04T14:00:00+07:00,2025-03-07T17:00:00+07:00,,,processing,0,none,,,false`,
  // a time without offset
  `000.01.31.H99-250304-9002,1.001193,000.01.31.H99,counter,,2025-03-04 14:00,2025-03-07T17:00:00+07:00,,,processing,0,none,,,false`,
  // a procedure the portal does not have
  `000.01.31.H99-250304-9003,9.999999,000.01.31.H99,counter,,2025-03-04T14:00:00+07:00,2025-03-07T17:00:00+07:00,,,processing,0,none,,,false`,
];
const FILE = {
  name: "ho-so-cu.csv",
  mimeType: "text/csv",
  buffer: Buffer.from(`${SAMPLE.trimEnd()}\n${BAD_ROWS.join("\n")}\n`),
};

async function whenAdminUploads(page: Page, file: typeof FILE | string) {
  await page.getByLabel("Tệp CSV").setInputFiles(file);
  await page.getByRole("button", { name: "Tải lên và nhập" }).click();
}

function runRow(page: Page) {
  return page.getByRole("table", { name: "Các lần nhập gần đây, mới nhất trước" }).getByRole("row").nth(1);
}

test("an admin imports a CSV with bad rows, follows its progress, reads the error report, and a re-import changes nothing", async ({
  page,
  axe,
}) => {
  await signIn(page, DEMO.admin);
  await page.getByRole("link", { name: "Nhập hồ sơ từ hệ thống một cửa khác (tệp CSV)" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Nhập hồ sơ từ hệ thống một cửa khác");
  await axe();

  // No file chosen: a clear message, linked to the field.
  await page.getByRole("button", { name: "Tải lên và nhập" }).click();
  await expect(page.getByRole("alert")).toContainText("Chọn một tệp CSV để nhập");
  await expect(page).toHaveTitle(/^Lỗi:/);
  await axe();

  await whenAdminUploads(page, FILE);
  await expect(page.getByRole("status")).toContainText("Đã nhận tệp ho-so-cu.csv");
  const row = runRow(page);
  await expect(row).toContainText("ho-so-cu.csv");
  // The page refreshes itself while the run is active; the job finishes in a few seconds.
  await expect(row.getByText("Xong")).toBeVisible({ timeout: 30_000 });
  await expect(row).toContainText("10 / 10 dòng");
  await expect(row.getByRole("progressbar", { name: "Tiến độ nhập tệp ho-so-cu.csv" })).toHaveAttribute("value", "10");
  await expect(row).toContainText("Đã nhập 7, bỏ qua 0 (đã có), lỗi 3");
  await axe();

  // The error report: one line per problem, translated, the formula kept as inert text.
  const download = page.waitForEvent("download");
  await row.getByRole("link", { name: /Tải báo cáo lỗi/ }).click();
  const report = fs.readFileSync((await (await download).path()) ?? "", "utf8").replace(/^\uFEFF/, "");
  const lines = report.trim().split("\r\n");
  expect(lines[0]).toBe("Dòng,Cột,Lý do,Giá trị trong tệp");
  expect(lines).toHaveLength(4);
  expect(lines[1]).toMatch(/^9,code,"Ô bắt đầu bằng =, \+, -, @/);
  expect(lines[1]).toContain(",'=cmd|' /C calc'!A0");
  expect(lines[2]).toMatch(/^10,received_at,Thiếu múi giờ/);
  expect(lines[3]).toMatch(/^11,procedure_code,Không có thủ tục nào mang mã này trên cổng,9.999999$/);

  // The same file again: nothing new.
  await whenAdminUploads(page, FILE);
  await expect(runRow(page).getByText("Xong")).toBeVisible({ timeout: 30_000 });
  await expect(runRow(page)).toContainText("Đã nhập 0, bỏ qua 7 (đã có), lỗi 3");
  await axe();
});

test("a file that is not UTF-8 fails as a whole with a clear message", async ({ page, axe }) => {
  await signIn(page, DEMO.admin);
  await page.goto("/admin/imports");
  const header = SAMPLE.split("\n")[0] ?? "";
  const latin1 = Buffer.concat([Buffer.from(`${header}\n`), Buffer.from("HS-1,1.001193,H\xe0 N\xf4i\n", "latin1")]);
  await whenAdminUploads(page, { name: "windows-1258.csv", mimeType: "text/csv", buffer: latin1 });
  await expect(runRow(page).getByText("Không nhập được")).toBeVisible({ timeout: 30_000 });
  await expect(runRow(page)).toContainText("Tệp không phải văn bản UTF-8");
  await axe();
});

test("files over the web limit get a clear message, never a 500", async ({ page }) => {
  test.setTimeout(120_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "import-e2e-"));
  try {
    await signIn(page, DEMO.admin);
    await page.goto("/admin/imports");
    // Just over 50 MB: read to the end by the page, which answers with its own message.
    const justOver = path.join(dir, "just-over.csv");
    fs.writeFileSync(justOver, Buffer.alloc(50 * 1024 * 1024 + 100_000, "a"));
    await whenAdminUploads(page, justOver);
    await expect(page.getByRole("alert")).toContainText("Tệp lớn hơn 50 MB");
    await expect(page.getByRole("alert")).toContainText("npm run import:dossiers");

    // 200 MB: refused by the server before the app reads it, with a message page (413).
    const huge = path.join(dir, "huge.csv");
    fs.writeFileSync(huge, Buffer.alloc(200 * 1024 * 1024, "a"));
    const answer = page.waitForResponse((r) => r.url().includes("/admin/imports") && r.request().method() === "POST");
    await whenAdminUploads(page, huge);
    expect((await answer).status()).toBe(413);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Tệp quá lớn");
    await expect(page.getByText("npm run import:dossiers -- FILE.csv").first()).toBeVisible();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("only an admin may import", async ({ page, axe }) => {
  await signIn(page, DEMO.clerk);
  const forbidden = await page.goto("/admin/imports");
  expect(forbidden?.status()).toBe(403);
  await axe();
  const report = await page.request.get("/admin/imports/00000000-0000-0000-0000-000000000000/errors.csv");
  expect(report.status()).toBe(403);
  const post = await page.request.post("/admin/imports?index", {
    multipart: { file: { name: "x.csv", mimeType: "text/csv", buffer: Buffer.from("code\n") } },
  });
  expect(post.status()).toBe(403);
});
