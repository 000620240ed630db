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
  await expect(page.locator(".notice")).toContainText("01/07/2025");
  await expect(page.locator(".notice")).toContainText("1679/NQ-UBTVQH15");
  await axe();
  await page.getByRole("button", { name: "English" }).click();
  await expect(page.locator(".notice")).toContainText("three levels (province, district, commune)");
  await page.getByRole("button", { name: "Tiếng Việt" }).click();

  // The figures add up by the levels of their period. 2026: province and commune only; today's demo desk is at
  // the new wards. 2025: the June dossiers count at the units they are at now (ADR 016). 2023: no dossiers.
  const received = async (query: string) => {
    await page.goto(`/manager?period=year&${query}`);
    const text = await page.getByRole("list", { name: "Chỉ số chính" }).getByRole("link").first().textContent();
    return Number((text ?? "").replace(/\D/g, ""));
  };
  const all2026 = await received("year=2026");
  const commune2026 = await received("year=2026&level=commune");
  expect(commune2026).toBeGreaterThanOrEqual(6);
  expect(commune2026 + (await received("year=2026&level=province"))).toBe(all2026);
  const all2025 = await received("year=2025");
  expect(await received("year=2025&level=commune")).toBeGreaterThanOrEqual(2);
  expect(
    (await received("year=2025&level=province")) +
      (await received("year=2025&level=district")) +
      (await received("year=2025&level=commune")),
  ).toBe(all2025);
  for (const level of ["province", "district", "commune"]) expect(await received(`year=2023&level=${level}`)).toBe(0);
  await axe();
});

test("the reorganisation page is the admin's, the choice queue the service centre's", async ({ page, axe }) => {
  await signIn(page, "quantri");
  await page.getByRole("link", { name: "Sắp xếp đơn vị hành chính" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Sắp xếp đơn vị hành chính");
  const row = page.getByRole("table", { name: "Các lần sắp xếp" }).getByRole("row").nth(1);
  await expect(row).toContainText("01/07/2025");
  await expect(row).toContainText("184 đơn vị chấm dứt, 54 đơn vị mới");
  await expect(row).toContainText("Đã áp dụng");
  await expect(page.getByText("Tài khoản cán bộ chuyển đơn vị")).toBeVisible();
  // As it happened (db/seed/demo-dossiers.ts): applied on its day, two June dossiers handed over, one to choose.
  await expect(row).toContainText("Đã áp dụng lúc 01/07/2025 08:00");
  await expect(page.getByText("Hồ sơ đang chờ chọn đơn vị: 1")).toBeVisible();
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
  await axe();
});

test("the service centre chooses the new unit of a divided unit's dossier: handed over, audited, same deadline", async ({
  page,
  axe,
}) => {
  // The demo seed filed it at Hạ Long city in June 2025 with no address; the reform could not place it.
  await signIn(page, "canbo.trungtam");
  await page.goto("/clerk/reorganisation");
  const card = page.locator("section.card");
  await expect(card).toHaveCount(1);
  await expect(card).toContainText("Nguyễn Văn An");
  await expect(card).toContainText("UBND thành phố Hạ Long");
  await expect(card.locator("dd").nth(1)).toHaveText("Không có");
  const due = (await card.locator("dd").nth(3).textContent())?.trim() ?? "";
  expect(due).toMatch(/\/2025 \d{2}:\d{2}$/);
  const code = (await card.getByRole("heading", { level: 2 }).textContent())?.trim() ?? "";
  expect(code).toMatch(/^000\.00\.31\.H99-250624-\d{4}$/);
  const dossierId = await card.locator('input[name="dossierId"]').getAttribute("value");
  const select = card.getByLabel(`Đơn vị tiếp nhận hồ sơ ${code}`);
  await expect(select.locator("option")).toHaveCount(14); // "choose a unit" and the city's 13 successors
  await expect(select).toHaveValue("");
  // Nothing chosen: refused with a message, nothing handed over.
  await card.getByRole("button", { name: "Bàn giao" }).click();
  await expect(page.getByRole("alert").first()).toContainText("Hãy chọn một trong các đơn vị kế thừa.");
  await expect(page.locator("section.card")).toHaveCount(1);
  await select.selectOption({ label: "UBND phường Hạ Long" });
  await card.getByRole("button", { name: "Bàn giao" }).click();
  await expect(page.getByRole("status")).toHaveText("Đã bàn giao hồ sơ cho đơn vị đã chọn.");
  await expect(page.getByText("Không có hồ sơ nào chờ chọn đơn vị.")).toBeVisible();
  await axe();
  // Choosing again (a stale form) is refused with a message, not a 500.
  const again = await page.request.post("/clerk/reorganisation", {
    form: { intent: "choose", dossierId: dossierId ?? "", agency: "000.01.50.H99" },
  });
  expect(again.status()).toBeLessThan(500);
  await signOut(page);

  // The ward's clerk now has it: the hand-over is on its timeline, by the service centre's choice; same deadline.
  await signIn(page, "canbo.halong");
  await page.goto(`/clerk/dossiers/${dossierId}`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(code);
  const timeline = page.locator("ol.timeline");
  await expect(timeline).toContainText("Chuyển đơn vị do sắp xếp đơn vị hành chính");
  await expect(timeline).toContainText(
    "Từ UBND thành phố Hạ Long sang UBND phường Hạ Long (Trung tâm Phục vụ hành chính công chọn)",
  );
  await expect(
    page.locator("dt", { hasText: "Ngày hẹn trả kết quả" }).locator("xpath=following-sibling::dd[1]"),
  ).toHaveText(due);
  await axe();
  await signOut(page);

  await signIn(page, "quantri");
  await page.goto("/admin/reorganisations");
  await expect(page.getByText("Hồ sơ đang chờ chọn đơn vị: 0")).toBeVisible();
});
