import fs from "node:fs";
import type { Page } from "@playwright/test";
import { DEMO, expect, signIn, signOut, test } from "./fixtures.ts";

// The demo is as of today (the 2025 reform applied): the province's root and its units, among them the wards
// of 1 July 2025; UBND thành phố Hạ Long ended on 30 June 2025 and is offered only for periods before that.
const PROVINCE = "000.00.00.H99";
const CITY_2023 = "000.00.31.H99";
const JUSTICE = "000.00.02.H99"; // Sở Tư pháp: outside phường Hạ Long's scope

function isoDay(offsetDays: number): string {
  const d = new Date(Date.now() + 7 * 3600_000 + offsetDays * 86_400_000);
  return d.toISOString().slice(0, 10);
}

async function downloadText(page: Page, linkName: string | RegExp): Promise<string> {
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: linkName }).click();
  return fs.readFileSync((await (await download).path()) ?? "", "utf8");
}

async function whenManagerChoosesTheProvinceForTheLastTwoMonths(page: Page) {
  await page.getByLabel("Loại kỳ").selectOption("custom");
  await page.getByLabel("Từ ngày").fill(isoDay(-60));
  await page.getByLabel("Đến ngày").fill(isoDay(0));
  await expect(
    page.getByLabel("Đơn vị (gồm các đơn vị trực thuộc)").locator(`option[value="${CITY_2023}"]`),
  ).toHaveCount(0);
  await page.getByLabel("Đơn vị (gồm các đơn vị trực thuộc)").selectOption(PROVINCE);
  await page.getByRole("button", { name: "Xem số liệu" }).click();
  await expect(page).toHaveURL(/period=custom/);
  await expect(page).toHaveURL(new RegExp(`agency=${PROVINCE.replaceAll(".", "\\.")}`));
}

test("a manager picks a scope, drills from numbers to the dossiers behind them and to a late dossier's control sheet, sets a target and sees the markers, and downloads every table", async ({
  page,
  axe,
}) => {
  await signIn(page, DEMO.manager);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Thống kê, báo cáo");
  await axe();

  await whenManagerChoosesTheProvinceForTheLastTwoMonths(page);
  await expect(page.locator(".lead").first()).toContainText("Ủy ban nhân dân tỉnh Quảng Ninh và các đơn vị trực thuộc");
  await axe();
  const dashboardUrl = page.url();

  // The number of received dossiers is a link to exactly those dossiers.
  const headline = page.getByRole("list", { name: "Chỉ số chính" });
  const receivedLink = headline.getByRole("link").first();
  const received = Number(await receivedLink.textContent());
  expect(received).toBeGreaterThanOrEqual(5);
  await receivedLink.click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Danh sách hồ sơ tiếp nhận");
  await expect(page.locator("#drill-total")).toHaveText(`Tổng số: ${received} hồ sơ`);
  await expect(page.getByRole("table").locator("tbody tr")).toHaveCount(received);
  // No applicant data in the list.
  await expect(page.getByRole("table")).not.toContainText("Nguyễn Văn An");
  await expect(page.getByRole("table")).not.toContainText("022090000001");
  await axe();
  const csv = await downloadText(page, "Tải toàn bộ danh sách dưới dạng CSV");
  expect(csv.split("\r\n")[0]).toBe(
    "\uFEFFcode,procedure_code,procedure,agency_code,agency,channel,status,received_at,due_at,ended_at,outcome,paid_at,payment_method,late_step,late_step_agency,late_step_used_hours,late_step_budget_hours",
  );
  expect(csv.trim().split("\r\n")).toHaveLength(received + 1);
  expect(csv).not.toContain("022090000001");

  // Late dossiers: which step and which unit used up the time.
  // (Other specs may have made late dossiers too: the list must match whatever the dashboard counted.)
  await page.goto(dashboardUrl);
  const lateLink = page.getByRole("link", { name: /hồ sơ trễ hạn/ });
  const late = Number(((await lateLink.textContent()) ?? "").match(/\d+/)?.[0]);
  expect(late).toBeGreaterThanOrEqual(1);
  await lateLink.click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Danh sách hồ sơ giải quyết trễ hạn");
  await expect(page.locator("#drill-total")).toHaveText(`Tổng số: ${late} hồ sơ`);
  await expect(page.getByRole("table").locator("tbody tr")).toHaveCount(late);
  const row = page
    .getByRole("table")
    .locator("tbody tr")
    .filter({ hasText: "Giải quyết — UBND phường Hồng Gai" })
    .first();
  await expect(row).toContainText("Giải quyết — UBND phường Hồng Gai");
  await expect(row).toContainText("Quá hạn");
  await axe();
  await row.getByRole("link", { name: /Phiếu kiểm soát/ }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Phiếu kiểm soát quá trình giải quyết hồ sơ");
  await expect(page.getByRole("table")).toContainText("UBND phường Hồng Gai");
  await expect(page.getByRole("table").getByText("Quá hạn")).toBeVisible();
  await expect(page.locator("main")).not.toContainText("022090000001");
  await axe();
  await page.getByRole("link", { name: "Về danh sách hồ sơ" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Danh sách hồ sơ giải quyết trễ hạn");

  // Targets: a bad value is explained; a good one is saved and shows on the dashboard.
  await page.goto(dashboardUrl);
  await page.getByRole("link", { name: "Đặt mục tiêu cho các chỉ tiêu" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Mục tiêu theo chỉ tiêu");
  await axe();
  await page.getByLabel("Mục tiêu tối thiểu (%)").fill("150");
  await page.getByRole("button", { name: "Lưu mục tiêu" }).click();
  await expect(page.getByRole("alert")).toContainText("Nhập mục tiêu là một số phần trăm từ 0 đến 100");
  await expect(page).toHaveTitle(/^Lỗi:/);
  await axe();
  await page.getByLabel("Đơn vị", { exact: true }).selectOption(PROVINCE);
  await page.getByLabel("Chỉ tiêu").selectOption("onTimeRate");
  await page.getByLabel("Mục tiêu tối thiểu (%)").fill("99,7");
  await page.getByRole("button", { name: "Lưu mục tiêu" }).click();
  await expect(page.getByRole("status")).toHaveText("Đã lưu thay đổi mục tiêu.");
  await expect(page.getByRole("table")).toContainText("≥ 99,70%");
  await axe();

  await page.goto(dashboardUrl);
  const onTime = page
    .getByRole("table", { name: "Chỉ tiêu so với mục tiêu" })
    .getByRole("row", { name: /Tỉ lệ giải quyết đúng hạn và trước hạn/ });
  await expect(onTime).toContainText("≥ 99,70%");
  await expect(onTime).toContainText("Dưới mục tiêu");
  // Phường Hạ Long's desk has an overdue dossier open: forecast below target at the end of the period — or,
  // when an earlier spec has already resolved a late dossier there, below target outright.
  const units = page.getByRole("table", { name: "Các đơn vị, xếp theo điểm Bộ chỉ số 766" });
  await expect(units.getByRole("row", { name: /^UBND phường Hạ Long/ })).toContainText(
    /Dự báo dưới mục tiêu cuối kỳ|Dưới mục tiêu/,
  );
  await expect(units.getByRole("row", { name: /UBND phường Hồng Gai/ })).toContainText("Dưới mục tiêu");
  await axe();

  // Every table downloads as CSV for the same scope.
  const indicators = await downloadText(page, "Tải bảng chỉ tiêu dưới dạng CSV");
  expect(indicators).toContain("indicator,numerator,denominator,rate,target,target_set_on");
  expect(indicators).toMatch(/onTimeRate,\d+,\d+,0\.\d+,0\.997,000\.00\.00\.H99,[^,]*,below/);
  const unitsCsv = await downloadText(page, "Tải bảng dưới dạng CSV");
  expect(unitsCsv).toContain("agency_code,agency_name,received");
  expect(unitsCsv).toContain("UBND phường Hồng Gai");
  const trend = await downloadText(page, "Tải số liệu xu hướng dưới dạng CSV");
  expect(trend.split("\r\n")[0]).toBe("\uFEFFmonth,on_time_rate,online_rate");
  const index = await downloadText(page, "Tải bảng chỉ số 766 dưới dạng CSV");
  expect(index).toContain("indicator_id,group,name,points");

  // Year, quarter and month presets give shareable URLs.
  await page.getByLabel("Loại kỳ").selectOption("quarter");
  await page.getByRole("button", { name: "Xem số liệu" }).click();
  await expect(page).toHaveURL(/period=quarter&year=\d{4}&quarter=[1-4]/);
  await expect(page.getByRole("alert")).toHaveCount(0);
  await axe();
});

test("bad statistics input gets a clear message, never a 500", async ({ page, axe }) => {
  await signIn(page, DEMO.manager);
  for (const [url, message] of [
    ["/manager?period=custom&from=2025-02-30&to=2025-03-01", "Nhập một ngày có thật"],
    ["/manager?from=2025-12-31&to=2025-01-01", "Ngày kết thúc phải bằng hoặc sau ngày bắt đầu"],
    ["/manager?period=custom&from=2000-01-01&to=2025-12-31", "Khoảng thời gian dài nhất là 5 năm"],
    ["/manager?period=quarter&quarter=7", "Quý phải là 1, 2, 3 hoặc 4"],
    ["/manager?agency=XYZ", "Đơn vị không tồn tại hoặc không thuộc phạm vi bạn quản lý"],
    ["/manager?procedure=9.999999", "Không có thủ tục này trong danh mục"],
    ["/manager/dossiers?metric=bogus", "Chọn một chỉ số trong danh sách"],
    ["/manager/dossiers?metric=received&page=abc", "Số trang phải là một số nguyên"],
    ["/manager/dossiers?metric=received&page=999", "Không có trang này"],
  ] as const) {
    const response = await page.goto(url);
    expect(response?.status(), url).toBeLessThan(500);
    await expect(page.getByRole("alert"), url).toContainText(message);
    await expect(page).toHaveTitle(/^Lỗi:/);
  }
  await axe();
  const bad = await page.request.get("/manager/export.csv?table=nope");
  expect(bad.status()).toBe(400);
  expect(await bad.text()).toContain("Bảng cần tải phải là");
  const badDrill = await page.request.get("/manager/dossiers.csv?metric=received&from=2025-03-01&to=2025-01-01");
  expect(badDrill.status()).toBe(400);
});

test("only managers see the statistics, and only of their own subtree", async ({ page, axe }) => {
  // A dossier outside Hạ Long: received at the Department of Justice's counter.
  await signIn(page, "canbo.tuphap");
  await page.goto("/clerk/intake");
  await page.getByLabel("Thủ tục").selectOption({ index: 1 });
  await page.getByLabel("Số định danh cá nhân của người nộp").fill("022195000002");
  await page.getByLabel("Họ và tên người nộp").fill("Trần Thị Bình");
  await page.getByRole("button", { name: "Tiếp nhận và cấp mã hồ sơ" }).click();
  await expect(page).toHaveURL(/\/clerk\/dossiers\/[0-9a-f-]{36}/);
  const justiceDossier = new URL(page.url()).pathname.split("/").pop() ?? "";

  // A clerk is refused every manager route.
  for (const path of [
    "/manager",
    "/manager/dossiers?metric=received",
    `/manager/dossiers/${justiceDossier}`,
    "/manager/targets",
    "/manager/export.csv",
    "/manager/dossiers.csv?metric=received",
  ]) {
    const r = await page.request.get(path, { maxRedirects: 0 });
    expect(r.status(), path).toBe(403);
  }
  await signOut(page);

  // The Hạ Long manager cannot list or open another unit's dossiers.
  await signIn(page, "lanhdao.halong");
  const refused = await page.goto(`/manager/dossiers?metric=received&agency=${JUSTICE}`);
  expect(refused?.status()).toBe(403);
  await expect(page.getByRole("alert")).toContainText("không thuộc phạm vi bạn quản lý");
  await expect(page.locator("#drill-total")).toHaveCount(0);
  await axe();
  const sheet = await page.goto(`/manager/dossiers/${justiceDossier}`);
  expect(sheet?.status()).toBe(404);
  const csv = await page.request.get(`/manager/dossiers.csv?metric=received&agency=${JUSTICE}`);
  expect(csv.status()).toBe(403);
  const target = await page.request.get(`/manager/targets?agency=${JUSTICE}`);
  expect(target.status()).toBe(403);
  // Their own list works, and it does not include the Justice dossier.
  await page.goto("/manager/dossiers?metric=received");
  await expect(page.locator("#drill-total")).toContainText("Tổng số:");
  await axe();
  await signOut(page);

  // The province manager can open it.
  await signIn(page, DEMO.manager);
  const ok = await page.goto(`/manager/dossiers/${justiceDossier}`);
  expect(ok?.status()).toBe(200);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Phiếu kiểm soát");
  await axe();
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the scope form, the drill-down and the targets form work as plain HTML", async ({ page, axe }) => {
    await signIn(page, DEMO.manager);
    await page.getByLabel("Loại kỳ").selectOption("year");
    await page.getByLabel("Cấp").selectOption("commune");
    await page.getByRole("button", { name: "Xem số liệu" }).click();
    await expect(page).toHaveURL(/period=year&year=\d{4}&agency=000\.00\.00\.H99&level=commune/);
    await expect(page.locator(".lead").first()).toContainText("Cấp xã");
    await axe();
    await page.getByRole("list", { name: "Chỉ số chính" }).getByRole("link").first().click();
    await expect(page).toHaveURL(/\/manager\/dossiers\?.*metric=received/);
    await expect(page.locator("#drill-total")).toContainText("Tổng số:");
    await axe();
    await page.goto("/manager/targets");
    await page.getByLabel("Chỉ tiêu").selectOption("onlineRate");
    await page.getByLabel("Mục tiêu tối thiểu (%)").fill("77");
    await page.getByRole("button", { name: "Lưu mục tiêu" }).click();
    await expect(page.getByRole("status")).toHaveText("Đã lưu thay đổi mục tiêu.");
    await page.getByRole("button", { name: /Xóa mục tiêu Tỉ lệ hồ sơ nộp trực tuyến/ }).click();
    await expect(page.getByRole("table")).not.toContainText("Tỉ lệ hồ sơ nộp trực tuyến");
    await axe();

    // In English too.
    await page.getByRole("button", { name: "English" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Targets per indicator");
    await page.goto("/manager/dossiers?metric=resolvedLate");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("List of dossiers resolved late");
    await expect(page.locator("#drill-total")).toHaveText(/^Total: \d+ dossiers?$/);
    await axe();
    await page.goto("/manager");
    await expect(page.getByRole("heading", { name: "Indicators against targets" })).toBeVisible();
    await axe();
    await page.getByRole("button", { name: "Tiếng Việt" }).click();
  });
});
