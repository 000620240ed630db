import { test as base, expect, type Page } from "@playwright/test";
import { expectNoAxeViolations } from "./a11y.ts";

export const DEMO_PASSWORD = "DemoPortal2026";
export const DEMO = {
  citizen: "022090000001",
  clerk: "canbo.halong",
  manager: "lanhdao.tinh",
  admin: "quantri",
} as const;

/** A structurally valid, unused CCCD number (Quảng Ninh prefix 022) for registrations in tests. */
export function freshNationalId(): string {
  const serial = `${Date.now()}${Math.floor(Math.random() * 1000)}`.slice(-6);
  return `0221${String(Math.floor(Math.random() * 90) + 10)}${serial}`;
}

export async function signIn(page: Page, identifier: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto("/auth/login");
  await page.getByLabel(/Số định danh cá nhân \(CCCD\)|identification number \(CCCD\)/).fill(identifier);
  await page.getByLabel(/^Mật khẩu$|^Password$/).fill(password);
  await page
    .getByRole("button", { name: /Đăng nhập|Sign in/ })
    .last()
    .click();
  await expect(page.getByRole("button", { name: /Đăng xuất|Sign out/ })).toBeVisible();
}

export const test = base.extend<{ axe: () => Promise<void> }>({
  axe: async ({ page, javaScriptEnabled }, use) => {
    await use(() => expectNoAxeViolations(page, javaScriptEnabled));
  },
});
export { expect };

export const TEST_PDF = {
  name: "to-khai.pdf",
  mimeType: "application/pdf",
  buffer: Buffer.from("%PDF-1.4\n% test document\n"),
};

/** The contact and delivery part of the filing form (Vietnamese labels); overwrites what was prefilled. */
export async function fillContact(
  page: Page,
  contact: {
    phone?: string;
    address?: string;
    delivery?: "Trực tuyến" | "Qua dịch vụ bưu chính" | "Tại Bộ phận Một cửa";
    postal?: string;
  } = {},
) {
  await page.getByLabel("Số điện thoại di động").fill(contact.phone ?? "0912 345 678");
  await page.getByLabel("Địa chỉ liên hệ").fill(contact.address ?? "Số 12 phố Lê Thánh Tông, phường Hồng Gai, Hạ Long");
  await page.getByLabel(contact.delivery ?? "Trực tuyến", { exact: true }).check();
  if (contact.postal !== undefined) await page.getByLabel("Địa chỉ nhận kết quả qua bưu chính").fill(contact.postal);
}

/** A signed-in citizen files a complete birth registration; returns the dossier code. */
export async function fileBirthRegistration(page: Page): Promise<string> {
  await page.goto("/dossiers/new/1.001193");
  await page.getByLabel("Họ, chữ đệm, tên của trẻ").fill("Trần Minh Khôi");
  await page.getByLabel("Ngày sinh").fill("2025-02-01");
  await page.getByLabel("Giới tính").selectOption({ label: "Nam" });
  await page.getByLabel("Nơi sinh").fill("Bệnh viện Sản Nhi Quảng Ninh");
  await page.getByLabel("Tờ khai đăng ký khai sinh").setInputFiles(TEST_PDF);
  await page.getByLabel("Giấy chứng sinh").setInputFiles({ ...TEST_PDF, name: "chung-sinh.pdf" });
  await fillContact(page);
  await page.getByRole("button", { name: "Tiếp tục" }).click();
  await page.getByRole("button", { name: "Nộp hồ sơ" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Đã nộp hồ sơ thành công");
  return ((await page.locator(".dossier-code").textContent()) ?? "").trim();
}

/**
 * The clerk's "Hoàn thành xử lý" (issue 14): enter the decision (register book and page where the procedure
 * asks for them), preview the result, then confirm. Returns after the confirm was clicked.
 */
export async function resolveWithDecision(page: Page, decision: { attachment?: boolean } = {}): Promise<void> {
  await page.getByLabel("Số quyết định / số giấy").fill("125/2026/TP-HT");
  if ((await page.getByLabel("Quyển số").count()) > 0) {
    await page.getByLabel("Quyển số").fill("01/2026");
    await page.getByLabel("Trang số").fill("37");
  }
  await page.getByLabel("Họ tên người ký").fill("Trần Văn Nam");
  await page.getByLabel("Chức vụ người ký").fill("Phó Chủ tịch");
  await page.getByLabel("Ngày ký").fill("2026-11-20");
  if (decision.attachment) {
    await page
      .getByLabel("Văn bản quyết định (PDF, không bắt buộc)")
      .setInputFiles({ ...TEST_PDF, name: "quyet-dinh.pdf" });
  }
  await page.getByRole("button", { name: "Xem trước kết quả" }).click();
  await expect(page.getByTestId("result-preview")).toBeVisible();
  await page.getByRole("button", { name: "Hoàn thành xử lý" }).click();
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole("button", { name: /Đăng xuất|Sign out/ }).click();
  await expect(page.getByRole("banner").getByRole("link", { name: /Đăng nhập|Sign in/ })).toBeVisible();
}
