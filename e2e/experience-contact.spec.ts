/**
 * Issue 15, second part: contact details and delivery when filing (JavaScript off, bad input kept), the
 * procedure page's steps, conditions and blank form, the expected date before reception, the clerk's and
 * manager's tables on a phone. At 390 px and 1280 px, Vietnamese and English, axe on every page.
 * The tour of every citizen page at both widths runs always (no sideways scroll, axe); with
 * E2E_SCREENSHOTS=<folder> it also saves full-page screenshots of them.
 */
import type { Page } from "@playwright/test";
import { DEMO, expect, fillContact, signIn, TEST_PDF, test } from "./fixtures.ts";

const PHONE = { width: 390, height: 844 };
const WIDE = { width: 1280, height: 900 };
const SHOTS = process.env.E2E_SCREENSHOTS;

async function expectNoSidewaysScroll(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}
async function shot(page: Page, name: string) {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}
async function signOutAnywhere(page: Page) {
  const size = page.viewportSize();
  await page.setViewportSize(WIDE);
  await page.getByRole("button", { name: /Đăng xuất|Sign out/ }).click();
  if (size) await page.setViewportSize(size);
}
const dd = (page: Page, label: string) => page.locator("dt", { hasText: label }).locator("+ dd").first();

test.describe("filing with JavaScript off, on a phone", () => {
  test.use({ javaScriptEnabled: false, viewport: PHONE });

  test("contact and delivery: a bad number and a missing postal address are said clearly; nothing typed is lost", async ({
    page,
    axe,
  }) => {
    // Signing in is done wide (the phone's menu hides the sign-out button the helper waits for).
    await page.setViewportSize(WIDE);
    await signIn(page, DEMO.citizen);
    await page.setViewportSize(PHONE);
    await page.goto("/dossiers/new/1.001193");
    await expect(page.getByRole("heading", { name: "Liên hệ và nhận kết quả" })).toBeVisible();
    // The postal address is always there (no script to reveal it), saying when it is needed.
    await expect(page.getByText("Chỉ cần điền khi chọn nhận kết quả qua dịch vụ bưu chính.")).toBeVisible();
    await expectNoSidewaysScroll(page);
    await axe();
    await shot(page, "390-vi-new-dossier");

    await page.getByLabel("Họ, chữ đệm, tên của trẻ").fill("Lê Bảo Ngọc");
    await page.getByLabel("Ngày sinh").fill("2025-03-02");
    await page.getByLabel("Giới tính").selectOption({ label: "Nữ" });
    await page.getByLabel("Nơi sinh").fill("Bệnh viện Đa khoa tỉnh Quảng Ninh");
    await page.getByLabel("Tờ khai đăng ký khai sinh").setInputFiles(TEST_PDF);
    await page.getByLabel("Giấy chứng sinh").setInputFiles({ ...TEST_PDF, name: "chung-sinh.pdf" });
    await fillContact(page, {
      phone: "024 3825 1234",
      address: "Tổ 5, khu 3, phường Bãi Cháy, Hạ Long",
      delivery: "Qua dịch vụ bưu chính",
      postal: "",
    });
    await page.getByRole("button", { name: "Tiếp tục" }).click();

    const summary = page.getByRole("alert");
    await expect(summary).toContainText("Số điện thoại di động: Nhập số điện thoại di động Việt Nam gồm 10 chữ số");
    await expect(summary).toContainText(
      "Địa chỉ nhận kết quả qua bưu chính: Nhập địa chỉ nhận kết quả vì bạn đã chọn nhận qua dịch vụ bưu chính",
    );
    // What was typed is still there, the mistyped number included.
    await expect(page.getByLabel("Số điện thoại di động")).toHaveValue("024 3825 1234");
    await expect(page.getByLabel("Địa chỉ liên hệ")).toHaveValue("Tổ 5, khu 3, phường Bãi Cháy, Hạ Long");
    await expect(page.getByLabel("Qua dịch vụ bưu chính")).toBeChecked();
    await expect(page.getByLabel("Họ, chữ đệm, tên của trẻ")).toHaveValue("Lê Bảo Ngọc");
    await expectNoSidewaysScroll(page);
    await axe();
    await shot(page, "390-vi-new-dossier-errors");

    await page.getByLabel("Số điện thoại di động").fill("+84 983 456 789");
    await page.getByLabel("Địa chỉ nhận kết quả qua bưu chính").fill("Số 8 phố Cột Đồng Hồ, phường Hồng Gai, Hạ Long");
    await page.getByRole("button", { name: "Tiếp tục" }).click();

    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Kiểm tra thông tin trước khi nộp");
    await expect(dd(page, "Số điện thoại di động")).toHaveText("0983 456 789");
    await expect(dd(page, "Cách nhận kết quả")).toHaveText("Qua dịch vụ bưu chính");
    await expect(dd(page, "Địa chỉ nhận kết quả qua bưu chính")).toHaveText(
      "Số 8 phố Cột Đồng Hồ, phường Hồng Gai, Hạ Long",
    );
    await expectNoSidewaysScroll(page);
    await axe();
    await shot(page, "390-vi-review");
    await page.getByRole("button", { name: "Nộp hồ sơ" }).click();

    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Đã nộp hồ sơ thành công");
    const receipt = page.locator(".receipt");
    await expect(receipt.locator("dt", { hasText: "Cách nhận kết quả" }).locator("+ dd")).toHaveText(
      "Qua dịch vụ bưu chính",
    );
    await expect(receipt.locator("dt", { hasText: "Số điện thoại di động" }).locator("+ dd")).toHaveText(
      "0983 456 789",
    );
    await expectNoSidewaysScroll(page);
    await axe();
    await shot(page, "390-vi-receipt");
    const code = ((await page.locator(".dossier-code").textContent()) ?? "").trim();

    // My dossiers: the date the procedure promises, and that the official one comes at reception.
    await page.goto("/dossiers");
    const card = page.getByRole("row").filter({ hasText: code });
    await expect(card).toContainText(/Dự kiến \d{2}\/\d{2}\/\d{4}/);
    await expect(card).toContainText("Hạn chính thức được ghi khi cơ quan tiếp nhận hồ sơ");
    await expectNoSidewaysScroll(page);
    await axe();

    // The next filing starts with the details given this time.
    await page.goto("/dossiers/new/1.001193");
    await expect(page.getByLabel("Số điện thoại di động")).toHaveValue("0983456789");
    await expect(page.getByLabel("Qua dịch vụ bưu chính")).toBeChecked();
    await signOutAnywhere(page);

    // The public look-up says the same before reception.
    await page.goto(`/lookup?code=${encodeURIComponent(code)}`);
    await page.getByLabel(/Số định danh cá nhân/).fill(DEMO.citizen);
    await page.getByRole("button", { name: "Tra cứu" }).click();
    await expect(dd(page, "Ngày hẹn trả")).toHaveText(
      /^Dự kiến \d{2}\/\d{2}\/\d{4} \d{2}:\d{2} .*hạn chính thức được ghi khi cơ quan tiếp nhận hồ sơ$/,
    );
    await expectNoSidewaysScroll(page);
    await axe();
    await shot(page, "390-vi-lookup");

    // The clerk sees how to reach the applicant and where the result goes.
    await page.setViewportSize(WIDE);
    await signIn(page, "canbo.honggai");
    await page.goto(`/clerk?q=${encodeURIComponent(code)}`);
    await page.getByRole("link", { name: code }).click();
    await expect(dd(page, "Số điện thoại di động")).toHaveText("0983 456 789");
    await expect(dd(page, "Cách nhận kết quả")).toHaveText("Qua dịch vụ bưu chính");
    await expect(dd(page, "Địa chỉ nhận kết quả qua bưu chính")).toContainText("Cột Đồng Hồ");
    await axe();
  });
});

test("English, JavaScript on, wide: the contact section and its messages are translated", async ({ page, axe }) => {
  await page.setViewportSize(WIDE);
  await signIn(page, DEMO.citizen);
  await page.goto("/dossiers/new/1.001193");
  await page.getByRole("button", { name: "English" }).click();
  await expect(page.getByRole("heading", { name: "Contact and receiving the result" })).toBeVisible();
  await page.getByLabel("Mobile phone number").fill("12345");
  await page.getByLabel("By post", { exact: true }).check();
  await page.getByLabel("Postal address for the result").fill("");
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.getByRole("alert")).toContainText("Enter a Vietnamese mobile number of 10 digits");
  await expect(page.getByLabel("Mobile phone number")).toHaveValue("12345");
  await axe();
  await page.getByRole("button", { name: "Tiếng Việt" }).click();
});

test("procedure pages: steps, conditions, documents and the blank form; plain words where the catalogue has none", async ({
  page,
  axe,
  request,
}) => {
  for (const viewport of [PHONE, WIDE]) {
    await page.setViewportSize(viewport);
    await page.goto("/procedures/1.000894");
    await expect(page.getByRole("heading", { name: "Trình tự thực hiện" })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Điều kiện thực hiện" })).toBeVisible();
    await expect(page.getByText("Nam từ đủ 20 tuổi trở lên, nữ từ đủ 18 tuổi trở lên.")).toBeVisible();
    await expect(page.getByRole("heading", { name: "Thành phần hồ sơ" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Tải tờ khai trống (PDF)" })).toBeVisible();
    await expectNoSidewaysScroll(page);
    await axe();
  }
  // A generated or less-known procedure: no invented steps.
  await page.goto("/procedures/2.000528");
  await expect(page.getByRole("heading", { name: "Trình tự và điều kiện" })).toBeVisible();
  await expect(page.getByText(/Danh mục của Cổng chưa có trình tự thực hiện và điều kiện/)).toBeVisible();
  await expect(page.getByRole("heading", { name: "Trình tự thực hiện" })).toHaveCount(0);
  await axe();

  const pdf = await request.get("/procedures/1.001193/form.pdf");
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()["content-type"]).toBe("application/pdf");
  expect((await pdf.body()).subarray(0, 5).toString()).toBe("%PDF-");
  expect((await request.get("/procedures/9.999999/form.pdf")).status()).toBe(404);

  await page.goto("/procedures/1.001193");
  await page.getByRole("button", { name: "English" }).click();
  await expect(page.getByRole("heading", { name: "Steps" })).toBeVisible();
  await expect(page.getByText(/Within 60 days of the birth/)).toBeVisible();
  await expect(page.getByRole("link", { name: "Download the blank declaration form (PDF)" })).toBeVisible();
  await axe();
  await page.getByRole("button", { name: "Tiếng Việt" }).click();
});

test("clerk intake takes the same contact details, with the same messages", async ({ page, axe }) => {
  await signIn(page, DEMO.clerk);
  await page.goto("/clerk/intake");
  await page.getByLabel("Thủ tục").selectOption({ index: 1 });
  await page.getByLabel("Số định danh cá nhân").fill("022090000777");
  await page.getByLabel("Họ và tên").fill("Vũ Thị Hoa");
  await page.getByLabel("Số điện thoại").fill("0123");
  await page.getByLabel("Qua dịch vụ bưu chính").check();
  await page.getByRole("button", { name: /Tiếp nhận/ }).click();
  await expect(page.getByRole("alert")).toContainText("Nhập số điện thoại di động Việt Nam gồm 10 chữ số");
  await expect(page.getByRole("alert")).toContainText("Nhập địa chỉ nhận kết quả");
  await axe();
  await page.getByLabel("Số điện thoại").fill("0987 654 321");
  await page.getByLabel("Địa chỉ nhận kết quả qua bưu chính").fill("Số 2 Lê Lợi, Hạ Long");
  await page.getByRole("button", { name: /Tiếp nhận/ }).click();
  await expect(dd(page, "Số điện thoại di động")).toHaveText("0987 654 321");
  await expect(dd(page, "Cách nhận kết quả")).toHaveText("Qua dịch vụ bưu chính");
});

test.describe("staff tables on a phone", () => {
  test.use({ viewport: PHONE });

  test("the clerk queue and the manager's tables are cards, with no sideways scrolling", async ({ page, axe }) => {
    await page.setViewportSize(WIDE);
    await signIn(page, DEMO.clerk);
    await page.setViewportSize(PHONE);
    await page.goto("/clerk");
    await expectNoSidewaysScroll(page);
    const first = page.locator("table.table--cards tbody tr").first();
    await expect(first).toBeVisible();
    expect((await first.boundingBox())?.width ?? 0).toBeGreaterThan(300);
    await axe();
    await shot(page, "390-clerk-queue");
    await signOutAnywhere(page);

    await page.setViewportSize(WIDE);
    await signIn(page, DEMO.manager);
    await page.setViewportSize(PHONE);
    for (const url of ["/manager", "/manager/dossiers?metric=received", "/manager/targets"]) {
      await page.goto(url);
      await expectNoSidewaysScroll(page);
      await axe();
      await shot(page, `390-manager-${url.replace(/\W+/g, "-")}`);
    }
    await page.goto("/manager/dossiers?metric=received");
    const dossier = page.locator("table.table--cards tbody tr a").first();
    if ((await dossier.count()) > 0) {
      await dossier.click();
      await expectNoSidewaysScroll(page);
      await axe();
      await shot(page, "390-manager-dossier");
    }
  });
});

test.describe("every citizen page, toured (and saved as screenshots with E2E_SCREENSHOTS)", () => {
  for (const viewport of [PHONE, WIDE]) {
    test(`at ${viewport.width} px`, async ({ page, axe }) => {
      await page.setViewportSize(WIDE);
      await signIn(page, DEMO.citizen);
      await page.setViewportSize(viewport);
      const w = viewport.width;
      const pages: Array<[string, string]> = [
        ["home", "/"],
        ["search", "/procedures?q=khai+sinh"],
        ["procedure", "/procedures/1.001193"],
        ["procedure-unknown", "/procedures/2.000528"],
        ["new-dossier", "/dossiers/new/1.001193"],
        ["my-dossiers", "/dossiers"],
        ["account", "/account"],
        ["lookup", "/lookup"],
      ];
      for (const [name, url] of pages) {
        const response = await page.goto(url);
        expect(response?.status(), url).toBe(200);
        if (w === 390) await expectNoSidewaysScroll(page);
        await axe();
        await shot(page, `${w}-vi-${name}`);
      }
      await page.goto("/dossiers");
      const filed = page.locator("table tbody tr a").filter({ hasText: /H99-/ });
      await filed.first().click();
      if (w === 390) await expectNoSidewaysScroll(page);
      await shot(page, `${w}-vi-dossier`);
      // A paid fee's receipt (biên lai), from whichever of the citizen's dossiers has one.
      for (let i = 0; i < Math.min(await filed.count(), 8); i++) {
        await page.goto("/dossiers");
        await filed.nth(i).click();
        const receipt = page.locator('a[href^="/payments/"]').first();
        if ((await receipt.count()) === 0) continue;
        await receipt.click();
        if (w === 390) await expectNoSidewaysScroll(page);
        await shot(page, `${w}-vi-payment-receipt`);
        break;
      }
      const draft = page.locator("table tbody tr a").filter({ hasText: /Bản nháp/ });
      await page.goto("/dossiers");
      if ((await draft.count()) > 0) {
        await draft.first().click();
        await shot(page, `${w}-vi-draft`);
      }
    });
  }
});
