import fs from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";
import { DEMO, expect, signIn, signOut, TEST_PDF, test } from "./fixtures.ts";

// The whole signing flow works without JavaScript (ADR 003): plain forms and links.
test.use({ javaScriptEnabled: false });

/** Screenshots for looking at the pages (390 px and 1280 px, vi and en), only when SHOTS_DIR is set. */
const SHOTS = process.env.SHOTS_DIR;
const shot = async (page: Page, name: string) => {
  if (SHOTS) await page.screenshot({ path: path.join(SHOTS, name), fullPage: true });
};

test("a citizen signs the declaration through the remote signing simulator; the clerk sees the verified signature; /verify accepts it", async ({
  page,
  axe,
}) => {
  test.setTimeout(180_000);
  if (SHOTS) fs.mkdirSync(SHOTS, { recursive: true });
  await signIn(page, DEMO.citizen);
  await page.goto("/dossiers/new/1.001193");
  await page.getByLabel("Họ, chữ đệm, tên của trẻ").fill("Nguyễn Hà My");
  await page.getByLabel("Ngày sinh").fill("2025-03-01");
  await page.getByLabel("Giới tính").selectOption({ label: "Nữ" });
  await page.getByLabel("Nơi sinh").fill("Bệnh viện Bãi Cháy");
  await page.getByLabel("Tờ khai đăng ký khai sinh").setInputFiles(TEST_PDF);
  await page.getByLabel("Giấy chứng sinh").setInputFiles({ ...TEST_PDF, name: "chung-sinh.pdf" });
  await page.getByRole("button", { name: "Tiếp tục" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Kiểm tra thông tin trước khi nộp");
  const checkUrl = page.url();
  await expect(page.getByRole("heading", { name: "Ký số hồ sơ" })).toBeVisible();
  await axe();

  // "Ký số hồ sơ": the simulator sends a one-time code; the page asks for it and says where to read it (demo).
  await page.getByRole("button", { name: "Ký số hồ sơ" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Nhập mã OTP để ký số tờ khai");
  await page.setViewportSize({ width: 390, height: 844 });
  await shot(page, "otp-390-vi.png");
  await page.setViewportSize({ width: 1280, height: 900 });
  await axe();
  const phoneUrl = await page.getByTestId("demo-phone").getByRole("link").getAttribute("href");
  expect(phoneUrl).toMatch(/\/phone\/cred-/);

  const signPage = page.url();

  // The simulated phone shows the code.
  await page.goto(phoneUrl ?? "");
  const otp = ((await page.getByTestId("otp").textContent()) ?? "").trim();
  expect(otp).toMatch(/^\d{6}$/);
  await page.setViewportSize({ width: 390, height: 844 });
  await shot(page, "phone-390.png");
  await page.setViewportSize({ width: 1280, height: 900 });
  await axe();

  // A wrong code: a clear message, nothing saved.
  await page.goto(signPage);
  await page.getByLabel("Mã OTP").fill(otp === "000000" ? "111111" : "000000");
  await page.getByRole("button", { name: "Ký số", exact: true }).click();
  await expect(page.getByRole("alert")).toContainText("Mã OTP không đúng");
  await shot(page, "otp-wrong-1280-vi.png");
  await axe();
  expect((await page.request.get(new URL(checkUrl).pathname.replace(/\/check$/, "/declaration.pdf"))).status()).toBe(
    404,
  );

  await page.getByLabel("Mã OTP").fill(otp);
  await page.getByRole("button", { name: "Ký số", exact: true }).click();
  await expect(page.getByRole("status")).toContainText("Đã ký số tờ khai");
  expect(page.url()).toContain("/check?signed=1");
  await shot(page, "check-signed-1280-vi.png");
  await axe();
  const declarationUrl = new URL(checkUrl).pathname.replace(/\/check$/, "/declaration.pdf");
  const declaration = await page.request.get(declarationUrl);
  expect(declaration.status()).toBe(200);
  const pdf = await declaration.body();
  expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
  await page.getByRole("button", { name: "Nộp hồ sơ" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Đã nộp hồ sơ thành công");
  const code = ((await page.locator(".dossier-code").textContent()) ?? "").trim();
  await signOut(page);

  // The clerk of the receiving unit sees who signed, with the ID number, and that the certificate holds.
  await signIn(page, "canbo.honggai");
  await page.getByRole("link", { name: code }).click();
  await expect(page.getByTestId("citizen-signature")).toHaveText(
    "Đã ký số bởi Nguyễn Văn An (CCCD 022090000001), chứng thư hợp lệ",
  );
  await shot(page, "clerk-1280-vi.png");
  await axe();
  // Received today, it counts in the share of dossiers signed by the citizen.
  await page.getByRole("button", { name: "Tiếp nhận hồ sơ" }).click();
  await expect(page.getByText("Được tiếp nhận").first()).toBeVisible();
  await signOut(page);
  const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Ho_Chi_Minh" }).format(new Date());
  const metrics = await (await page.request.get(`/api/v1/metrics?from=${today}&to=${today}`)).json();
  expect(metrics.citizenSignedRate).toBeGreaterThan(0);
  expect(metrics.citizenSignedRate).toBeLessThanOrEqual(1);
  await signIn(page, DEMO.manager);
  await page.goto(`/manager?from=${today}&to=${today}`);
  await expect(page.getByText("Tỉ lệ hồ sơ được công dân ký số").first()).toBeVisible();
  await shot(page, "manager-1280-vi.png");
  await signOut(page);

  // Anyone can check the signed declaration on /verify; a changed copy is refused.
  await page.goto("/verify");
  await page
    .getByLabel("Tệp PDF đã ký số (tối đa 10 MB)")
    .setInputFiles({ name: "to-khai.pdf", mimeType: "application/pdf", buffer: pdf });
  await page.getByRole("button", { name: "Kiểm tra tệp" }).click();
  await expect(
    page.getByRole("heading", { name: "Chữ ký hợp lệ: tài liệu không bị thay đổi từ khi ký" }),
  ).toBeVisible();
  await expect(page.getByTestId("signature-report")).toContainText("Nguyễn Văn An");
  await axe();
  const tampered = Buffer.from(pdf);
  const at = tampered.indexOf(Buffer.from("/Type /Page")) + 2;
  tampered[at] = tampered[at] === 0x41 ? 0x42 : 0x41;
  await page
    .getByLabel("Tệp PDF đã ký số (tối đa 10 MB)")
    .setInputFiles({ name: "sua.pdf", mimeType: "application/pdf", buffer: tampered });
  await page.getByRole("button", { name: "Kiểm tra tệp" }).click();
  await expect(page.getByRole("heading", { name: "Cảnh báo: chữ ký không hợp lệ" })).toBeVisible();
});

test("the signing pages in English, at phone width", async ({ page, axe }) => {
  await signIn(page, DEMO.citizen);
  await page.goto("/dossiers/new/1.001193");
  await page.getByLabel("Họ, chữ đệm, tên của trẻ").fill("Phạm Gia Huy");
  await page.getByRole("button", { name: "Lưu nháp" }).click();
  const draft = new URL(page.url()).pathname.replace(/\/edit$/, "");
  expect(draft).toMatch(/^\/dossiers\/[0-9a-f-]{36}$/);
  await page.getByRole("button", { name: "English" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await page.goto(`${draft}/check`);
  await page.setViewportSize({ width: 390, height: 844 });
  await shot(page, "check-390-en.png");
  await axe();
  await page.getByRole("button", { name: "Sign the dossier" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Enter the one-time code to sign the declaration");
  await page.getByLabel("One-time code (OTP)").fill("12ab");
  await page.getByRole("button", { name: "Sign", exact: true }).click();
  await expect(page.getByRole("alert")).toContainText("Enter the code as digits");
  await shot(page, "otp-390-en.png");
  await axe();
});
