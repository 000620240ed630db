/** POST forms of a page, read from its HTML with regular expressions (enough for the portal's server-rendered forms). */
import { decodeEntities } from "./http.ts";

export type FormField = {
  name: string;
  /** input type, or `textarea` / `select` / `button` */
  kind: string;
  /** Values the page itself offers: hidden values, button values, options, radio values. */
  values: string[];
};

export type PageForm = { action: string; multipart: boolean; fields: FormField[] };

function attr(attrs: string, name: string): string | undefined {
  const m = new RegExp(`\\b${name}="([^"]*)"`, "i").exec(attrs);
  return m?.[1] === undefined ? undefined : decodeEntities(m[1]);
}

export function postForms(html: string, pagePath: string): PageForm[] {
  const out: PageForm[] = [];
  for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const attrs = m[1] ?? "";
    const body = m[2] ?? "";
    if ((attr(attrs, "method") ?? "get").toLowerCase() !== "post") continue;
    const action = attr(attrs, "action") || pagePath;
    const multipart = (attr(attrs, "enctype") ?? "").toLowerCase() === "multipart/form-data";
    const fields = new Map<string, FormField>();
    const add = (name: string | undefined, kind: string, value: string | undefined) => {
      if (!name) return;
      const f = fields.get(name) ?? { name, kind, values: [] };
      if (value !== undefined && !f.values.includes(value)) f.values.push(value);
      fields.set(name, f);
    };
    for (const el of body.matchAll(/<(input|button)\b([^>]*)>/gi)) {
      const a = el[2] ?? "";
      const tag = (el[1] ?? "").toLowerCase();
      add(attr(a, "name"), tag === "button" ? "button" : (attr(a, "type") ?? "text").toLowerCase(), attr(a, "value"));
    }
    for (const el of body.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/gi))
      add(attr(el[1] ?? "", "name"), "textarea", decodeEntities(el[2] ?? ""));
    for (const el of body.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/gi)) {
      const name = attr(el[1] ?? "", "name");
      add(name, "select", undefined);
      for (const o of (el[2] ?? "").matchAll(/<option\b([^>]*)>/gi)) add(name, "select", attr(o[1] ?? "", "value"));
    }
    out.push({ action, multipart, fields: [...fields.values()] });
  }
  return out;
}
