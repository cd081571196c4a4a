// The second, independent verifier: the Digital Credentials Consortium's
// `@digitalcredentials/verifier-core` (the library behind the Learner Credential Wallet and
// VerifierPlus), with its own document loader, did:web resolver and status list checker.
//
// It has no loader or fetch option: everything it fetches goes through `globalThis.fetch`. To
// keep the tests off the public network, `guardFetch(baseUrl)` wraps it before the library is
// loaded: did:web documents, which it always asks for over https, are fetched from the server
// under test over plain HTTP; the server's own URLs pass; anything else (the Open Badges JSON
// schema it tries to fetch, issuer registries) is refused, and the library reports that as
// "additional information", not as a failed check. One exception: its document loader bundles
// no CLR 2.0 context and fetches it from 1EdTech's site, so that URL is answered with the
// published file we bundle (app/src/credentials/contexts/README.md), as the site would.
//
//   import { verifyWithDcc } from "../verifier/dcc.mjs";
//   const { verified, revoked, log, errors } = await verifyWithDcc(credential, { baseUrl });

import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let guardedFor = null;

const CONTEXTS_SERVED = {
  "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json": "clr-v2p0-context-2.0.1.json",
};
const contextDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "app", "src", "credentials", "contexts");

function guardFetch(baseUrl) {
  const { origin, host } = new URL(baseUrl);
  if (guardedFor === origin) return;
  if (guardedFor) throw new Error(`the fetch guard is set for ${guardedFor}, not ${origin}`);
  guardedFor = origin;
  const realFetch = globalThis.fetch;
  globalThis.fetch = async (input, init) => {
    let url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const served = CONTEXTS_SERVED[url];
    if (served) {
      return new Response(readFileSync(join(contextDir, served)), {
        status: 200,
        headers: { "content-type": "application/ld+json" },
      });
    }
    if (url.startsWith(`https://${host}/`)) url = `http://${host}/${url.slice(`https://${host}/`.length)}`;
    if (!url.startsWith(`${origin}/`)) throw new TypeError(`offline: refusing to fetch ${url}`);
    return realFetch(input instanceof Request ? new Request(url, input) : url, init);
  };
}

/**
 * Verifies with verifier-core (no issuer registries: our test issuer is in none). `verified`:
 * the signature is valid, the credential current and not revoked.
 */
export async function verifyWithDcc(credential, { baseUrl }) {
  guardFetch(baseUrl);
  const { verifyCredential } = await import("@digitalcredentials/verifier-core");
  const result = await verifyCredential({ credential, knownDIDRegistries: [] });
  const log = Object.fromEntries((result.log ?? []).map((entry) => [entry.id, entry]));
  const errors = (result.errors ?? []).map((e) => `${e.name}: ${e.message}`);
  const revoked = log.revocation_status?.valid === false;
  const verified =
    errors.length === 0 &&
    log.valid_signature?.valid === true &&
    log.expiration?.valid !== false &&
    !revoked &&
    !log.revocation_status?.error;
  return { verified, revoked, log, errors };
}
