import type { Page } from "@playwright/test";
import { DEMO, expect, fillContact, signIn, test } from "./fixtures.ts";

const PDF = { name: "to-khai.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4\n% test document\n") };
const FAKE_PDF = {
  name: "virus.pdf",
  mimeType: "application/pdf",
  buffer: Buffer.from("MZ\x90\x00 this is not a pdf"),
};

async function whenCitizenFilesABirthRegistration(page: Page, axe: () => Promise<void>): Promise<string> {
  await page.goto("/procedures/1.001193");
  await page.getByRole("button", { name: "Nộp hồ sơ trực tuyến" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Nộp hồ sơ trực tuyến");
  await axe();

  // Bad input first: a disguised file and a script tag; the typed answers must survive.
  await page.getByLabel("Họ, chữ đệm, tên của trẻ").fill("<script>alert(1)</script> Nguyễn Bé Na");
  await page.getByLabel("Tờ khai đăng ký khai sinh").setInputFiles(FAKE_PDF);
  await page.getByRole("button", { name: "Lưu nháp" }).click();
  await expect(page.getByRole("alert")).toContainText("Chỉ nhận tệp PDF, JPG hoặc PNG");
  await expect(page.getByLabel("Họ, chữ đệm, tên của trẻ")).toHaveValue("<script>alert(1)</script> Nguyễn Bé Na");
  await axe();

  // Draft resume: leave, come back from My dossiers.
  await page.goto("/dossiers");
  await page.getByRole("link", { name: "Bản nháp" }).first().click();
  await expect(page.getByLabel("Họ, chữ đệm, tên của trẻ")).toHaveValue("<script>alert(1)</script> Nguyễn Bé Na");

  await page.getByLabel("Họ, chữ đệm, tên của trẻ").fill("Nguyễn Bé Na");
  await page.getByLabel("Ngày sinh").fill("2025-01-15");
  await page.getByLabel("Giới tính").selectOption({ label: "Nữ" });
  await page.getByLabel("Nơi sinh").fill("Bệnh viện Bãi Cháy, Hạ Long");
  await page.getByLabel("Tờ khai đăng ký khai sinh").setInputFiles(PDF);
  await page.getByLabel("Giấy chứng sinh").setInputFiles({ ...PDF, name: "giay-chung-sinh.pdf" });
  await fillContact(page);
  await page.getByRole("button", { name: "Tiếp tục" }).click();

  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Kiểm tra thông tin trước khi nộp");
  await expect(page.getByText("Nguyễn Bé Na")).toBeVisible();
  await expect(page.getByText("giay-chung-sinh.pdf")).toBeVisible();
  // The fee is said before filing (birth registration is free).
  await expect(page.getByRole("heading", { name: "Phí, lệ phí" })).toBeVisible();
  await expect(page.getByText("Thủ tục này không thu phí, lệ phí.")).toBeVisible();
  await axe();
  await page.getByRole("button", { name: "Nộp hồ sơ" }).click();

  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Đã nộp hồ sơ thành công");
  const code = (await page.locator(".dossier-code").textContent())?.trim() ?? "";
  expect(code).toMatch(/^\d{3}\.\d{2}\.\d{2}\.H99-\d{6}-\d{4}$/);
  await expect(page.getByRole("img", { name: "Mã QR để tra cứu hồ sơ" })).toBeVisible();
  await expect(page.getByText("Mới đăng ký").first()).toBeVisible();
  await expect(page.getByRole("heading", { name: "Ai đã xem hồ sơ của tôi" })).toBeVisible();
  await axe();
  return code;
}

async function thenTheDossierIsListedAndPubliclyTrackable(page: Page, code: string, axe: () => Promise<void>) {
  await page.goto("/dossiers");
  await expect(page.getByRole("link", { name: code })).toBeVisible();
  await expect(page.getByRole("row", { name: new RegExp(code.replace(/\./g, "\\.")) })).toContainText(
    "Chờ cơ quan tiếp nhận",
  );
  await axe();

  await page.getByRole("button", { name: "Đăng xuất" }).click();
  await page.goto("/lookup");
  await page.getByLabel("Mã hồ sơ").fill(code);
  await page.getByLabel("Số định danh cá nhân của người nộp").fill("022195000002");
  await page.getByRole("button", { name: "Tra cứu" }).click();
  await expect(page.getByRole("alert")).toContainText("Không tìm thấy hồ sơ");
  await axe();
  await page.getByLabel("Số định danh cá nhân của người nộp").fill(DEMO.citizen);
  await page.getByRole("button", { name: "Tra cứu" }).click();
  await expect(page.getByRole("heading", { name: "Tình trạng hồ sơ" })).toBeVisible();
  await expect(page.getByText("Mới đăng ký")).toBeVisible();
  await expect(page.getByText("Nguyễn Văn An")).toHaveCount(0);
  // The look-up is a POST: the ID number never lands in the address bar, history or server logs.
  expect(page.url()).not.toContain(DEMO.citizen);
  await axe();
}

test.describe("citizen files a dossier online", () => {
  test("with JavaScript", async ({ page, axe }) => {
    await signIn(page, DEMO.citizen);
    const code = await whenCitizenFilesABirthRegistration(page, axe);
    await thenTheDossierIsListedAndPubliclyTrackable(page, code, axe);
  });

  test.describe("without JavaScript", () => {
    test.use({ javaScriptEnabled: false });
    test("the same journey works", async ({ page, axe }) => {
      await signIn(page, DEMO.citizen);
      const code = await whenCitizenFilesABirthRegistration(page, axe);
      await thenTheDossierIsListedAndPubliclyTrackable(page, code, axe);
    });
  });

  test("another citizen cannot open the dossier or its files", async ({ page, browser }) => {
    await signIn(page, DEMO.citizen);
    await page.goto("/dossiers");
    const href = await page.locator("tbody a").first().getAttribute("href");
    expect(href).toBeTruthy();
    const other = await browser.newPage();
    await signIn(other, "022195000002");
    const response = await other.goto(href ?? "/");
    expect(response?.status()).toBe(404);
    const edit = await other.goto(`${href}/edit`);
    expect(edit?.status()).toBe(404);
    await other.close();
  });
});
