/**
 * Contact details and the way the applicant wants to receive the result (issue 15), shared by the
 * citizen's filing form, the check page, the server and the clerk's counter intake. Messages are i18n
 * keys in the `validation` namespace.
 *
 * A Vietnamese mobile number has ten digits: 0 then the network prefix 3, 5, 7, 8 or 9 (the numbering
 * in force since the 2018 change from 11 to 10 digits), e.g. 0912 345 678. People also write it as
 * +84 912 345 678 or 84912345678, with spaces, dots or dashes: those are accepted and stored as 0912345678.
 */
import { z } from "zod";

export const DELIVERY_METHODS = ["online", "post", "counter"] as const;
export type DeliveryMethod = (typeof DELIVERY_METHODS)[number];

export function isDeliveryMethod(v: unknown): v is DeliveryMethod {
  return typeof v === "string" && (DELIVERY_METHODS as readonly string[]).includes(v);
}

export const PHONE_MAX = 20;
export const ADDRESS_MAX = 300;

/** The form's field names (never a procedure field's: those are lower camel case without this prefix). */
export const CONTACT_FIELDS = {
  phone: "contact-phone",
  address: "contact-address",
  delivery: "contact-delivery",
  postal: "contact-postal",
} as const;

/** `0912345678` from what people type, or null when it is not a Vietnamese mobile number. */
export function normaliseVnMobile(input: string): string | null {
  const compact = input.normalize("NFKC").replace(/[\s.()-]/g, "");
  let digits = compact;
  if (/^\+84\d+$/.test(compact)) digits = `0${compact.slice(3)}`;
  else if (/^84\d{9}$/.test(compact)) digits = `0${compact.slice(2)}`;
  return /^0[35789]\d{8}$/.test(digits) ? digits : null;
}

/** 0912 345 678: how the portal shows a stored mobile number. */
export function formatVnMobile(stored: string): string {
  return /^0\d{9}$/.test(stored) ? `${stored.slice(0, 4)} ${stored.slice(4, 7)} ${stored.slice(7)}` : stored;
}

const ODD_CHARS = /(?![\n\t\r])\p{Cc}|[\u202A-\u202E\u2066-\u2069]/u;

export type ContactInput = { phone: string; address: string; delivery: string; postal: string };
export type ContactValues = {
  phone: string | null;
  address: string | null;
  delivery: DeliveryMethod | null;
  postal: string | null;
};

function cleanText(v: string | undefined): string {
  return (v ?? "").normalize("NFC").trim();
}

/**
 * What a draft keeps: everything typed that could ever be valid. Text that is too long or holds odd
 * characters is refused (reported, the old value stays); a phone number that is not (yet) a mobile
 * number is kept as typed and reported, so nothing typed is lost.
 */
export function draftContact(input: Partial<ContactInput>): {
  values: Partial<ContactValues>;
  errors: Record<string, string>;
} {
  const values: Partial<ContactValues> = {};
  const errors: Record<string, string> = {};
  const phone = cleanText(input.phone);
  if (input.phone !== undefined) {
    if (phone.length > PHONE_MAX || ODD_CHARS.test(phone)) errors[CONTACT_FIELDS.phone] = "validation:contact.phone";
    else {
      values.phone = phone === "" ? null : (normaliseVnMobile(phone) ?? phone);
      if (phone !== "" && !normaliseVnMobile(phone)) errors[CONTACT_FIELDS.phone] = "validation:contact.phone";
    }
  }
  for (const [key, field] of [
    ["address", CONTACT_FIELDS.address],
    ["postal", CONTACT_FIELDS.postal],
  ] as const) {
    if (input[key] === undefined) continue;
    const v = cleanText(input[key]);
    if (v.length > ADDRESS_MAX) errors[field] = "validation:contact.tooLong";
    else if (ODD_CHARS.test(v)) errors[field] = "validation:dossierForm.oddCharacters";
    else values[key] = v === "" ? null : v;
  }
  if (input.delivery !== undefined) {
    if (input.delivery === "") values.delivery = null;
    else if (isDeliveryMethod(input.delivery)) values.delivery = input.delivery;
    else errors[CONTACT_FIELDS.delivery] = "validation:contact.delivery";
  }
  return { values, errors };
}

/** What submission needs: a mobile number, a contact address, a delivery method, a postal address when by post. */
export function contactProblems(v: ContactValues): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!v.phone) errors[CONTACT_FIELDS.phone] = "validation:contact.phoneRequired";
  else if (!normaliseVnMobile(v.phone)) errors[CONTACT_FIELDS.phone] = "validation:contact.phone";
  if (!v.address) errors[CONTACT_FIELDS.address] = "validation:contact.addressRequired";
  if (!v.delivery) errors[CONTACT_FIELDS.delivery] = "validation:contact.delivery";
  if (v.delivery === "post" && !v.postal) errors[CONTACT_FIELDS.postal] = "validation:contact.postalRequired";
  return errors;
}

/** The counter intake's contact part: the phone optional (validated when given), delivery at the counter by default. */
export const IntakeContactSchema = z.object({
  phone: z
    .string()
    .trim()
    .max(PHONE_MAX, "validation:contact.phone")
    .optional()
    .transform((v, ctx) => {
      if (!v) return undefined;
      const m = normaliseVnMobile(v);
      if (!m) ctx.addIssue({ code: "custom", message: "validation:contact.phone" });
      return m ?? undefined;
    }),
  contactAddress: z
    .string()
    .trim()
    .max(ADDRESS_MAX, "validation:contact.tooLong")
    .refine((v) => !ODD_CHARS.test(v), "validation:dossierForm.oddCharacters")
    .optional()
    .transform((v) => v || undefined),
  deliveryMethod: z.enum(DELIVERY_METHODS, { error: "validation:contact.delivery" }).default("counter"),
  postalAddress: z
    .string()
    .trim()
    .max(ADDRESS_MAX, "validation:contact.tooLong")
    .refine((v) => !ODD_CHARS.test(v), "validation:dossierForm.oddCharacters")
    .optional()
    .transform((v) => v || undefined),
});
