import { DEMO, expect, signIn, test } from "./fixtures.ts";

test("a manager sees metrics computed from the dossiers, ranks units, exports CSV, and bad periods are explained", async ({
  page,
  axe,
  request,
}) => {
  await signIn(page, DEMO.manager);
  const headline = page.getByRole("list", { name: "Chỉ số chính" });
  await expect(headline).toContainText("hồ sơ tiếp nhận");
  await expect(page.getByRole("table", { name: "Bộ chỉ số 766: các chỉ tiêu" })).toContainText("Hồ sơ nộp trực tuyến");
  await expect(page.getByRole("img", { name: "Xu hướng theo tháng" })).toBeVisible();
  await page.getByText("Xem số liệu của biểu đồ").click();
  await expect(page.getByRole("table", { name: "Xu hướng theo tháng" })).toContainText(
    String(new Date().getFullYear()),
  );
  await axe();

  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Tải bảng dưới dạng CSV" }).click();
  const csv = await (await download).path();
  const text = (await import("node:fs")).readFileSync(csv, "utf8");
  expect(text).toContain("agency_code,agency_name,received");
  expect(text).toContain("UBND phường Hạ Long");

  await page.goto("/manager?from=2025-12-31&to=2025-01-01");
  await expect(page.getByRole("alert")).toContainText("Ngày kết thúc phải bằng hoặc sau ngày bắt đầu");
  await axe();

  // The open-data API computes the same way, and refuses bad input with clear messages.
  const year = new Date().getFullYear();
  const ok = await request.get(`/api/v1/metrics?from=${year}-01-01&to=${year}-12-31&agency=000.00.00.H99`);
  const body = await ok.json();
  expect(body).toMatchObject({ received: expect.any(Number), proceduresTotal: 73 });
  expect(body.onlineProcedureRate).toBeCloseTo((body.proceduresFullOnline + body.proceduresPartialOnline) / 73, 10);
  for (const bad of [
    "from=2025-02-30&to=2025-03-01",
    "from=2025-03-01&to=2025-01-01",
    "from=2025-01-01&to=2025-02-01&agency=XYZ",
    "from=2000-01-01&to=2025-01-01",
  ]) {
    const r = await request.get(`/api/v1/metrics?${bad}`);
    expect(r.status(), bad).toBe(400);
  }
});
