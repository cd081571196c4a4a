// node end2end/verifier/cli.mjs credential.json --base-url http://127.0.0.1:3100
// Prints { verified, revoked, errors }; exit status 0 when verified.
import { readFileSync } from "node:fs";
import { verifyCredential } from "./verify.mjs";

const [file, flag, baseUrl] = process.argv.slice(2);
if (!file || flag !== "--base-url" || !baseUrl) {
  console.error("usage: node cli.mjs credential.json --base-url http://127.0.0.1:3100");
  process.exit(2);
}
const outcome = await verifyCredential(JSON.parse(readFileSync(file, "utf8")), { baseUrl });
console.log(JSON.stringify(outcome, null, 2));
process.exit(outcome.verified ? 0 : 1);
