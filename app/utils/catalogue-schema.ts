/** Catalogue filters, shared by the page, the open-data API and the server query. */
import { z } from "zod";

import { LEVELS, MAX_PAGE_SIZE, ONLINE_KINDS, PAGE_SIZE } from "./catalogue-constants.ts";

export { LEVELS, MAX_PAGE_SIZE, ONLINE_KINDS, PAGE_SIZE };

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => (v ? v : undefined));

/** Unknown or malformed filters are dropped rather than failing: a bad link still shows the catalogue. */
export const CatalogueQuerySchema = z.object({
  q: z
    .string()
    .optional()
    .transform((v) =>
      v
        ? v
            .replace(/\p{Cc}/gu, " ")
            .trim()
            .slice(0, 200)
        : undefined,
    ),
  field: optionalText(64).catch(undefined),
  level: z.enum(LEVELS).optional().catch(undefined),
  agency: optionalText(32).catch(undefined),
  online: z.enum(ONLINE_KINDS).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).optional().default(1).catch(1),
  pageSize: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).optional().default(PAGE_SIZE).catch(PAGE_SIZE),
});
export type CatalogueQuery = z.infer<typeof CatalogueQuerySchema>;

export function parseCatalogueQuery(params: URLSearchParams): CatalogueQuery {
  return CatalogueQuerySchema.parse(Object.fromEntries(params));
}

/** Words of a search, without accents or case, so "cap giay phep" finds "Cấp giấy phép". */
export function searchWords(q: string | undefined): string[] {
  if (!q) return [];
  return q
    .normalize("NFC")
    .split(/[\s,.;:!?()"'/\\]+/)
    .map((w) => w.trim())
    .filter((w) => w.length > 0)
    .slice(0, 12);
}
