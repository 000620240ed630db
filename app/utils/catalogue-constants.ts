/** Catalogue filter values, shared by the page and the server without pulling validation code into the browser. */
export const LEVELS = ["province", "district", "commune"] as const;
export const ONLINE_KINDS = ["full", "partial", "none"] as const;
export const PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
