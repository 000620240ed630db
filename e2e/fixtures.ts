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
