/** react-dom 18 ships `react-dom/server.browser` (web streams) without a types entry of its own. */
declare module "react-dom/server.browser" {
  export { renderToReadableStream } from "react-dom/server";
}
