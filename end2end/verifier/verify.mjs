// A third-party verifier for our Open Badges 3.0 credentials: Digital Bazaar's `@digitalbazaar/vc`
// with the `eddsa-rdfc-2022` Data Integrity cryptosuite and the Bitstring Status List checker.
// Nothing here comes from our code but the JSON-LD context files, which are the published
// contexts byte for byte (see app/src/credentials/contexts/README.md). The document loader
// never goes to the public network: contexts come from those files; our did:web document and
// status list are fetched from the server under test.
//
//   import { verifyCredential } from "../verifier/verify.mjs";
//   const { verified, revoked, errors } = await verifyCredential(credential, { baseUrl });
//
//   node end2end/verifier/cli.mjs credential.json --base-url http://127.0.0.1:3100
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as vc from "@digitalbazaar/vc";
import { DataIntegrityProof } from "@digitalbazaar/data-integrity";
import { cryptosuite as eddsaRdfc2022 } from "@digitalbazaar/eddsa-rdfc-2022-cryptosuite";
import { checkStatus } from "@digitalbazaar/vc-bitstring-status-list";

const here = dirname(fileURLToPath(import.meta.url));
const contextDir = join(here, "..", "..", "app", "src", "credentials", "contexts");

/** URL → file of every bundled context (as the README lists them). */
const CONTEXT_FILES = {
  "https://www.w3.org/ns/credentials/v2": "credentials-v2.jsonld",
  "https://www.w3.org/2018/credentials/v1": "credentials-v1.jsonld",
  "https://w3id.org/security/data-integrity/v2": "data-integrity-v2.jsonld",
  "https://www.w3.org/ns/did/v1": "did-v1.jsonld",
  "https://w3id.org/security/multikey/v1": "multikey-v1.jsonld",
  "https://w3id.org/security/suites/ed25519-2020/v1": "ed25519-signature-2020-v1.jsonld",
  "https://www.w3.org/ns/credentials/status/v1": "vc-bitstring-status-list-v1.jsonld",
  "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": "ob-v3p0-context-3.0.3.json",
  "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json": "ob-v3p0-context-3.0.2.json",
  "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json": "ob-v3p0-context-3.0.1.json",
  "https://purl.imsglobal.org/spec/ob/v3p0/context.json": "ob-v3p0-context.json",
  "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json": "ob-v3p0-extensions.json",
  "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json": "clr-v2p0-context-2.0.1.json",
};
const contexts = new Map(
  Object.entries(CONTEXT_FILES).map(([url, file]) => [url, JSON.parse(readFileSync(join(contextDir, file), "utf8"))]),
);

async function fetchJson(url) {
  const response = await fetch(url, { headers: { accept: "application/json" } });
  if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
  return response.json();
}

/**
 * A document loader for credentials issued by the server at `baseUrl`: bundled contexts, its
 * did:web document (over plain HTTP for a loopback host, as in tests) and its status lists.
 */
export function documentLoaderFor(baseUrl) {
  const origin = new URL(baseUrl).origin;
  const host = new URL(baseUrl).host;
  return async (url) => {
    const context = contexts.get(url);
    if (context) return { contextUrl: null, documentUrl: url, document: context };
    if (url.startsWith("did:web:")) {
      const [did, fragment] = url.split("#");
      const didHost = decodeURIComponent(did.slice("did:web:".length).split(":")[0]);
      if (didHost !== host) throw new Error(`refusing to resolve ${did}: only ${host} is reachable here`);
      const loopback = /^(127\.0\.0\.1|localhost)(:|$)/.test(didHost);
      const doc = await fetchJson(`${loopback ? "http" : "https"}://${didHost}/.well-known/did.json`);
      if (doc.id !== did) throw new Error(`the DID document at ${didHost} is for ${doc.id}, not ${did}`);
      if (!fragment) return { contextUrl: null, documentUrl: url, document: doc };
      const method = (doc.verificationMethod ?? []).find((m) => m.id === url);
      if (!method) throw new Error(`${url} is not in the DID document`);
      return {
        contextUrl: null,
        documentUrl: url,
        document: { "@context": "https://w3id.org/security/multikey/v1", ...method },
      };
    }
    if (url.startsWith(`${origin}/`)) {
      return { contextUrl: null, documentUrl: url, document: await fetchJson(url) };
    }
    throw new Error(`refusing to load ${url} (not bundled, not the server under test)`);
  };
}

function messages(error) {
  if (!error) return [];
  const nested = Array.isArray(error.errors) ? error.errors.flatMap(messages) : [];
  return [error.message ?? String(error), ...nested];
}

/**
 * Verifies a credential with Digital Bazaar's libraries. `verified` is true only when the proof
 * verifies, the credential is current and the status list does not mark it revoked.
 */
export async function verifyCredential(credential, { baseUrl }) {
  const documentLoader = documentLoaderFor(baseUrl);
  const suite = new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 });
  let result;
  try {
    result = await vc.verifyCredential({ credential, suite, documentLoader, checkStatus });
  } catch (error) {
    return { verified: false, revoked: false, errors: messages(error) };
  }
  const errors = [
    ...messages(result.error),
    ...(result.results ?? []).flatMap((r) => messages(r.error)),
    ...(result.statusResult?.error ? messages(result.statusResult.error) : []),
  ];
  const revoked = (result.statusResult?.results ?? []).some(
    (r) => r.credentialStatus?.statusPurpose === "revocation" && r.status === true,
  );
  return { verified: result.verified === true && !revoked, revoked, errors: [...new Set(errors)] };
}
