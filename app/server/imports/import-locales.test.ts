/** Every reason the import can give has a message in both languages (reasons are built dynamically). */
import { describe, expect, it } from "vitest";
import en from "../../../locales/en/imports.json";
import vi from "../../../locales/vi/imports.json";
import { FILE_REASONS, ROW_REASONS } from "../../domain/imports/dossier-import.ts";

describe("import messages", () => {
  it.each([
    ["vi", vi],
    ["en", en],
  ] as const)("%s has a message for every row and file reason", (_lng, messages) => {
    const reasons = messages.reasons as Record<string, string>;
    const fileErrors = messages.fileErrors as Record<string, string>;
    expect(ROW_REASONS.filter((r) => !reasons[r])).toEqual([]);
    expect(FILE_REASONS.filter((r) => !fileErrors[r])).toEqual([]);
    expect(Object.keys(reasons).sort()).toEqual([...ROW_REASONS].sort());
    expect(Object.keys(fileErrors).sort()).toEqual([...FILE_REASONS].sort());
  });
});
