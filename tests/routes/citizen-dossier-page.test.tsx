// @vitest-environment happy-dom
/**
 * The citizen's dossier page (app/routes/_citizen.dossiers.$id._index) rendered with createRemixStub: what it
 * shows for a dossier in each situation, and what its forms post (the fields the action's schema reads).
 */
import { cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import DossierPage from "../../app/routes/_citizen.dossiers.$id._index/route.tsx";
import { renderRoute } from "./render.tsx";

const ID = "6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b";

function view(over: Record<string, unknown> = {}) {
  return {
    id: ID,
    code: "000.00.17.H99-250310-0001",
    status: "processing",
    channel: "online",
    procedure: "Cấp giấy phép xây dựng",
    procedureCode: "1.009994",
    agency: "Sở Xây dựng",
    submittedAt: "2025-03-10T02:00:00.000Z",
    receivedAt: "2025-03-10T03:00:00.000Z",
    dueAt: "2025-03-17T10:00:00.000Z",
    expectedDueAt: null,
    feeVnd: 150000,
    contact: { phone: "0912345678", address: "12 Trần Hưng Đạo", delivery: "online", postal: null },
    clock: { unit: "working_days", day: 3, of: 5, pausedDays: 0, waiting: false },
    lookupUrl: null,
    qrSvg: null,
    amountDue: 150000,
    payments: [],
    apology: null,
    timeline: [
      {
        id: 1,
        at: "2025-03-10T02:00:00.000Z",
        action: "submit",
        toStatus: "submitted",
        reason: null,
        agency: null,
        missingDocuments: [],
      },
    ],
    files: [{ id: "f1", name: "ban-ve.pdf", sizeBytes: 2048 }],
    views: [],
    ...over,
  };
}

function data(over: Record<string, unknown> = {}, viewOver: Record<string, unknown> = {}) {
  return {
    title: "Hồ sơ",
    submitted: false,
    rated: false,
    rating: null,
    canRate: false,
    version: 4,
    view: view(viewOver),
    pay: null,
    ...over,
  };
}

const page = (loaderData: unknown, extra: { actionData?: unknown; lng?: "vi" | "en" } = {}) =>
  renderRoute({ path: "dossiers/:id", url: `/dossiers/${ID}`, Component: DossierPage, loaderData, ...extra });

afterEach(cleanup);

describe("citizen dossier page", () => {
  it("shows the receipt, the clock, the timeline and the files", async () => {
    await page(data());
    expect(await screen.findByRole("heading", { level: 1, name: "Hồ sơ 000.00.17.H99-250310-0001" })).toBeTruthy();
    expect(screen.getByRole("heading", { name: "Giấy tiếp nhận hồ sơ" })).toBeTruthy();
    expect(screen.getByText("Sở Xây dựng")).toBeTruthy();
    expect(screen.getByRole("link", { name: "ban-ve.pdf" }).getAttribute("href")).toBe(`/dossiers/${ID}/files/f1`);
    // An open dossier can be withdrawn; nothing to rate or pay.
    expect(screen.getByText("Rút hồ sơ")).toBeTruthy();
    expect(screen.queryByRole("heading", { name: "Đánh giá mức độ hài lòng" })).toBeNull();
  });

  it("posts a rating with its intent", async () => {
    const { posted } = await page(data({ canRate: true }, { status: "returned" }));
    fireEvent.click(await screen.findByLabelText("Rất hài lòng"));
    fireEvent.click(screen.getByRole("button", { name: "Gửi đánh giá" }));
    await waitFor(() => expect(posted).toHaveLength(1));
    expect(posted[0]).toMatchObject({ intent: "rate", rating: "3", csrf: "test-csrf" });
    // A returned dossier is no longer open: no withdrawal.
    expect(screen.queryByText("Rút hồ sơ")).toBeNull();
  });

  it("posts a withdrawal with the version and the reason", async () => {
    const { posted } = await page(data());
    fireEvent.change(await screen.findByLabelText("Lý do (không bắt buộc)"), { target: { value: "Nộp nhầm" } });
    fireEvent.click(screen.getByRole("button", { name: "Xác nhận rút hồ sơ" }));
    await waitFor(() => expect(posted).toHaveLength(1));
    expect(posted[0]).toMatchObject({ intent: "withdraw", version: "4", reason: "Nộp nhầm" });
  });

  it("asks for the missing documents while a supplement is requested", async () => {
    await page(
      data(
        {},
        {
          status: "supplement_requested",
          timeline: [
            {
              id: 2,
              at: "2025-03-11T02:00:00.000Z",
              action: "request_supplement",
              toStatus: "supplement_requested",
              reason: null,
              agency: "Sở Xây dựng",
              missingDocuments: ["Bản vẽ mặt bằng"],
            },
          ],
        },
      ),
    );
    expect(await screen.findByRole("heading", { name: "Cơ quan yêu cầu bổ sung giấy tờ" })).toBeTruthy();
    expect(screen.getByText("Bản vẽ mặt bằng")).toBeTruthy();
  });

  it("shows the action's problem with the rating in English", async () => {
    await page(data({ canRate: true }, { status: "resolved" }), {
      lng: "en",
      actionData: { ok: false, errors: { rating: "validation:rating.required" }, values: {} },
    });
    fireEvent.click(await screen.findByRole("button", { name: /rating/i }));
    expect(await screen.findByRole("alert")).toBeTruthy();
  });
});
