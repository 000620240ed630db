/**
 * Rendering a route module with Remix's createRemixStub (issue 13): a root route that gives the CSRF token
 * like app/root.tsx, the page under test with fixed loader data, and an action stub that records what the
 * page's forms post. i18next is set up with the project's own translations, in Vietnamese unless asked.
 */
import { createRemixStub } from "@remix-run/testing";
import { render } from "@testing-library/react";
import i18next from "i18next";
import type { ComponentType } from "react";
import { I18nextProvider, initReactI18next } from "react-i18next";
import i18nConfig from "../../app/i18n.ts";
import type { RootLoaderData } from "../../app/utils/root-data.ts";
import { resources } from "../../locales/index.ts";

export type Posted = Array<Record<string, string>>;

export async function i18nFor(lng: "vi" | "en") {
  const instance = i18next.createInstance();
  await instance.use(initReactI18next).init({ ...i18nConfig, lng, resources });
  return instance;
}

export async function renderRoute(options: {
  path: string;
  url: string;
  Component: ComponentType;
  loaderData: unknown;
  actionData?: unknown;
  lng?: "vi" | "en";
}) {
  const posted: Posted = [];
  const rootData: RootLoaderData = {
    locale: options.lng ?? "vi",
    csrf: "test-csrf",
    user: null,
    formFailed: false,
    demo: true,
  };
  const Stub = createRemixStub([
    {
      id: "root",
      path: "/",
      loader: () => rootData,
      children: [
        {
          path: options.path,
          Component: options.Component,
          loader: () => options.loaderData as Record<string, unknown>,
          action: async ({ request }) => {
            const form = await request.formData();
            posted.push(Object.fromEntries([...form.entries()].map(([k, v]) => [k, String(v)])));
            return (options.actionData ?? null) as Record<string, unknown> | null;
          },
        },
      ],
    },
  ]);
  const i18n = await i18nFor(options.lng ?? "vi");
  const view = render(
    <I18nextProvider i18n={i18n}>
      <Stub initialEntries={[options.url]} />
    </I18nextProvider>,
  );
  return { ...view, posted, i18n };
}
