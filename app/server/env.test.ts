import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { makeAgencyCertificate } from "../../tests/agency-cert.ts";
import { DEMO_VALUES, portalModeOf, productionProblems } from "./env.server.ts";

const ed25519Pem = () =>
  crypto.generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const strong = () => crypto.randomBytes(32).toString("base64");

const agencyCert = makeAgencyCertificate();

function goodProduction(): Record<string, string | undefined> {
  return {
    PORTAL_MODE: "production",
    DATABASE_URL: "postgresql://portal_app@db.example/portal",
    SESSION_SECRET: strong(),
    CSRF_SECRET: strong(),
    GATEWAY_URL: "https://pay.example/vpcpay",
    GATEWAY_TMN_CODE: "QNINH001",
    GATEWAY_SECRET: strong(),
    RESULT_SIGNING_KEY: ed25519Pem(),
    PUBLIC_URL: "https://dichvucong.quangninh.example",
    RESULT_CERT_KEY: agencyCert.key,
    RESULT_CERT_CHAIN: agencyCert.chain,
    RESULT_TRUST_ANCHOR: agencyCert.anchor,
  };
}

describe("portal mode", () => {
  it("is demo on a fresh clone (npm start sets NODE_ENV=production but there is no DATABASE_URL)", () => {
    expect(portalModeOf({ NODE_ENV: "production" })).toBe("demo");
    expect(portalModeOf({})).toBe("demo");
  });
  it("is production with NODE_ENV=production and a DATABASE_URL, or when said explicitly", () => {
    expect(portalModeOf({ NODE_ENV: "production", DATABASE_URL: "postgresql://x/y" })).toBe("production");
    expect(portalModeOf({ PORTAL_MODE: "production" })).toBe("production");
    expect(portalModeOf({ PORTAL_MODE: "demo", NODE_ENV: "production", DATABASE_URL: "postgresql://x/y" })).toBe(
      "demo",
    );
  });
});

describe("productionProblems", () => {
  it("has nothing to say in demo mode", () => {
    expect(productionProblems({})).toEqual([]);
  });
  it("accepts a complete production configuration", () => {
    expect(productionProblems(goodProduction())).toEqual([]);
  });
  it("lists every missing secret at once", () => {
    const problems = productionProblems({ PORTAL_MODE: "production" });
    for (const name of [
      "DATABASE_URL",
      "SESSION_SECRET",
      "CSRF_SECRET",
      "GATEWAY_SECRET",
      "RESULT_SIGNING_KEY",
      "RESULT_CERT_P12",
      "GATEWAY_URL",
      "GATEWAY_TMN_CODE",
      "PUBLIC_URL",
    ])
      expect(problems.join("\n")).toContain(name);
  });
  it.each([
    ["SESSION_SECRET", DEMO_VALUES.SESSION_SECRET, /demo value/],
    ["CSRF_SECRET", DEMO_VALUES.CSRF_SECRET, /demo value/],
    ["GATEWAY_SECRET", DEMO_VALUES.GATEWAY_SECRET, /demo value/],
    ["GATEWAY_SECRET", "please-change-me-before-going-live-0123456789", /demo value/],
    ["SESSION_SECRET", "short-secret", /too short/],
    ["GATEWAY_TMN_CODE", DEMO_VALUES.GATEWAY_TMN_CODE, /demo merchant/],
    ["RESULT_SIGNING_KEY", "-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----", /not a readable/],
    ["PUBLIC_URL", "http://dichvucong.example", /https/],
    ["SEED_DEMO", "true", /never seeded/],
    ["COOKIE_SECURE", "false", /Secure/],
  ])("refuses %s=%s", (name, value, message) => {
    const problems = productionProblems({ ...goodProduction(), [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(name);
    expect(problems[0]).toMatch(message);
  });
  it("refuses an RSA key where an Ed25519 one is expected", () => {
    const rsa = crypto.generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey;
    const problems = productionProblems({
      ...goodProduction(),
      RESULT_SIGNING_KEY: rsa.export({ type: "pkcs8", format: "pem" }).toString(),
    });
    expect(problems).toEqual(["RESULT_SIGNING_KEY is not an Ed25519 private key."]);
  });
  it("refuses a short METRICS_TOKEN and an unknown LOG_LEVEL; both are optional", () => {
    expect(productionProblems({ ...goodProduction(), METRICS_TOKEN: "short" })).toEqual([
      "METRICS_TOKEN is shorter than 32 characters (e.g. openssl rand -hex 32), or leave it unset.",
    ]);
    expect(productionProblems({ ...goodProduction(), LOG_LEVEL: "verbose" })).toEqual([
      "LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent.",
    ]);
    expect(productionProblems({ ...goodProduction(), METRICS_TOKEN: "x".repeat(64), LOG_LEVEL: "warn" })).toEqual([]);
  });
  it("refuses one secret used for both sessions and CSRF", () => {
    const env = goodProduction();
    expect(productionProblems({ ...env, CSRF_SECRET: env.SESSION_SECRET })).toEqual([
      "CSRF_SECRET must differ from SESSION_SECRET.",
    ]);
  });
});

describe("productionProblems: the agency certificate that signs result PDFs (issue 14)", () => {
  it("requires a configured certificate: no demo CA in production", () => {
    const { RESULT_CERT_KEY: _k, RESULT_CERT_CHAIN: _c, ...rest } = goodProduction();
    const problems = productionProblems(rest);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/RESULT_CERT_P12.*RESULT_CERT_KEY and RESULT_CERT_CHAIN, is not set/);
  });
  it("accepts a PKCS#12 file with its password instead of PEM files", () => {
    const { RESULT_CERT_KEY: _k, RESULT_CERT_CHAIN: _c, ...rest } = goodProduction();
    expect(
      productionProblems({ ...rest, RESULT_CERT_P12: agencyCert.p12, RESULT_CERT_P12_PASSWORD: "p12-password" }),
    ).toEqual([]);
    const wrong = productionProblems({ ...rest, RESULT_CERT_P12: agencyCert.p12, RESULT_CERT_P12_PASSWORD: "wrong" });
    expect(wrong).toHaveLength(1);
    expect(wrong[0]).toMatch(/RESULT_CERT_P12 cannot be opened/);
  });
  it("refuses a key that does not match the certificate, a missing trust anchor, and a chain to another root", () => {
    expect(productionProblems({ ...goodProduction(), RESULT_CERT_KEY: agencyCert.otherKey })).toEqual([
      "The agency certificate does not match its private key.",
    ]);
    const { RESULT_TRUST_ANCHOR: _a, ...noAnchor } = goodProduction();
    expect(productionProblems(noAnchor)[0]).toMatch(/RESULT_TRUST_ANCHOR is not set/);
    const other = makeAgencyCertificate();
    expect(productionProblems({ ...goodProduction(), RESULT_TRUST_ANCHOR: other.anchor })).toEqual([
      "The agency certificate chain does not lead to RESULT_TRUST_ANCHOR.",
    ]);
  });
  it("refuses an expired agency certificate", () => {
    const expired = makeAgencyCertificate({ validDays: -0.5 });
    const problems = productionProblems({
      ...goodProduction(),
      RESULT_CERT_KEY: expired.key,
      RESULT_CERT_CHAIN: expired.chain,
      RESULT_TRUST_ANCHOR: expired.anchor,
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/not valid today/);
  });
});
