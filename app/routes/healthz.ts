/** Liveness for operators and load balancers: the process is up and answering. Reads nothing else. */
export function loader() {
  return Response.json({ status: "ok" }, { headers: { "Cache-Control": "no-store" } });
}
