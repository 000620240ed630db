/**
 * Today's map (issue 12): the demo is as of today (the 2025 reform applied), the statistics of a period use
 * the levels of its time and explain a period that spans 1 July 2025, and the reorganisation pages are for
 * their people only.
 */
import { expect, signIn, signOut, test } from "./fixtures.ts";

test("the dashboard offers the levels of the period and explains the 2025 reform", async ({ page, axe }) => {
  await signIn(page, "lanhdao.tinh");
  const level = page.getByLabel("Cấp");
  await page.goto("/manager?period=year&year=2023");
  await expect(level.locator("option")).toHaveText(["Mọi cấp", "Cấp tỉnh", "Cấp huyện", "Cấp xã"]);
  await expect(page.getByLabel("Đơn vị (gồm các đơn vị trực thuộc)")).toContainText("UBND thành phố Hạ Long");
  await expect(page.locator(".notice")).toHaveCount(0);
  await axe();
  await page.goto("/manager?period=year&year=2026");
  await expect(level.locator("option")).toHaveText(["Mọi cấp", "Cấp tỉnh", "Cấp xã"]);
  await expect(page.getByLabel("Đơn vị (gồm các đơn vị trực thuộc)")).toContainText("UBND đặc khu Vân Đồn");
  await expect(page.getByLabel("Đơn vị (gồm các đơn vị trực thuộc)")).not.toContainText("UBND thành phố Hạ Long");
  await page.goto("/manager?period=year&year=2025");
  await expect(level.locator("option")).toHaveText(["Mọi cấp", "Cấp tỉnh", "Cấp huyện", "Cấp xã"]);
  await expect(page.locator(".notice")).toContainText("2025-07-01");
  await expect(page.locator(".notice")).toContainText("1679/NQ-UBTVQH15");
  await axe();
  await page.getByRole("button", { name: "English" }).click();
  await expect(page.locator(".notice")).toContainText("three levels (province, district, commune)");
});

test("the reorganisation page is the admin's, the choice queue the service centre's", async ({ page, axe }) => {
  await signIn(page, "quantri");
  await page.getByRole("link", { name: "Sắp xếp đơn vị hành chính" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Sắp xếp đơn vị hành chính");
  const row = page.getByRole("table", { name: "Các lần sắp xếp" }).getByRole("row").nth(1);
  await expect(row).toContainText("2025-07-01");
  await expect(row).toContainText("184 đơn vị chấm dứt, 54 đơn vị mới");
  await expect(row).toContainText("Đã áp dụng");
  await expect(page.getByText("Tài khoản cán bộ chuyển đơn vị")).toBeVisible();
  await axe();
  // A forged apply of an unknown reorganisation is refused with a message, not a 500.
  const forged = await page.request.post("/admin/reorganisations", { form: { intent: "apply", code: "x" } });
  expect(forged.status()).toBeLessThan(500);
  expect((await page.request.get("/clerk/reorganisation", { maxRedirects: 0 })).status()).toBe(403);
  await signOut(page);

  await signIn(page, "canbo.halong");
  await expect(page.getByText(/Đơn vị: UBND phường Hạ Long/)).toBeVisible();
  expect((await page.request.get("/clerk/reorganisation", { maxRedirects: 0 })).status()).toBe(403);
  expect((await page.request.get("/admin/reorganisations", { maxRedirects: 0 })).status()).toBe(403);
  await signOut(page);

  await signIn(page, "canbo.trungtam");
  await page.getByRole("link", { name: "Chọn đơn vị cho hồ sơ" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Hồ sơ chờ chọn đơn vị tiếp nhận");
  await expect(page.getByText("Không có hồ sơ nào chờ chọn đơn vị.")).toBeVisible();
  await axe();
});
