import { expect, test } from "./fixtures.ts";

test.describe("procedure catalogue", () => {
  test("a citizen finds a procedure typed without accents and opens it", async ({ page, axe }) => {
    await page.goto("/procedures");
    await axe();
    await page.getByLabel("Tìm theo tên hoặc mã thủ tục").fill("dang ky khai sinh");
    await page.getByRole("button", { name: "Tìm kiếm" }).click();
    await expect(page).toHaveURL(/q=dang\+ky\+khai\+sinh/);
    const first = page.locator(".result-list li").first();
    await expect(first).toContainText(/khai sinh/i);
    await first.getByRole("link").click();
    await expect(page.getByRole("heading", { level: 1 })).toContainText(/khai sinh/i);
    await expect(page.getByText("Ngày hẹn trả nếu nộp bây giờ")).toBeVisible();
    await axe();
  });

  test("filters by level and online kind, and paginates", async ({ page, axe }) => {
    await page.goto("/procedures");
    const status = page.getByRole("status").first();
    const before = (await status.textContent()) ?? "";
    const total = Number(before.match(/\d+/)?.[0]);
    expect(total).toBeGreaterThanOrEqual(60);
    await page.getByLabel("Cấp thực hiện").selectOption("commune");
    await page.getByLabel("Mức độ trực tuyến").selectOption("full");
    await page.getByRole("button", { name: "Tìm kiếm" }).click();
    await expect(page).toHaveURL(/level=commune.*online=full/);
    await expect(status).not.toHaveText(before);
    const filtered = Number((await page.getByRole("status").first().textContent())?.match(/\d+/)?.[0]);
    expect(filtered).toBeGreaterThan(0);
    expect(filtered).toBeLessThan(total);
    await expect(page.locator(".result-list .tag").first()).toHaveText("Trực tuyến toàn trình");
    await axe();

    await page.goto("/procedures?page=2");
    await expect(page.getByText(/Trang 2 \//)).toBeVisible();
    await expect(page.getByRole("link", { name: "Trang trước" })).toBeVisible();
  });

  test("open data: procedures and agencies as JSON, and the working-day calculator", async ({ request }) => {
    const procedures = await (await request.get("/api/v1/procedures?online=full&pageSize=5")).json();
    expect(procedures.items).toHaveLength(5);
    expect(procedures.items[0]).toMatchObject({ onlineKind: "full", processingTime: { unit: expect.any(String) } });
    const tooMany = await request.get("/api/v1/procedures?pageSize=200");
    expect(tooMany.status()).toBe(400);
    expect(await tooMany.json()).toMatchObject({ maximum: 100, error: expect.stringContaining("100") });
    const agencies = await (await request.get("/api/v1/agencies")).json();
    expect(agencies.items.filter((a: { level: string }) => a.level === "district")).toHaveLength(13);
    // As of a date (ADR 016): three levels in 2023, two since 1 July 2025; old units name their successors.
    type Unit = { code: string; level: string; validTo: string | null; successors: Array<{ code: string }> };
    const in2023: Unit[] = (await (await request.get("/api/v1/agencies?asOf=2023-06-01")).json()).items;
    const in2026: Unit[] = (await (await request.get("/api/v1/agencies?asOf=2026-01-01")).json()).items;
    expect(in2023.filter((a) => a.level === "district")).toHaveLength(13);
    expect(in2026.filter((a) => a.level === "district")).toHaveLength(0);
    expect(in2026.filter((a) => a.level === "commune")).toHaveLength(54);
    const ended = in2023.find((a) => a.level === "commune" && a.validTo === "2025-07-01");
    expect(ended?.successors.length).toBeGreaterThan(0);
    expect(in2026.map((a) => a.code)).toContain(ended?.successors[0]?.code);
    expect((await request.get("/api/v1/agencies?asOf=2025-02-30")).status()).toBe(400);
    const district2026 = await request.get("/api/v1/metrics?from=2026-01-01&to=2026-03-31&level=district");
    expect(district2026.status()).toBe(400);
    expect((await district2026.json()).messages[0]).toContain("the district level was abolished on 2025-07-01");
    expect((await request.get("/api/v1/metrics?from=2023-01-01&to=2023-03-31&level=district")).status()).toBe(200);

    // docs/domain.md worked example 2: Tết 2025.
    const due = await request.get(
      "/api/v1/calendar/due?received=2025-01-24T16:00:00%2B07:00&amount=5&unit=working_days",
    );
    expect(await due.json()).toEqual({
      receivedEffective: "2025-01-24T16:00:00+07:00",
      due: "2025-02-07T17:00:00+07:00",
    });
    const bad = await request.get("/api/v1/calendar/due?received=yesterday&amount=-2&unit=weeks");
    expect(bad.status()).toBe(400);
    const messages: string[] = (await bad.json()).messages;
    for (const name of ["received", "amount", "unit"]) expect(messages.join(" ")).toContain(name);
    expect((await request.get("/openapi.json")).ok()).toBe(true);
  });
});
