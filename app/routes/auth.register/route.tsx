import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput } from "../../components/csrf-input.tsx";
import { ErrorSummary } from "../../components/ui/error-summary.tsx";
import { TextField } from "../../components/ui/field.tsx";
import { requireAnonymous, startUserSession } from "../../server/auth.server.ts";
import { db } from "../../server/db.server.ts";
import { failure, fieldFailure, readForm, validateForm } from "../../server/form.server.ts";
import { getT } from "../../server/i18n.server.ts";
import { DuplicateAccountError, registerCitizen } from "../../server/users/account-service.server.ts";
import { RegisterSchema } from "../../utils/auth-validation.ts";
import { PASSWORD_MIN } from "../../utils/password-policy.ts";

export const handle = { i18n: ["auth", "validation"], hydrate: false };

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request);
  const t = await getT(request, "auth");
  return { title: t("register.title") };
}

export async function action({ request, context }: ActionFunctionArgs) {
  await requireAnonymous(request);
  const formData = await readForm(request);
  const result = validateForm(RegisterSchema, formData);
  if (!result.ok) return failure(context, result);
  try {
    const user = await registerCitizen(db, result.value);
    const cookie = await startUserSession(request, user.id);
    return redirect("/account?welcome=1", { headers: { "Set-Cookie": cookie } });
  } catch (error) {
    if (!(error instanceof DuplicateAccountError)) throw error;
    return failure(context, fieldFailure(formData, "nationalId", "validation:nationalId.taken"));
  }
}

export default function Register() {
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("auth");
  const errors = actionData?.errors;
  const values = actionData?.values;
  return (
    <div className="narrow">
      <ErrorSummary errors={errors} formError={actionData?.formError} />
      <h1>{t("register.title")}</h1>
      <p>{t("register.intro")}</p>
      <Form method="post" noValidate>
        <CsrfInput />
        <TextField
          name="nationalId"
          label={t("register.nationalId.label")}
          hint={t("register.nationalId.hint")}
          error={errors?.nationalId}
          defaultValue={values?.nationalId}
          inputMode="numeric"
          autoComplete="off"
          spellCheck={false}
          required
        />
        <TextField
          name="fullName"
          label={t("register.fullName.label")}
          error={errors?.fullName}
          defaultValue={values?.fullName}
          autoComplete="name"
          required
        />
        <TextField
          name="email"
          type="email"
          label={t("register.email.label")}
          hint={t("register.email.hint")}
          error={errors?.email}
          defaultValue={values?.email}
          autoComplete="email"
          spellCheck={false}
        />
        <TextField
          name="password"
          type="password"
          label={t("register.password.label")}
          hint={t("register.password.hint", { min: PASSWORD_MIN })}
          error={errors?.password}
          autoComplete="new-password"
          required
        />
        <TextField
          name="confirmPassword"
          type="password"
          label={t("register.confirmPassword.label")}
          error={errors?.confirmPassword}
          autoComplete="new-password"
          required
        />
        <button type="submit" className="button">
          {t("register.submit")}
        </button>
      </Form>
      <p>
        {t("register.haveAccount")} <Link to="/auth/login">{t("register.signInLink")}</Link>
      </p>
    </div>
  );
}
