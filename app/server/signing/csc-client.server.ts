/**
 * A Cloud Signature Consortium API v2 client (ADR 018): the portal is the "signature application", the remote
 * signing service holds the citizen's key. Only the calls the portal needs: credentials/list,
 * credentials/info, credentials/sendOTP, credentials/authorize and signatures/signHash (POST, JSON, bearer
 * token). Every failure becomes a `CscError` with a `kind` the pages translate.
 */

export type CscErrorKind =
  /** The one-time code is wrong (attempts remain). */
  | "wrongOtp"
  /** The one-time code has expired (or none was sent): a new one must be asked for. */
  | "otpExpired"
  /** Too many wrong codes: the provider locked the credential. */
  | "locked"
  /** The signature activation data was refused (expired, used, or for other hashes). */
  | "sadRefused"
  /** The service has no credential for this person. */
  | "noCredential"
  /** The service refused the request otherwise (configuration, token). */
  | "refused"
  /** The service did not answer, or not in time. */
  | "unavailable";

export class CscError extends Error {
  override name = "CscError";
  constructor(
    readonly kind: CscErrorKind,
    readonly status: number | null,
    readonly code: string,
    description: string,
  ) {
    super(description);
  }
}

/**
 * The CSC API leaves most conditions under `invalid_request` with a description; services word them
 * differently. The descriptions below are those of the CSC specification's error tables and of the demo
 * simulator; a production service's wording must be checked against this list (ADR 018).
 */
export function classifyCscError(status: number, error: string, description: string): CscErrorKind {
  const d = description.toLowerCase();
  if (status === 401 || error === "invalid_token" || error === "access_denied") return "refused";
  if (/locked|blocked|disabled|suspended/.test(d)) return "locked";
  if (/otp/.test(d) && /expired/.test(d)) return "otpExpired";
  if (error === "invalid_otp" || /\botp\b/.test(d)) return "wrongOtp";
  if (/\bsad\b/.test(d)) return "sadRefused";
  if (/credentialid/.test(d)) return "noCredential";
  return "refused";
}

export type CredentialInfo = {
  keyEnabled: boolean;
  certStatus: string;
  /** DER certificates, the signer's first (certificates: "chain"). */
  certificates: Buffer[];
  subjectDN: string;
  serialNumber: string;
  validTo: string;
};

export const OID = {
  sha256: "2.16.840.1.101.3.4.2.1",
  sha256WithRsa: "1.2.840.113549.1.1.11",
} as const;

export type CscClient = ReturnType<typeof cscClient>;

export function cscClient(config: { url: string; token: string; timeoutMs?: number }) {
  const base = config.url.replace(/\/$/, "");
  async function call<T>(method: string, body: Record<string, unknown>): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${base}/csc/v2/${method}`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${config.token}` },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(config.timeoutMs ?? 15_000),
      });
    } catch (error) {
      throw new CscError("unavailable", null, "network", (error as Error).message);
    }
    if (res.status === 204) return null as T;
    const text = await res.text();
    let json: Record<string, unknown> = {};
    try {
      json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      throw new CscError("unavailable", res.status, "not_json", `The signing service answered ${res.status}`);
    }
    if (!res.ok) {
      const error = String(json.error ?? "");
      const description = String(json.error_description ?? "");
      if (res.status >= 500) throw new CscError("unavailable", res.status, error, description);
      throw new CscError(classifyCscError(res.status, error, description), res.status, error, description);
    }
    return json as T;
  }

  return {
    /** The person's credentials; `name` lets a service that enrols on first use name the certificate. */
    async listCredentials(userID: string, name: string): Promise<string[]> {
      const r = await call<{ credentialIDs?: unknown }>("credentials/list", {
        userID,
        clientData: JSON.stringify({ name }),
      });
      return Array.isArray(r.credentialIDs) ? r.credentialIDs.filter((x): x is string => typeof x === "string") : [];
    },
    async credentialInfo(credentialID: string): Promise<CredentialInfo> {
      const r = await call<{
        key?: { status?: string };
        cert?: {
          status?: string;
          certificates?: string[];
          subjectDN?: string;
          serialNumber?: string;
          validTo?: string;
        };
      }>("credentials/info", { credentialID, certificates: "chain", certInfo: true, authInfo: true });
      return {
        keyEnabled: r.key?.status === "enabled",
        certStatus: r.cert?.status ?? "unknown",
        certificates: (r.cert?.certificates ?? []).map((b) => Buffer.from(b, "base64")),
        subjectDN: r.cert?.subjectDN ?? "",
        serialNumber: r.cert?.serialNumber ?? "",
        validTo: r.cert?.validTo ?? "",
      };
    },
    async sendOtp(credentialID: string): Promise<void> {
      await call("credentials/sendOTP", { credentialID });
    },
    /** Explicit authorisation (SCAL 2): the hashes to be signed and the one-time code → SAD. */
    async authorize(credentialID: string, hashes: Buffer[], otp: string): Promise<string> {
      const r = await call<{ SAD?: unknown }>("credentials/authorize", {
        credentialID,
        numSignatures: hashes.length,
        hashes: hashes.map((h) => h.toString("base64")),
        hashAlgorithmOID: OID.sha256,
        OTP: otp,
      });
      if (typeof r.SAD !== "string") throw new CscError("unavailable", 200, "no_sad", "No SAD in the answer");
      return r.SAD;
    },
    async signHash(credentialID: string, sad: string, hashes: Buffer[]): Promise<Buffer[]> {
      const r = await call<{ signatures?: unknown }>("signatures/signHash", {
        credentialID,
        SAD: sad,
        hashes: hashes.map((h) => h.toString("base64")),
        hashAlgorithmOID: OID.sha256,
        signAlgo: OID.sha256WithRsa,
      });
      const sigs = Array.isArray(r.signatures) ? r.signatures.filter((s): s is string => typeof s === "string") : [];
      if (sigs.length !== hashes.length)
        throw new CscError("unavailable", 200, "signatures", "The service returned no signature");
      return sigs.map((s) => Buffer.from(s, "base64"));
    },
  };
}
