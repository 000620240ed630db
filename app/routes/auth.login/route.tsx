import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { CsrfInput } from "../../components/csrf-input.tsx";
import { ErrorSummary } from "../../components/ui/error-summary.tsx";
import { TextField } from "../../components/ui/field.tsx";
import { homePathFor } from "../../domain/access/permissions.ts";
import { requireAnonymous, safeRedirectPath, startUserSession } from "../../server/auth.server.ts";
import { db } from "../../server/db.server.ts";
import { failure, formFailure, readForm, validateForm } from "../../server/form.server.ts";
import { getT } from "../../server/i18n.server.ts";
import { verifyLogin } from "../../server/users/account-service.server.ts";
import { LoginSchema } from "../../utils/auth-validation.ts";

export const handle = { i18n: ["auth", "validation"], hydrate: false };

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request);
  const t = await getT(request, "auth");
  const redirectTo = new URL(request.url).searchParams.get("redirectTo") ?? "";
  return { title: t("login.title"), redirectTo: safeRedirectPath(redirectTo, "") };
}

export async function action({ request, context }: ActionFunctionArgs) {
  await requireAnonymous(request);
  const formData = await readForm(request);
  const result = validateForm(LoginSchema, formData);
  if (!result.ok) return failure(context, result);
  const user = await verifyLogin(db, result.value.identifier, result.value.password);
  if (!user) {
    return failure(context, formFailure(formData, "validation:login.invalid"));
  }
  const cookie = await startUserSession(request, user.id);
  return redirect(safeRedirectPath(result.value.redirectTo, homePathFor(user.role)), {
    headers: { "Set-Cookie": cookie },
  });
}

export default function Login() {
  const { redirectTo } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("auth");
  const errors = actionData?.errors;
  const formRef = useRef<HTMLFormElement>(null);
  // After a failed attempt the password is cleared, as a full page reload would do without JavaScript.
  useEffect(() => {
    const password = formRef.current?.elements.namedItem("password");
    if (actionData && password instanceof HTMLInputElement) password.value = "";
  }, [actionData]);
  return (
    <div className="narrow">
      <ErrorSummary errors={errors} formError={actionData?.formError} />
      <h1>{t("login.title")}</h1>
      <Form method="post" noValidate ref={formRef}>
        <CsrfInput />
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <TextField
          name="identifier"
          label={t("login.identifier.label")}
          hint={t("login.identifier.hint")}
          error={errors?.identifier}
          defaultValue={actionData?.values?.identifier}
          autoComplete="username"
          spellCheck={false}
          required
        />
        <TextField
          name="password"
          type="password"
          label={t("login.password.label")}
          error={errors?.password}
          autoComplete="current-password"
          required
        />
        <button type="submit" className="button">
          {t("login.submit")}
        </button>
      </Form>
      <p>
        {t("login.noAccount")} <Link to="/auth/register">{t("login.registerLink")}</Link>
      </p>
    </div>
  );
}
