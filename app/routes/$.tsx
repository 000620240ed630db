export const handle = { hydrate: false };
/** Any unknown path: a translated 404 page from the root error boundary. */
export async function loader() {
  throw new Response("Not Found", { status: 404 });
}

export default function NotFound() {
  return null;
}
