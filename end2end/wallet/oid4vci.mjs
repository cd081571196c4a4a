// A wallet of the OpenID for Verifiable Credential Issuance family, made of third-party code:
// Sphereon's `@sphereon/oid4vci-client` (pre-authorised code flow; it speaks draft 15 of the
// specification) resolves the offer link, reads our metadata, exchanges the code and the PIN for
// a token, and asks for the credential with a `jwt` key proof that this module signs with a
// did:key from Digital Bazaar's `@digitalbazaar/ed25519-multikey`.
//
//   import { claimWithOid4vci } from "../wallet/oid4vci.mjs";
//   const { holder, credentials } = await claimWithOid4vci({ offer, pin });
import * as Ed25519Multikey from "@digitalbazaar/ed25519-multikey";
import { OpenID4VCIClient } from "@sphereon/oid4vci-client";

/** A holder: an Ed25519 key, its did:key and `kid`, and a signer of compact JWS (EdDSA). */
export async function makeJwtHolder() {
  const keyPair = await Ed25519Multikey.generate();
  const did = `did:key:${keyPair.publicKeyMultibase}`;
  const kid = `${did}#${keyPair.publicKeyMultibase}`;
  keyPair.id = kid;
  keyPair.controller = did;
  const signer = keyPair.signer();
  const b64 = (value) => Buffer.from(JSON.stringify(value)).toString("base64url");
  // Sphereon's ProofOfPossessionCallbacks.signCallback: ({header, payload}, kid) => JWS.
  const signCallback = async ({ header, payload }) => {
    const input = `${b64({ ...header, alg: "EdDSA" })}.${b64(payload)}`;
    const signature = await signer.sign({ data: new TextEncoder().encode(input) });
    return `${input}.${Buffer.from(signature).toString("base64url")}`;
  };
  return { did, kid, signCallback };
}

/**
 * Claims the credential an `openid-credential-offer://` link offers, with the PIN shown to its
 * holder. Answers the holder and the credentials the issuer returned.
 */
export async function claimWithOid4vci({ offer, pin, holder }) {
  holder ??= await makeJwtHolder();
  const client = await OpenID4VCIClient.fromURI({
    uri: offer,
    kid: holder.kid,
    alg: "EdDSA",
    retrieveServerMetadata: true,
  });
  await client.acquireAccessToken({ pin });
  const response = await client.acquireCredentials({
    credentialTypes: ["VerifiableCredential", "OpenBadgeCredential"],
    format: "ldp_vc",
    kid: holder.kid,
    alg: "EdDSA",
    proofCallbacks: { signCallback: holder.signCallback },
  });
  const credentials = response.credentials?.map((c) => c.credential) ?? [response.credential].filter(Boolean);
  return { holder, credentials };
}
