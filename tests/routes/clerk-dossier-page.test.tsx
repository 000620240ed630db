// @vitest-environment happy-dom
/**
 * The clerk's dossier page (app/routes/clerk.dossiers.$id) rendered with createRemixStub: the dossier, the
 * workflow actions the loader allows, the apology form when it is offered, and what the forms post (the fields
 * the action's schema reads).
 */
import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import ClerkDossier from "../../app/routes/clerk.dossiers.$id/route.tsx";
import { renderRoute } from "./render.tsx";

const ID = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
const ME = "11111111-2222-4333-8444-555555555555";

function data(over: Record<string, unknown> = {}) {
  return {
    title: "Hồ sơ",
    dossier: {
      id: ID,
      code: "000.00.17.H99-250310-0002",
      status: "submitted",
      version: 7,
      channel: "online",
      procedure: "Cấp giấy phép xây dựng",
      applicantName: "Nguyễn Văn An",
      applicantId: "001234567890",
      submittedAt: "2025-03-10T02:00:00.000Z",
      receivedAt: null,
      dueAt: null,
      feeVnd: 0,
      outcome: null,
      feeWaiveReason: null,
      contact: { phone: "0912345678", address: "5 Lê Lợi, Hạ Long", delivery: "post", postal: "Hộp thư 12, Hạ Long" },
    },
    fee: null,
    answers: [{ name: "address", label: "Địa chỉ công trình", value: "12 Trần Hưng Đạo" }],
    documents: [{ name: "Bản vẽ", required: true, files: [{ id: "f1", name: "ban-ve.pdf" }] }],
    timeline: [{ id: 1, at: "2025-03-10T02:00:00.000Z", action: "submit", reason: null }],
    actions: ["receive", "refuse"],
    apology: null,
    steps: [],
    payments: [],
    clerks: [{ id: ME, name: "Trần Thị Bình" }],
    claimedBy: null,
    lastActor: null,
    me: ME,
    agencies: [],
    resultRegister: [],
    hasResultPdf: false,
    citizenSignature: null,
    canApologise: false,
    ...over,
  };
}

const page = (loaderData: unknown) =>
  renderRoute({ path: "clerk/dossiers/:id", url: `/clerk/dossiers/${ID}`, Component: ClerkDossier, loaderData });

afterEach(cleanup);

describe("clerk dossier page", () => {
  it("shows the dossier, its answers and files, and only the actions the loader allows", async () => {
    await page(data());
    expect(await screen.findByRole("heading", { level: 1, name: "Hồ sơ 000.00.17.H99-250310-0002" })).toBeTruthy();
    expect(screen.getByText("12 Trần Hưng Đạo")).toBeTruthy();
    // The contact details the citizen gave at filing, and where the result goes.
    expect(screen.getByText("0912 345 678")).toBeTruthy();
    expect(screen.getByText("Hộp thư 12, Hạ Long")).toBeTruthy();
    expect(screen.getByRole("link", { name: "ban-ve.pdf" }).getAttribute("href")).toBe(
      `/clerk/dossiers/${ID}/files/f1`,
    );
    expect(screen.getByRole("button", { name: "Tiếp nhận hồ sơ" })).toBeTruthy();
    expect(screen.queryByText("Lập phiếu xin lỗi và hẹn lại ngày trả kết quả")).toBeNull();
    expect(screen.getByText("Chưa giao cho ai.")).toBeTruthy();
  });

  it("posts a workflow action with the dossier's version", async () => {
    const { posted } = await page(data());
    fireEvent.click(await screen.findByRole("button", { name: "Tiếp nhận hồ sơ" }));
    await waitFor(() => expect(posted).toHaveLength(1));
    expect(posted[0]).toMatchObject({ intent: "receive", version: "7", csrf: "test-csrf" });
  });

  it("offers the apology when the loader says so, and posts the reason and the new date", async () => {
    const { posted } = await page(
      data({
        dossier: { ...data().dossier, status: "processing", dueAt: "2025-03-17T10:00:00.000Z" },
        actions: [],
        canApologise: true,
      }),
    );
    expect(await screen.findByText("Không có thao tác nào ở trạng thái này.")).toBeTruthy();
    const form = screen.getByText("Lập phiếu xin lỗi và hẹn lại ngày trả kết quả").closest("details") as HTMLElement;
    fireEvent.change(within(form).getByLabelText("Lý do chậm"), { target: { value: "Chờ ý kiến thẩm định" } });
    fireEvent.change(within(form).getByLabelText("Ngày hẹn trả mới"), { target: { value: "2025-03-24" } });
    fireEvent.click(within(form).getByRole("button", { name: "Gửi phiếu xin lỗi" }));
    await waitFor(() => expect(posted).toHaveLength(1));
    expect(posted[0]).toMatchObject({
      intent: "apologise",
      version: "7",
      reason: "Chờ ý kiến thẩm định",
      newDueDate: "2025-03-24",
    });
  });

  it("assigns the dossier to the chosen clerk", async () => {
    const { posted } = await page(data());
    fireEvent.click(await screen.findByRole("button", { name: "Giao xử lý" }));
    await waitFor(() => expect(posted).toHaveLength(1));
    expect(posted[0]).toMatchObject({ intent: "assign", assigneeId: ME, version: "7" });
  });
});
