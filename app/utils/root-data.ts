import type { Role } from "../domain/access/permissions.ts";

/**
 * What the root route's loader gives every page (app/root.tsx). Declared here rather than inferred from the
 * loader so components (the CSRF field, the header) can read it without importing the root module, which
 * imports them: no import cycle (docs/decisions/023-structure-and-dependency-rules.md).
 */
export type RootLoaderData = {
  locale: string;
  csrf: string;
  user: { fullName: string; role: Role; finance: boolean } | null;
  formFailed: boolean;
  demo: boolean;
};
