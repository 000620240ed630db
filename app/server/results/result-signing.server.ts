/**
 * Result documents are signed with Ed25519 (Node's crypto) so anyone can check, on the public
 * verification page, that a result was issued by that agency through the portal and not altered.
 * The key comes from RESULT_SIGNING_KEY (PKCS#8 PEM) per deployment; without it a demo key is
 * generated on first start under .data/keys (never for production).
 *
 * Since issue 14 new results are PAdES-signed PDFs (result-issue.server.ts); this key still verifies the
 * HTML results issued before, so it stays required in production.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { isDemoMode } from "../env.server.ts";

type KeyPair = { privateKey: crypto.KeyObject; publicKey: crypto.KeyObject; keyId: string };
let cached: KeyPair | undefined;

function loadKeys(): KeyPair {
  if (cached) return cached;
  let pem = process.env.RESULT_SIGNING_KEY;
  if (!pem) {
    // Production start-up refuses without RESULT_SIGNING_KEY; this is a second lock on the same door.
    if (!isDemoMode) throw new Error("RESULT_SIGNING_KEY is not set (production mode).");
    const file = path.resolve(process.env.KEYS_DIR ?? ".data/keys", "result-signing-ed25519.pem");
    if (!fs.existsSync(file)) {
      const { privateKey } = crypto.generateKeyPairSync("ed25519");
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 });
    }
    pem = fs.readFileSync(file, "utf8");
  }
  const privateKey = crypto.createPrivateKey(pem);
  const publicKey = crypto.createPublicKey(privateKey);
  const keyId = crypto
    .createHash("sha256")
    .update(publicKey.export({ type: "spki", format: "der" }))
    .digest("hex")
    .slice(0, 16);
  cached = { privateKey, publicKey, keyId };
  return cached;
}

export type ResultPayload = {
  dossierCode: string;
  procedureCode: string;
  procedureName: string;
  resultName: string;
  agencyCode: string;
  agencyName: string;
  applicantIdHash: string;
  issuedAt: string;
};

/** Deterministic JSON (sorted keys) so the same payload always signs to the same bytes. */
export function canonicalJson(payload: Record<string, string>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(payload).sort(([a], [b]) => (a < b ? -1 : 1))));
}

export function signPayload(payload: ResultPayload): { signature: string; keyId: string } {
  const { privateKey, keyId } = loadKeys();
  const signature = crypto.sign(null, Buffer.from(canonicalJson(payload)), privateKey).toString("base64url");
  return { signature, keyId };
}

export function verifyPayload(payload: ResultPayload, signature: string): boolean {
  const { publicKey } = loadKeys();
  try {
    return crypto.verify(null, Buffer.from(canonicalJson(payload)), publicKey, Buffer.from(signature, "base64url"));
  } catch {
    return false;
  }
}

export function publicKeyPem(): string {
  return loadKeys().publicKey.export({ type: "spki", format: "pem" }).toString();
}

const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
export function newVerificationCode(): string {
  const bytes = crypto.randomBytes(10);
  return Array.from(bytes, (b) => ALPHABET[b % ALPHABET.length]).join("");
}
