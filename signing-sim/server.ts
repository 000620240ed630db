/**
 * Remote signing simulator: a stand-in for a Vietnamese remote-signing service (a "ký số từ xa" provider that
 * holds citizens' keys in its HSM), speaking the Cloud Signature Consortium API v2 on localhost, so a citizen
 * can sign the declaration of a dossier end to end without a provider contract (issue 14, ADR 018).
 *
 * Demo only: the portal starts it in demo mode when SIGNING_SERVICE_URL is not set, and talks to it only over
 * HTTP, as it would to a real service. Production never starts it.
 *
 * What it does, per CSC API v2 (POST, JSON, `Authorization: Bearer <token>`):
 * - `info`: the service and the methods it offers (no token needed).
 * - `credentials/list {userID, clientData?}`: the citizen's credentials. On first use a credential is enrolled:
 *   an RSA 2048 key and a certificate issued by the demo CA (KEYS_DIR/demo-ca) with subject CN = the name given
 *   in `clientData` (JSON `{ "name": … }`: a real provider knows the name from its own registration) and
 *   serialNumber = `IDCVN-<userID>` (ETSI EN 319 412-1 natural-person identifier: national identity card, VN).
 * - `credentials/info {credentialID, certificates}`: key status, certificate (chain), authMode explicit, SCAL 2,
 *   OTP online.
 * - `credentials/sendOTP {credentialID}`: a 6-digit one-time code, valid `otpTtlMs` (5 minutes), "sent to the
 *   phone": shown on the simulator's phone page `GET /phone/<credentialID>`.
 * - `credentials/authorize {credentialID, numSignatures, hashes, hashAlgorithmOID, OTP}` → `{SAD, expiresIn}`.
 *   A wrong OTP counts; after `maxOtpFailures` (3) wrong codes the credential is locked (key status
 *   "disabled", every later authorize refused). An expired code is refused and used up.
 * - `signatures/signHash {credentialID, SAD, hashes, hashAlgorithmOID, signAlgo}` → `{signatures}`: only the
 *   hashes the SAD was issued for, at most `numSignatures` of them, before the SAD expires.
 * Errors are `{error, error_description}` with HTTP 400/401 as in the CSC API.
 *
 * State is in memory; restarting forgets credentials (a citizen is enrolled again with a new certificate; the
 * documents already signed keep verifying, since the CA is the same). `revoke(credentialID)` puts a
 * credential's certificate on the demo CA's CRL (tests).
 *
 * Start it alone with `npx tsx signing-sim/server.ts` (SIGNING_SIM_PORT, SIGNING_SERVICE_TOKEN, KEYS_DIR,
 * PUBLIC_URL), or from code with `startSigningSimulator`.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { signRsaDigest } from "../app/server/results/pades.server.ts";
import { ensureDemoCa, revokeDemoCertificate } from "../app/server/results/pki.server.ts";
import * as x509 from "../app/server/results/x509.server.ts";

x509.cryptoProvider.set(crypto.webcrypto as unknown as Crypto);

export const CSC_OID = {
  sha256: "2.16.840.1.101.3.4.2.1",
  rsaEncryption: "1.2.840.113549.1.1.1",
  sha256WithRsa: "1.2.840.113549.1.1.11",
} as const;

/** The demo token the portal sends in demo mode; a real service issues OAuth 2.0 tokens. */
export const DEMO_SIGNING_TOKEN = "demo-signing-token-change-me";

export type SigningSimulatorOptions = {
  /** 0 picks a free port. */
  port: number;
  host?: string;
  /** The demo CA directory (root.crt, root.key, revoked.json), created if missing. */
  caDir: string;
  /** The CRL distribution point written into citizens' certificates. */
  crlUrl: string;
  token: string;
  otpTtlMs?: number;
  maxOtpFailures?: number;
  sadTtlMs?: number;
  /** Validity of issued certificates. */
  certValidityMs?: number;
  /** The clock (tests). */
  now?: () => number;
};

type OtpState = { code: string; expiresAt: number; sentAt: number };
type Credential = {
  id: string;
  userID: string;
  name: string;
  key: crypto.KeyObject;
  certificate: x509.X509Certificate;
  root: x509.X509Certificate;
  failures: number;
  locked: boolean;
  otp: OtpState | null;
  /** What the phone has received, newest last. */
  messages: { at: number; text: string }[];
};
type Sad = { credentialID: string; hashes: Set<string>; remaining: number; expiresAt: number };

export type SigningSimulator = {
  url: string;
  close(): Promise<void>;
  /** The last OTP sent for a credential (tests), or null. */
  lastOtp(credentialID: string): string | null;
  credential(credentialID: string): { userID: string; locked: boolean; failures: number; serialNumber: string } | null;
  /** Puts the credential's certificate on the demo CA's CRL, revoked at `at`. */
  revoke(credentialID: string, at?: Date): void;
};

class CscFailure extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
  ) {
    super(description);
  }
}

const RSA_ALG = {
  name: "RSASSA-PKCS1-v1_5",
  hash: "SHA-256",
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
};

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} — Dịch vụ ký số từ xa mô phỏng</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 32rem; margin: 2rem auto; padding: 0 1rem; color: #1a1a1a; }
.sms { border: 1px solid #767676; border-radius: 12px; padding: 1rem; margin: 1rem 0; background: #f3f6fa; }
.otp { font-size: 2rem; font-weight: 700; letter-spacing: .2em; }
.note { color: #4a4a4a; font-size: .9rem; }
</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>`;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 1024 * 1024) throw new CscFailure(400, "invalid_request", "The request is too large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export async function startSigningSimulator(options: SigningSimulatorOptions): Promise<SigningSimulator> {
  const now = options.now ?? Date.now;
  const otpTtlMs = options.otpTtlMs ?? 5 * 60_000;
  const maxOtpFailures = options.maxOtpFailures ?? 3;
  const sadTtlMs = options.sadTtlMs ?? 5 * 60_000;
  const certValidityMs = options.certValidityMs ?? 2 * 365 * 86_400_000;
  await ensureDemoCa(options.caDir, options.crlUrl);
  const root = new x509.X509Certificate(fs.readFileSync(path.join(options.caDir, "root.crt"), "utf8"));
  const rootKeyDer = crypto
    .createPrivateKey(fs.readFileSync(path.join(options.caDir, "root.key"), "utf8"))
    .export({ type: "pkcs8", format: "der" });
  const rootKey = (await crypto.webcrypto.subtle.importKey(
    "pkcs8",
    rootKeyDer,
    { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
    false,
    ["sign"],
  )) as CryptoKey;

  const credentials = new Map<string, Credential>();
  const byUser = new Map<string, string>();
  const sads = new Map<string, Sad>();
  const enrolling = new Map<string, Promise<Credential>>();

  async function enroll(userID: string, name: string): Promise<Credential> {
    const keys = (await crypto.webcrypto.subtle.generateKey(RSA_ALG, true, ["sign", "verify"])) as CryptoKeyPair;
    const issued = new Date(now() - 60_000);
    const certificate = await x509.X509CertificateGenerator.create({
      serialNumber: `02${crypto.randomBytes(15).toString("hex")}`,
      subject: new x509.Name([{ CN: [name] }, { "2.5.4.5": [`IDCVN-${userID}`] }, { C: ["VN"] }]),
      issuer: root.subject,
      notBefore: issued,
      notAfter: new Date(issued.getTime() + certValidityMs),
      signingAlgorithm: RSA_ALG,
      publicKey: keys.publicKey,
      signingKey: rootKey,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation, true),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
        await x509.AuthorityKeyIdentifierExtension.create(root),
        new x509.CRLDistributionPointsExtension([options.crlUrl]),
      ],
    });
    const pkcs8 = Buffer.from(
      await crypto.webcrypto.subtle.exportKey("pkcs8", keys.privateKey as crypto.webcrypto.CryptoKey),
    );
    const credential: Credential = {
      id: `cred-${crypto.randomUUID()}`,
      userID,
      name,
      key: crypto.createPrivateKey({ key: pkcs8, format: "der", type: "pkcs8" }),
      certificate,
      root,
      failures: 0,
      locked: false,
      otp: null,
      messages: [],
    };
    credentials.set(credential.id, credential);
    byUser.set(userID, credential.id);
    return credential;
  }

  function credentialOf(body: Record<string, unknown>): Credential {
    const id = body.credentialID;
    if (typeof id !== "string" || id === "")
      throw new CscFailure(400, "invalid_request", "Missing (or invalid type) string parameter credentialID");
    const c = credentials.get(id);
    if (!c) throw new CscFailure(400, "invalid_request", "Invalid parameter credentialID");
    return c;
  }

  function hashesOf(body: Record<string, unknown>): string[] {
    const hashes = body.hashes;
    if (!Array.isArray(hashes) || hashes.length === 0 || !hashes.every((h) => typeof h === "string"))
      throw new CscFailure(400, "invalid_request", "Missing (or invalid type) array parameter hashes");
    for (const h of hashes as string[])
      if (Buffer.from(h, "base64").length !== 32)
        throw new CscFailure(400, "invalid_request", "Invalid Base64 hash string parameter");
    if (body.hashAlgorithmOID !== undefined && body.hashAlgorithmOID !== CSC_OID.sha256)
      throw new CscFailure(400, "invalid_request", "Invalid parameter hashAlgorithmOID");
    return hashes as string[];
  }

  const methods: Record<string, (body: Record<string, unknown>) => Promise<unknown>> = {
    async info() {
      return {
        specs: "2.0.0.2",
        name: "Dịch vụ ký số từ xa mô phỏng (DEMO)",
        logo: "",
        region: "VN",
        lang: "vi-VN",
        description: "Remote signing simulator for the demo portal. Not a trust service.",
        authType: ["external"],
        methods: [
          "credentials/list",
          "credentials/info",
          "credentials/sendOTP",
          "credentials/authorize",
          "signatures/signHash",
        ],
      };
    },
    async "credentials/list"(body) {
      const userID = body.userID;
      if (typeof userID !== "string" || !/^\d{9,12}$/.test(userID))
        throw new CscFailure(400, "invalid_request", "Invalid parameter userID");
      let id = byUser.get(userID);
      if (!id) {
        let name = "";
        try {
          name = String((JSON.parse(String(body.clientData ?? "{}")) as { name?: unknown }).name ?? "").trim();
        } catch {
          name = "";
        }
        if (!name) return { credentialIDs: [] };
        let pending = enrolling.get(userID);
        if (!pending) {
          pending = enroll(userID, name.slice(0, 64));
          enrolling.set(userID, pending);
          pending.finally(() => enrolling.delete(userID)).catch(() => {});
        }
        id = (await pending).id;
      }
      return { credentialIDs: [id] };
    },
    async "credentials/info"(body) {
      const c = credentialOf(body);
      const which = body.certificates ?? "single";
      const certs =
        which === "none"
          ? []
          : which === "chain"
            ? [c.certificate, c.root].map((x) => Buffer.from(x.rawData).toString("base64"))
            : [Buffer.from(c.certificate.rawData).toString("base64")];
      const t = now();
      return {
        description: `Chứng thư số cá nhân của ${c.name}`,
        key: { status: c.locked ? "disabled" : "enabled", algo: [CSC_OID.rsaEncryption], len: 2048 },
        cert: {
          status:
            c.certificate.notAfter.getTime() < t
              ? "expired"
              : c.certificate.notBefore.getTime() > t
                ? "not_yet_valid"
                : "valid",
          certificates: certs,
          issuerDN: c.certificate.issuer,
          serialNumber: c.certificate.serialNumber,
          subjectDN: c.certificate.subject,
          validFrom: c.certificate.notBefore.toISOString(),
          validTo: c.certificate.notAfter.toISOString(),
        },
        authMode: "explicit",
        SCAL: "2",
        OTP: {
          presence: "true",
          type: "online",
          format: "N",
          label: "Mã OTP",
          description: "Mã xác thực gửi qua tin nhắn SMS",
          ID: "sms",
          provider: "demo",
        },
        multisign: 1,
        lang: "vi-VN",
      };
    },
    async "credentials/sendOTP"(body) {
      const c = credentialOf(body);
      if (c.locked) throw new CscFailure(400, "invalid_request", "The credential is locked");
      const code = String(crypto.randomInt(0, 1_000_000)).padStart(6, "0");
      const t = now();
      c.otp = { code, sentAt: t, expiresAt: t + otpTtlMs };
      c.messages.push({
        at: t,
        text: `Ma OTP ky so ho so cua ban la ${code}, hieu luc ${Math.round(otpTtlMs / 60_000)} phut. Khong cung cap ma nay cho bat ky ai.`,
      });
      return null;
    },
    async "credentials/authorize"(body) {
      const c = credentialOf(body);
      if (c.locked) throw new CscFailure(400, "invalid_request", "The credential is locked");
      const hashes = hashesOf(body);
      const numSignatures = Number(body.numSignatures);
      if (!Number.isInteger(numSignatures) || numSignatures < 1 || numSignatures !== hashes.length)
        throw new CscFailure(400, "invalid_request", "Invalid parameter numSignatures");
      const otp = body.OTP;
      if (typeof otp !== "string" || otp === "")
        throw new CscFailure(400, "invalid_request", "Missing (or invalid type) string parameter OTP");
      if (!c.otp) throw new CscFailure(400, "invalid_otp", "The OTP is invalid");
      if (now() > c.otp.expiresAt) {
        c.otp = null;
        throw new CscFailure(400, "invalid_otp", "The OTP has expired");
      }
      const ok = otp.length === c.otp.code.length && crypto.timingSafeEqual(Buffer.from(otp), Buffer.from(c.otp.code));
      if (!ok) {
        c.failures += 1;
        if (c.failures >= maxOtpFailures) {
          c.locked = true;
          c.otp = null;
          throw new CscFailure(400, "invalid_otp", "The OTP is invalid; the credential is locked");
        }
        throw new CscFailure(400, "invalid_otp", "The OTP is invalid");
      }
      c.failures = 0;
      c.otp = null;
      const sad = crypto.randomBytes(32).toString("base64url");
      sads.set(sad, {
        credentialID: c.id,
        hashes: new Set(hashes),
        remaining: numSignatures,
        expiresAt: now() + sadTtlMs,
      });
      return { SAD: sad, expiresIn: Math.round(sadTtlMs / 1000) };
    },
    async "signatures/signHash"(body) {
      const c = credentialOf(body);
      if (c.locked) throw new CscFailure(400, "invalid_request", "The credential is locked");
      const hashes = hashesOf(body);
      if (body.signAlgo !== CSC_OID.sha256WithRsa && body.signAlgo !== CSC_OID.rsaEncryption)
        throw new CscFailure(400, "invalid_request", "Invalid parameter signAlgo");
      const sad = typeof body.SAD === "string" ? sads.get(body.SAD) : undefined;
      if (!sad || sad.credentialID !== c.id) throw new CscFailure(400, "invalid_request", "Invalid parameter SAD");
      if (now() > sad.expiresAt) {
        sads.delete(String(body.SAD));
        throw new CscFailure(400, "invalid_request", "SAD expired");
      }
      if (hashes.length > sad.remaining || !hashes.every((h) => sad.hashes.has(h)))
        throw new CscFailure(400, "invalid_request", "Hash is not authorized by the SAD");
      sad.remaining -= hashes.length;
      for (const h of hashes) sad.hashes.delete(h);
      if (sad.remaining === 0) sads.delete(String(body.SAD));
      return { signatures: hashes.map((h) => signRsaDigest(Buffer.from(h, "base64"), c.key).toString("base64")) };
    },
  };

  function phonePage(c: Credential | undefined): string {
    if (!c) return page("Không tìm thấy", `<h1>Không tìm thấy thuê bao</h1><p lang="en">No such credential.</p>`);
    const last = c.messages[c.messages.length - 1];
    const current = c.otp && c.otp.expiresAt >= now() ? c.otp : null;
    return page(
      "Điện thoại",
      `<h1>Tin nhắn đến điện thoại của ${escapeHtml(c.name)}</h1>
<p class="note">Mô phỏng: dịch vụ ký số thật gửi mã qua SMS đến số điện thoại đã đăng ký. <span lang="en">Simulated phone: a real service sends the code by SMS.</span></p>
${
  current
    ? `<section class="sms" aria-labelledby="otp-label"><h2 id="otp-label">Mã OTP <span lang="en">(one-time code)</span></h2>
<p class="otp" data-testid="otp">${escapeHtml(current.code)}</p>
<p>Hiệu lực đến ${escapeHtml(new Date(current.expiresAt).toLocaleTimeString("vi-VN", { timeZone: "Asia/Ho_Chi_Minh" }))}. Không cung cấp mã này cho bất kỳ ai.</p></section>`
    : `<p data-testid="no-otp">Không có mã OTP còn hiệu lực. <span lang="en">No valid code.</span></p>`
}
${c.locked ? `<p><strong>Chứng thư đã bị khoá do nhập sai mã quá ${maxOtpFailures} lần.</strong> <span lang="en">The credential is locked.</span></p>` : ""}
${last && !current ? `<p class="note">Tin gần nhất: ${escapeHtml(last.text)}</p>` : ""}`,
    );
  }

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (req.method === "GET" && url.pathname === "/_sim/identity") {
      // Lets a second portal instance recognise a running simulator and re-use it (server.ts).
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ simulator: "signing-sim", pid: process.pid }));
      return;
    }
    if (req.method === "GET" && url.pathname.startsWith("/phone/")) {
      const c = credentials.get(decodeURIComponent(url.pathname.slice("/phone/".length)));
      res.writeHead(c ? 200 : 404, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
      res.end(phonePage(c));
      return;
    }
    const m = /^\/csc\/v2\/(.+)$/.exec(url.pathname);
    const method = m?.[1] ? methods[m[1]] : undefined;
    if (req.method !== "POST" || !method || !m) {
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: "invalid_request", error_description: "Unknown method" }));
      return;
    }
    try {
      if (m[1] !== "info") {
        const auth = req.headers.authorization ?? "";
        const given = Buffer.from(auth.replace(/^Bearer\s+/i, ""));
        const expected = Buffer.from(options.token);
        if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected))
          throw new CscFailure(401, "invalid_token", "The access token is not valid");
      }
      const raw = await readBody(req);
      let body: Record<string, unknown>;
      try {
        body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      } catch {
        throw new CscFailure(400, "invalid_request", "The request body is not JSON");
      }
      if (typeof body !== "object" || body === null) throw new CscFailure(400, "invalid_request", "Invalid body");
      const result = await method(body);
      if (result === null) {
        res.writeHead(204);
        res.end();
        return;
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(result));
    } catch (error) {
      const f =
        error instanceof CscFailure ? error : new CscFailure(500, "server_error", "The service could not answer");
      if (!(error instanceof CscFailure)) console.error("Signing simulator:", error);
      res.writeHead(f.status, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: f.error, error_description: f.description }));
    }
  });
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolvePromise, reject) => {
    server.once("error", reject);
    server.listen(options.port, host, () => resolvePromise());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host === "127.0.0.1" ? "localhost" : host}:${port}`,
    lastOtp: (id) => credentials.get(id)?.otp?.code ?? null,
    credential: (id) => {
      const c = credentials.get(id);
      return c
        ? { userID: c.userID, locked: c.locked, failures: c.failures, serialNumber: c.certificate.serialNumber }
        : null;
    },
    revoke(id, at = new Date(now())) {
      const c = credentials.get(id);
      if (!c) throw new Error(`No credential ${id}`);
      revokeDemoCertificate(options.caDir, c.certificate.serialNumber, at);
    },
    async close() {
      await new Promise<void>((resolvePromise, reject) => {
        server.close((error) => (error ? reject(error) : resolvePromise()));
        server.closeAllConnections();
      });
    },
  };
}

const runDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;

if (runDirectly) {
  const publicUrl = (process.env.PUBLIC_URL ?? "http://localhost:3000").replace(/\/$/, "");
  const sim = await startSigningSimulator({
    port: Number(process.env.SIGNING_SIM_PORT ?? 8090),
    caDir: path.resolve(process.env.KEYS_DIR ?? ".data/keys", "demo-ca"),
    crlUrl: `${publicUrl}/pki/demo-ca.crl`,
    token: process.env.SIGNING_SERVICE_TOKEN ?? DEMO_SIGNING_TOKEN,
  });
  console.log(`Remote signing simulator (CSC API v2) listening on ${sim.url}/csc/v2/`);
  const stop = () => {
    void sim.close().then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
