import type { Page } from "@playwright/test";
import { DEMO, expect, fileBirthRegistration, signIn, signOut, test } from "./fixtures.ts";

const CLERK_HONG_GAI = "canbo.honggai";
const PHONE = { width: 390, height: 844 };
const SHOTS = process.env.E2E_SCREENSHOTS; // a folder: save 390 px screenshots there to look at them

/** Nothing sticks out sideways: the page is no wider than the screen. */
async function expectNoSidewaysScroll(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

async function shot(page: Page, name: string) {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

test.describe("on a phone (390 px)", () => {
  test.use({ viewport: PHONE });

  test("home: compact header with a menu, a search box, fields as links; catalogue filters folded", async ({
    page,
    axe,
  }) => {
    await page.goto("/");
    const header = await page.getByRole("banner").boundingBox();
    expect(header?.height ?? 999).toBeLessThan(100);
    await expect(page.locator('meta[name="description"]')).toHaveAttribute("content", /Cổng Dịch vụ công/);
    // The menu opens without JavaScript (<details>).
    await expect(page.getByRole("navigation").getByRole("link", { name: "Thủ tục hành chính" })).toBeHidden();
    await page.getByText("Menu", { exact: true }).click();
    await expect(page.getByRole("navigation").getByRole("link", { name: "Thủ tục hành chính" })).toBeVisible();
    await axe();
    await page.getByText("Menu", { exact: true }).click();
    await expectNoSidewaysScroll(page);
    await shot(page, "home");

    await page.getByRole("searchbox", { name: "Tìm thủ tục hành chính" }).fill("khai sinh");
    await page.getByRole("button", { name: "Tìm kiếm" }).click();
    await expect(page).toHaveURL(/\/procedures\?q=khai\+sinh/);
    // The four filters wait behind one line; the results come first.
    await expect(page.getByLabel("Lĩnh vực")).toBeHidden();
    const firstResult = await page.locator(".result-list li").first().boundingBox();
    expect((firstResult?.y ?? 9999) + 40).toBeLessThan(PHONE.height);
    await axe();
    await expectNoSidewaysScroll(page);
    await shot(page, "search");
    await page.getByText("Lọc theo lĩnh vực, cấp, cơ quan, mức độ trực tuyến").click();
    await expect(page.getByLabel("Lĩnh vực")).toBeVisible();

    await page.goto("/");
    const field = page.locator(".field-list a").first();
    const fieldName = (await field.textContent()) ?? "";
    await field.click();
    await expect(page).toHaveURL(/\/procedures\?field=/);
    await expect(page.getByLabel("Lĩnh vực").locator("option:checked")).toHaveText(fieldName);

    await page.goto("/procedures/1.001193");
    await expect(page.locator('meta[name="description"]')).toHaveAttribute("content", /đăng ký khai sinh/i);
    await expectNoSidewaysScroll(page);
    await axe();
    await shot(page, "procedure");
  });

  test("receipt, My dossiers as cards, and the clerk's side of the same dossier", async ({ page, axe }) => {
    // Signing in and out is done on a wide screen (the phone's menu hides the sign-out button until opened).
    await page.setViewportSize({ width: 1280, height: 900 });
    await signIn(page, DEMO.citizen);
    await page.setViewportSize(PHONE);
    const code = await fileBirthRegistration(page);
    const dossierUrl = page.url().replace(/\?.*$/, "");
    // The date the procedure page promised, not "computed later".
    await expect(page.locator("dt", { hasText: "Ngày hẹn trả" }).locator("+ dd")).toHaveText(
      /^Dự kiến \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}/,
    );
    const box = await page.locator(".receipt").boundingBox();
    const qr = await page.locator(".qr").boundingBox();
    expect((qr?.x ?? 0) + (qr?.width ?? 999)).toBeLessThanOrEqual((box?.x ?? 0) + (box?.width ?? 0));
    await expectNoSidewaysScroll(page);
    await axe();
    await shot(page, "receipt");

    await page.goto("/dossiers");
    const card = page.getByRole("row").filter({ hasText: code });
    await expect(card).toBeVisible();
    // A card: the procedure's name gets the full width, not one word per line.
    const name = await card.locator("td").nth(1).boundingBox();
    expect(name?.width ?? 0).toBeGreaterThan(250);
    await expectNoSidewaysScroll(page);
    await axe();
    await shot(page, "dossiers");

    await page.goto("/account");
    await expectNoSidewaysScroll(page);
    await page.getByText("Menu", { exact: true }).click();
    await expect(page.getByRole("button", { name: "Đăng xuất" })).toBeVisible();
    await page.setViewportSize({ width: 1280, height: 900 });
    await signOut(page);

    // The clerk finds it by code, acts, and is told what happened.
    await signIn(page, CLERK_HONG_GAI);
    await page.getByLabel("Tìm hồ sơ").fill(code.toLowerCase());
    await page.getByRole("button", { name: "Lọc" }).click();
    await expect(page.getByRole("link", { name: code })).toBeVisible();
    // By the applicant's name typed without accents, and by the ID number.
    const applicant = ((await page.getByRole("row").filter({ hasText: code }).locator("td").nth(2).textContent()) ?? "")
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/đ/gi, "d")
      .toLowerCase()
      .split(" ")
      .slice(-2)
      .join(" ");
    await page.getByLabel("Tìm hồ sơ").fill(applicant);
    await page.getByRole("button", { name: "Lọc" }).click();
    await expect(page.getByRole("link", { name: code })).toBeVisible();
    await page.getByLabel("Tìm hồ sơ").fill(DEMO.citizen);
    await page.getByRole("button", { name: "Lọc" }).click();
    await expect(page.getByRole("link", { name: code })).toBeVisible();
    await page.getByLabel("Tìm hồ sơ").fill("không-có-ai");
    await page.getByRole("button", { name: "Lọc" }).click();
    await expect(page.getByRole("link", { name: code })).toHaveCount(0);
    await page.goto(`/clerk?q=${encodeURIComponent(code)}`);
    await page.getByRole("link", { name: code }).click();
    // Answers as the citizen chose them, dates as dd/mm/yyyy, files under the document they are for.
    const answer = (label: string) => page.locator("dt", { hasText: label }).locator("+ dd");
    await expect(answer("Giới tính")).toHaveText("Nam");
    await expect(answer("Ngày sinh")).toHaveText("01/02/2025");
    await expect(answer("Tờ khai đăng ký khai sinh")).toContainText("to-khai.pdf");
    await expect(answer("Giấy chứng sinh")).toContainText("chung-sinh.pdf");
    await page.getByRole("button", { name: "Tiếp nhận hồ sơ" }).click();
    await expect(page.getByRole("status")).toHaveText(
      "Đã thực hiện: Tiếp nhận hồ sơ. Trạng thái hồ sơ: Được tiếp nhận.",
    );
    await expect(page.getByText(/người thao tác gần nhất: Hoàng Thị Mai/)).toBeVisible();
    await axe();
    await signOut(page);

    // The citizen's result link goes back to the list.
    await signIn(page, DEMO.citizen);
    await page.goto(dossierUrl);
    await expect(page.locator("dt", { hasText: "Ngày hẹn trả" }).locator("+ dd")).toHaveText(
      /^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/,
    );
  });
});

test("English: grouped numbers and dates in the language's own style", async ({ page, axe }) => {
  await page.goto("/procedures/1.001193");
  await page.getByRole("button", { name: "English" }).click();
  await expect(page.locator("dt", { hasText: "Expected return if you file now" }).locator("+ dd")).toHaveText(
    /^\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}$/,
  );
  await axe();
  await page.goto("/");
  await expect(page.getByRole("searchbox", { name: "Find an administrative procedure" })).toBeVisible();
  await page.getByRole("button", { name: "Tiếng Việt" }).click();
});

test("manager: rates with a decimal comma, units without dossiers last, period fields follow the kind", async ({
  page,
  axe,
}) => {
  await signIn(page, DEMO.manager);
  await page.goto("/manager");
  const headline = page.locator(".stat-list");
  await expect(headline).toContainText(/\d+,\d%/);
  await expect(headline).not.toContainText(/\d+\.\d%/);
  const units = page.getByRole("table", { name: "Các đơn vị, xếp theo điểm Bộ chỉ số 766" });
  const scores = await units.locator("tbody tr").evaluateAll((rows) =>
    rows.map((r) => ({
      received: (r.children[1]?.textContent ?? "").trim(),
      score: (r.children[5]?.textContent ?? "").trim(),
    })),
  );
  const firstEmpty = scores.findIndex((s) => s.received === "0");
  if (firstEmpty >= 0) {
    expect(scores.slice(firstEmpty).every((s) => s.received === "0" && s.score === "—")).toBe(true);
    await expect(page.getByText(/không tiếp nhận hồ sơ nào trong kỳ hiển thị “—” và xếp cuối/)).toBeVisible();
  }
  // Only the fields of the chosen period show (CSS :has(), no JavaScript).
  await page.getByLabel("Loại kỳ").selectOption("month");
  await expect(page.getByLabel("Tháng", { exact: true })).toBeVisible();
  await expect(page.getByLabel("Quý", { exact: true })).toBeHidden();
  await expect(page.getByLabel("Từ ngày")).toBeHidden();
  await page.getByLabel("Loại kỳ").selectOption("custom");
  await expect(page.getByLabel("Từ ngày")).toBeVisible();
  await expect(page.getByLabel("Tháng", { exact: true })).toBeHidden();
  await axe();
});
