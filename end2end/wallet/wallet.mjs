// A simulated wallet, made of third-party libraries only, that claims a badge through a VC-API
// exchange the way the Learner Credential Wallet does (its app/lib/exchanges.ts and
// composeVp.ts): it reads the exchange URL from the offer's deep link, POSTs `{}`, answers the
// DIDAuthentication request with a presentation signed by its did:key for the given challenge
// and domain (Ed25519Signature2020 by default, as LCW signs; eddsa-rdfc-2022 on request), and
// keeps the credentials the exchange returns.
//
//   import { makeHolder, exchangeFromDeepLink, claim } from "../wallet/wallet.mjs";
//   const holder = await makeHolder();
//   const [copy] = await claim({ exchangeUrl: exchangeFromDeepLink(href), holder, baseUrl });
import * as vc from "@digitalbazaar/vc";
import * as Ed25519Multikey from "@digitalbazaar/ed25519-multikey";
import { DataIntegrityProof } from "@digitalbazaar/data-integrity";
import { cryptosuite as eddsaRdfc2022 } from "@digitalbazaar/eddsa-rdfc-2022-cryptosuite";
import { Ed25519Signature2020 } from "@digitalbazaar/ed25519-signature-2020";
import { documentLoaderFor } from "../verifier/verify.mjs";

/** A holder: a fresh Ed25519 key and its did:key. */
export async function makeHolder() {
  const keyPair = await Ed25519Multikey.generate();
  const did = `did:key:${keyPair.publicKeyMultibase}`;
  keyPair.controller = did;
  keyPair.id = `${did}#${keyPair.publicKeyMultibase}`;
  return { did, keyPair };
}

/** The VC-API exchange URL in a Learner Credential Wallet deep link (`…/request?request=<JSON>`). */
export function exchangeFromDeepLink(link) {
  const request = JSON.parse(new URL(link).searchParams.get("request"));
  if (!request?.protocols?.vcapi) throw new Error(`no protocols.vcapi in ${link}`);
  return request.protocols.vcapi;
}

async function post(url, body) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** Signs a DID Authentication presentation for `request` (a VerifiablePresentationRequest). */
export async function didAuthentication({ holder, request, suite = "2020", baseUrl }) {
  if (!request?.challenge || !request?.domain) {
    // LCW refuses too: "Both challenge and domain are required for DID Auth".
    throw new Error("the request has no challenge or no domain");
  }
  const presentation = vc.createPresentation({ holder: holder.did });
  const signer = holder.keyPair.signer();
  return vc.signPresentation({
    presentation,
    suite:
      suite === "2020"
        ? new Ed25519Signature2020({ signer })
        : new DataIntegrityProof({ signer, cryptosuite: eddsaRdfc2022 }),
    challenge: request.challenge,
    domain: request.domain,
    documentLoader: documentLoaderFor(baseUrl),
  });
}

/**
 * Runs the exchange; answers the credentials it returned. Throws with the server's answer on
 * any refusal.
 */
export async function claim({ exchangeUrl, holder, suite = "2020", baseUrl }) {
  const first = await post(exchangeUrl, {});
  if (first.status !== 200) throw new Error(`POST {}: HTTP ${first.status} ${JSON.stringify(first.body)}`);
  const request = first.body.verifiablePresentationRequest;
  const query = [request.query].flat();
  if (!query.some((q) => q.type === "DIDAuthentication")) {
    throw new Error(`not a DIDAuthentication request: ${JSON.stringify(request)}`);
  }
  const verifiablePresentation = await didAuthentication({ holder, request, suite, baseUrl });
  const second = await post(exchangeUrl, { verifiablePresentation });
  if (second.status !== 200) {
    throw new Error(`POST presentation: HTTP ${second.status} ${JSON.stringify(second.body)}`);
  }
  return [second.body.verifiablePresentation?.verifiableCredential ?? []].flat();
}

export { post };
