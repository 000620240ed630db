/**
 * A small raw HTTP client for the attack suite (node:http, no browser): full control over the request line,
 * headers, duplicate form keys, multipart bodies and cookies, and every answer is counted.
 *
 * Requests go to 127.0.0.1 with `Host: localhost:PORT` (the origin Playwright's baseURL uses). Each visitor
 * (cookie jar) connects from a loopback address of its own (127.0.1.2, 127.0.1.3, …), as different browsers
 * would; requests without a jar rotate over 127.0.0.2–127.0.0.250. The portal's per-IP rate limits (API,
 * look-up, verification, sign-in) are not what this suite tests, and one shared address would turn the
 * fuzz and the matrix into 429s. Where the system cannot bind such addresses, everything uses 127.0.0.1.
 */
import http from "node:http";

export const PORT = Number(process.env.E2E_PORT ?? 3100);
export const ORIGIN = `http://localhost:${PORT}`;

export type Res = {
  status: number;
  headers: http.IncomingHttpHeaders;
  location: string | undefined;
  body: string;
  method: string;
  path: string;
  ms: number;
};

/** Counters for one spec file's summary: every request, every answer ≥ 500 (with what was sent). */
export const stats = {
  requests: 0,
  serverErrors: [] as Array<{ method: string; path: string; status: number; note?: string }>,
  reset() {
    this.requests = 0;
    this.serverErrors = [];
  },
};

let loopbackAliases = process.env.ATTACK_SINGLE_ADDRESS !== "1";
let anonymousAddress = 2;
function nextAnonymousAddress(): string {
  anonymousAddress = anonymousAddress >= 250 ? 2 : anonymousAddress + 1;
  return `127.0.0.${anonymousAddress}`;
}
let visitorAddress = 0;
function nextVisitorAddress(): string {
  visitorAddress++;
  return `127.${1 + Math.floor(visitorAddress / 250)}.${(visitorAddress % 250) + 2}.1`;
}

const agents = new Map<string, http.Agent>();
function agentFor(localAddress: string): http.Agent {
  let agent = agents.get(localAddress);
  if (!agent) {
    agent = new http.Agent({ keepAlive: true, maxSockets: 4, localAddress });
    agents.set(localAddress, agent);
  }
  return agent;
}

/** Cookies as a browser would keep them for this origin (name → value; expiry honoured as deletion). */
export class Jar {
  readonly cookies = new Map<string, string>();
  /** The loopback address this "browser" connects from. */
  readonly address = nextVisitorAddress();

  header(): string | undefined {
    if (this.cookies.size === 0) return undefined;
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  absorb(setCookie: string[] | undefined): void {
    for (const line of setCookie ?? []) {
      const [pair, ...attrs] = line.split(";");
      const eq = pair?.indexOf("=") ?? -1;
      if (!pair || eq < 1) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const lower = attrs.map((a) => a.trim().toLowerCase());
      const maxAge = lower.find((a) => a.startsWith("max-age="));
      const expires = lower.find((a) => a.startsWith("expires="));
      const expired =
        (maxAge !== undefined && Number(maxAge.slice(8)) <= 0) ||
        (expires !== undefined && Date.parse(expires.slice(8)) < Date.now()) ||
        value === "";
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  /** The same cookies (for requests made as if from the same browser). */
  clone(): Jar {
    const copy = new Jar();
    for (const [k, v] of this.cookies) copy.cookies.set(k, v);
    return copy;
  }
}

export type RawRequest = {
  method?: string;
  /** Already encoded request target (path + query). */
  path: string;
  headers?: Record<string, string | string[]>;
  body?: Buffer | string;
  jar?: Jar;
  timeoutMs?: number;
  /** Loopback source address; by default the jar's own, or a rotating one without a jar. */
  localAddress?: string;
};

/** One request, answered fully (the body is read as UTF-8). Network errors reject. */
export async function send(req: RawRequest): Promise<Res> {
  try {
    return await sendOnce(req);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EADDRNOTAVAIL" && loopbackAliases) {
      loopbackAliases = false;
      console.warn("[attack] cannot bind loopback aliases (127.x.y.z): all requests come from 127.0.0.1");
      return send(req);
    }
    // A kept-alive socket the server closed while idle: the request never reached it; send it once more.
    if ((error as { reusedSocket?: boolean }).reusedSocket) return sendOnce(req);
    throw error;
  }
}

function sendOnce(req: RawRequest): Promise<Res> {
  const method = req.method ?? "GET";
  const headers: Record<string, string | string[]> = { Host: `localhost:${PORT}`, ...req.headers };
  const cookie = req.jar?.header();
  if (cookie && headers.Cookie === undefined) headers.Cookie = cookie;
  if (req.body !== undefined && headers["Content-Length"] === undefined && headers["Transfer-Encoding"] === undefined)
    headers["Content-Length"] = String(Buffer.byteLength(req.body));
  const localAddress = !loopbackAliases
    ? "127.0.0.1"
    : (req.localAddress ?? req.jar?.address ?? nextAnonymousAddress());
  const started = Date.now();
  return new Promise<Res>((resolve, reject) => {
    const r = http.request(
      { host: "127.0.0.1", port: PORT, method, path: req.path, headers, agent: agentFor(localAddress) },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", reject);
        res.on("end", () => {
          stats.requests++;
          req.jar?.absorb(res.headers["set-cookie"]);
          const status = res.statusCode ?? 0;
          const out: Res = {
            status,
            headers: res.headers,
            location: typeof res.headers.location === "string" ? res.headers.location : undefined,
            body: Buffer.concat(chunks).toString("utf8"),
            method,
            path: req.path,
            ms: Date.now() - started,
          };
          if (status >= 500) stats.serverErrors.push({ method, path: req.path.slice(0, 300), status });
          resolve(out);
        });
      },
    );
    r.setTimeout(req.timeoutMs ?? 60_000, () => r.destroy(new Error(`timeout: ${method} ${req.path}`)));
    r.on("error", (error: NodeJS.ErrnoException) => {
      const code = error.code ?? "";
      if (r.reusedSocket && (code === "ECONNRESET" || code === "EPIPE")) Object.assign(error, { reusedSocket: true });
      reject(error);
    });
    if (req.body !== undefined) r.write(req.body);
    r.end();
  });
}

/** `application/x-www-form-urlencoded` from ordered pairs (duplicate keys kept, nothing normalised). */
export function urlencoded(pairs: Array<[string, string]>): string {
  return pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&");
}

export type Part =
  | { name: string; value: string | Buffer }
  | { name: string; file: { name: string; type: string; data: Buffer } };

/** A multipart/form-data body; returns the body and its Content-Type. */
export function multipart(parts: Part[]): { body: Buffer; contentType: string } {
  const boundary = `----attack${Math.random().toString(16).slice(2)}${Date.now().toString(16)}`;
  const chunks: Buffer[] = [];
  const q = (s: string) => s.replace(/[\r\n"]/g, (c) => encodeURIComponent(c));
  for (const p of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\n`));
    if ("file" in p) {
      chunks.push(
        Buffer.from(
          `Content-Disposition: form-data; name="${q(p.name)}"; filename="${q(p.file.name)}"\r\nContent-Type: ${p.file.type}\r\n\r\n`,
        ),
      );
      chunks.push(p.file.data);
    } else {
      chunks.push(Buffer.from(`Content-Disposition: form-data; name="${q(p.name)}"\r\n\r\n`));
      chunks.push(typeof p.value === "string" ? Buffer.from(p.value, "utf8") : p.value);
    }
    chunks.push(Buffer.from("\r\n"));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** The CSRF token a page's forms carry (the hidden `csrf` input), if any. */
export function csrfFromHtml(html: string): string | undefined {
  const m =
    /<input[^>]*\bname="csrf"[^>]*\bvalue="([^"]*)"/.exec(html) ??
    /<input[^>]*\bvalue="([^"]*)"[^>]*\bname="csrf"/.exec(html);
  return m?.[1] ? decodeEntities(m[1]) : undefined;
}

export function decodeEntities(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

export const PDF = Buffer.from("%PDF-1.4\n% attack suite test document\n");

/**
 * A visitor with a cookie jar: anonymous, or signed in as a demo account. Keeps the CSRF token its pages carry
 * (re-read after signing in or out, so a token bound to the session still works).
 */
export class Visitor {
  readonly jar = new Jar();
  private token: string | undefined;

  constructor(
    readonly name: string,
    readonly identifier: string | null,
  ) {}

  get(path: string, headers: Record<string, string> = {}): Promise<Res> {
    return send({ path, headers, jar: this.jar });
  }

  /** A page's HTML, from which the CSRF token is refreshed when it carries one. */
  async page(path: string): Promise<Res> {
    const res = await this.get(path);
    const t = csrfFromHtml(res.body);
    if (t) this.token = t;
    return res;
  }

  async csrf(): Promise<string> {
    if (!this.token) await this.page("/");
    if (!this.token) throw new Error(`${this.name}: no CSRF token on /`);
    return this.token;
  }

  forgetCsrf(): void {
    this.token = undefined;
  }

  /** POST url-encoded pairs with this visitor's CSRF token added first (unless `csrf: false`). */
  async post(
    path: string,
    pairs: Array<[string, string]>,
    opts: { csrf?: boolean; headers?: Record<string, string> } = {},
  ): Promise<Res> {
    const all: Array<[string, string]> = opts.csrf === false ? pairs : [["csrf", await this.csrf()], ...pairs];
    return send({
      method: "POST",
      path,
      jar: this.jar,
      body: urlencoded(all),
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN, ...opts.headers },
    });
  }

  async postMultipart(path: string, parts: Part[], opts: { csrf?: boolean } = {}): Promise<Res> {
    const all: Part[] = opts.csrf === false ? parts : [{ name: "csrf", value: await this.csrf() }, ...parts];
    const { body, contentType } = multipart(all);
    return send({
      method: "POST",
      path,
      jar: this.jar,
      body,
      headers: { "Content-Type": contentType, Origin: ORIGIN },
    });
  }

  async signIn(): Promise<void> {
    if (!this.identifier) {
      await this.page("/");
      return;
    }
    await this.page("/auth/login");
    const res = await this.post("/auth/login", [
      ["redirectTo", ""],
      ["identifier", this.identifier],
      ["password", "DemoPortal2026"],
    ]);
    if (res.status < 300 || res.status >= 400) {
      throw new Error(`${this.name}: sign-in as ${this.identifier} answered ${res.status}`);
    }
    this.forgetCsrf();
    await this.page("/");
  }

  async signOut(): Promise<void> {
    await this.post("/auth/logout", []);
    this.forgetCsrf();
  }
}

/** Where a redirect points, as a path (undefined when it is not a redirect). */
export function redirectPath(res: Res): string | undefined {
  if (res.status < 300 || res.status >= 400 || !res.location) return undefined;
  try {
    const u = new URL(res.location, ORIGIN);
    return u.origin === new URL(ORIGIN).origin ? u.pathname + u.search : res.location;
  } catch {
    return res.location;
  }
}

export function isLoginRedirect(res: Res): boolean {
  return (res.status === 302 || res.status === 303) && (redirectPath(res) ?? "").startsWith("/auth/login");
}
