import { expect } from "@playwright/test";
import { composeAndSubmit, DEMO, hydrated, open, review, signIn, test } from "./helpers";

/** Another holder's DID, for a copy re-bound after signing (changing a character of the real
 * one could leave it unchanged: a DID may already end in the character put in). */
const OTHER_DID = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK";

/**
 * The last competency of a domain judged Competent → the badge appears for the teacher → its
 * public page says valid, and so does Digital Bazaar's verifier → a coordinator revokes it →
 * the page and the third-party verifier say revoked. Each project completes its own
 * one-competency domain, so the two runs do not meet.
 */
test("a completed domain earns a badge that anyone can verify, until a coordinator revokes it", async ({ browser, playwright }, testInfo) => {
  test.setTimeout(180_000);
  const js = hydrated(testInfo);
  const [competency, title, badge] = js
    ? ["specialized-development-of-self", "Specialized development of self", "Professional Identity: Mentoring Micro-credential"]
    : ["effective-dispositions", "Development of effective dispositions", "Professional Dispositions: Mentoring Micro-credential"];
  const baseURL = testInfo.project.use.baseURL ?? "";
  const teacherContext = await browser.newContext({ javaScriptEnabled: js });
  const assessorContext = await browser.newContext({ javaScriptEnabled: js });
  const teacher = await teacherContext.newPage();
  const assessor = await assessorContext.newPage();

  // The teacher submits the domain's only competency; the assessor judges it Competent.
  await signIn(teacher, testInfo, DEMO.teacher.email, DEMO.teacher.password);
  await open(teacher, testInfo, `/frameworks/mcf/competencies/${competency}/evidence`);
  await composeAndSubmit(teacher, "Across this term with my mentee I");
  await signIn(assessor, testInfo, DEMO.assessor.email, DEMO.assessor.password);
  await review(assessor, testInfo, new RegExp(`^${title} Tomas Teacher`), 2, true);

  // The dashboard, then the evidence page, lead to this very badge (issue 15).
  await open(teacher, testInfo, "/dashboard");
  const fromDashboard = teacher.locator(".callout--decision li").filter({ hasText: `${title}: Competent.` }).getByRole("link", { name: "See your new badge" });
  await expect(fromDashboard).toHaveAttribute("href", /^\/credentials\/[0-9a-f]{32}$/);
  const badgeHref = await fromDashboard.getAttribute("href");
  await open(teacher, testInfo, `/frameworks/mcf/competencies/${competency}/evidence`);
  await expect(teacher.getByRole("link", { name: "See your new badge" })).toHaveAttribute("href", badgeHref ?? "");

  // The badge appears for the teacher, with its downloads and LinkedIn link.
  await open(teacher, testInfo, "/credentials");
  const card = teacher.locator(".credential-card").filter({ hasText: badge });
  await expect(card).toBeVisible();
  const publicId = await card.getAttribute("data-credential");
  expect(publicId).toMatch(/^[0-9a-f]{32}$/);
  expect(badgeHref).toBe(`/credentials/${publicId}`);
  await expect(card.getByRole("link", { name: "Add to LinkedIn" })).toHaveAttribute("href", /^https:\/\/www\.linkedin\.com\/profile\/add\?startTask=CERTIFICATION_NAME&name=/);
  await card.getByRole("link", { name: badge, exact: true }).click();
  await expect(teacher).toHaveURL(new RegExp(`/credentials/${publicId}$`));
  await expect(teacher.locator("[data-verdict]").first()).toHaveAttribute("data-verdict", "valid");
  await expect(teacher.getByRole("heading", { level: 1, name: badge })).toBeVisible();
  await expect(teacher.getByRole("cell", { name: "Evident" }).first()).toBeVisible();

  // The teacher adds it to a wallet (issue 16): the offer's page shows a QR code and the
  // Learner Credential Wallet's link; a wallet made of third-party libraries follows the link's
  // VC-API exchange, proves its did:key (signing as LCW does, Ed25519Signature2020, in one
  // project; eddsa-rdfc-2022 in the other) and receives a copy bound to it.
  await teacher.getByRole("button", { name: "Add to a wallet" }).click();
  await expect(teacher).toHaveURL(new RegExp(`/credentials/${publicId}/wallet$`));
  await expect(teacher.getByRole("heading", { level: 1, name: `Add “${badge}” to a wallet` })).toBeVisible();
  await expect(teacher.getByRole("img", { name: "QR code of the wallet link" })).toBeVisible();
  await expect(teacher.getByText(/^Open until \d\d:\d\d UTC, for one wallet\.$/)).toBeVisible();
  const deepLink = await teacher.getByRole("link", { name: "Open the offer in the Learner Credential Wallet" }).getAttribute("href");
  expect(deepLink).toMatch(/^https:\/\/lcw\.app\/request\?request=/);
  const { makeHolder, exchangeFromDeepLink, claim } = await import("../wallet/wallet.mjs");
  const holder = await makeHolder();
  const exchangeUrl = exchangeFromDeepLink(deepLink ?? "");
  expect(exchangeUrl.startsWith(`${baseURL}/exchanges/`)).toBe(true);
  const copies = await claim({ exchangeUrl, holder, suite: js ? "2020" : "rdfc", baseUrl: baseURL });
  expect(copies).toHaveLength(1);
  const copy = copies[0];
  expect(copy.credentialSubject.id).toBe(holder.did);
  // The exchange served one wallet: a second one is refused.
  await expect(claim({ exchangeUrl, holder: await makeHolder(), baseUrl: baseURL })).rejects.toThrow(/HTTP 409/);
  await open(teacher, testInfo, `/credentials/${publicId}/wallet`);
  await expect(teacher.getByText(holder.did)).toBeVisible();
  await expect(teacher.getByRole("img", { name: "QR code of the wallet link" })).toHaveCount(0);

  // A second wallet, of the OpenID family (OID4VCI, pre-authorised code with a PIN): Sphereon's
  // client follows the offer's link, types the PIN the page shows and proves its did:key.
  await teacher.getByRole("button", { name: "Add to another wallet" }).click();
  await expect(teacher.getByRole("img", { name: "QR code of the OpenID credential offer" })).toBeVisible();
  const offer = await teacher.getByRole("link", { name: "Open the offer in an OpenID wallet on this device" }).getAttribute("href");
  expect(offer).toMatch(/^openid-credential-offer:\/\/\?credential_offer=/);
  const pin = (await teacher.locator("[data-tx-code]").textContent())?.trim() ?? "";
  expect(pin).toMatch(/^\d{6}$/);
  const { claimWithOid4vci } = await import("../wallet/oid4vci.mjs");
  const openid = await claimWithOid4vci({ offer, pin });
  expect(openid.credentials).toHaveLength(1);
  const openidCopy = openid.credentials[0];
  expect(openidCopy.credentialSubject.id).toBe(openid.holder.did);
  await open(teacher, testInfo, `/credentials/${publicId}/wallet`);
  await expect(teacher.getByText(openid.holder.did)).toBeVisible();
  await open(teacher, testInfo, `/credentials/${publicId}`);

  // Anyone, without an account: the public page, and Digital Bazaar's verifier.
  const visitorContext = await browser.newContext({ javaScriptEnabled: js });
  const visitor = await visitorContext.newPage();
  await open(visitor, testInfo, `/credentials/${publicId}`);
  await expect(visitor.locator("[data-verdict]").first()).toHaveAttribute("data-verdict", "valid");
  await expect(visitor.getByText("Tomas Teacher")).toHaveCount(0);
  // Loaded at run time: Playwright compiles specs to CommonJS, the verifier's libraries are ES modules.
  const { verifyCredential } = await import("../verifier/verify.mjs");
  const api = await playwright.request.newContext({ baseURL });
  const credential = await (await api.get(`/credentials/${publicId}/credential.json`)).json();
  let outcome = await verifyCredential(credential, { baseUrl: baseURL });
  expect(outcome.errors).toEqual([]);
  expect(outcome.verified).toBe(true);
  expect(outcome.revoked).toBe(false);
  // The wallet's copy, and the original, in both third-party verifiers: Digital Bazaar's and
  // the Digital Credentials Consortium's verifier-core.
  const { verifyWithDcc } = await import("../verifier/dcc.mjs");
  for (const doc of [copy, openidCopy]) {
    outcome = await verifyCredential(doc, { baseUrl: baseURL });
    expect(outcome.errors).toEqual([]);
    expect(outcome.verified).toBe(true);
  }
  for (const doc of [credential, copy, openidCopy]) {
    const dcc = await verifyWithDcc(doc, { baseUrl: baseURL });
    expect(dcc.errors).toEqual([]);
    expect(dcc.log.valid_signature?.valid).toBe(true);
    expect(dcc.log.revocation_status?.valid).toBe(true);
    expect(dcc.verified).toBe(true);
  }
  const tampered = structuredClone(credential);
  tampered.credentialSubject.achievement.name = "Master Mentor";
  const refused = await verifyCredential(tampered, { baseUrl: baseURL });
  expect(refused.verified).toBe(false);
  for (const doc of [tampered, { ...copy, credentialSubject: { ...copy.credentialSubject, id: OTHER_DID } }]) {
    expect((await verifyWithDcc(doc, { baseUrl: baseURL })).verified).toBe(false);
  }

  // The Learning Statement signed as a CLR 2.0 record (issue 16): it embeds the badge, and
  // it and every badge inside pass both verifiers. In one project only: both share the demo
  // teacher, and signing again replaces the record.
  let record: { credentialSubject: { verifiableCredential: { id: string; credentialSubject: { achievement: { name: string } } }[] } } | null = null;
  if (js) {
    await open(teacher, testInfo, "/learning-statement");
    await teacher.getByRole("button", { name: /^Sign (my statement|again with my saved statement)$/ }).click();
    await expect(teacher.getByRole("status").filter({ hasText: "Signed: your record is ready to share." })).toBeVisible();
    const recordHref = await teacher.locator('[data-record-state="live"]').getByRole("link", { name: "Its verification page" }).getAttribute("href");
    expect(recordHref).toMatch(/^\/credentials\/[0-9a-f]{32}$/);
    record = await (await api.get(`${recordHref}/credential.json`)).json();
    const inside = record?.credentialSubject.verifiableCredential ?? [];
    expect(inside.map((c) => c.id)).toContain(credential.id);
    for (const doc of [record, ...inside]) {
      outcome = await verifyCredential(doc, { baseUrl: baseURL });
      expect(outcome.errors).toEqual([]);
      expect(outcome.verified).toBe(true);
      const dcc = await verifyWithDcc(doc, { baseUrl: baseURL });
      expect(dcc.errors).toEqual([]);
      expect(dcc.log.valid_signature?.valid).toBe(true);
      expect(dcc.verified).toBe(true);
    }
    const changed = structuredClone(record);
    if (changed) changed.credentialSubject.verifiableCredential[0].credentialSubject.achievement.name = "Master Mentor";
    expect((await verifyCredential(changed, { baseUrl: baseURL })).verified).toBe(false);
    expect((await verifyWithDcc(changed, { baseUrl: baseURL })).verified).toBe(false);
    // Its page, like a badge's: valid, and each badge inside checked on its own.
    await open(visitor, testInfo, recordHref ?? "");
    await expect(visitor.locator("[data-verdict]").first()).toHaveAttribute("data-verdict", "valid");
    await expect(visitor.locator('[data-contained="valid"]').filter({ hasText: badge })).toBeVisible();
  }

  // The baked PNG, checked on the verify page, leads back to the credential.
  const png = await (await api.get(`/credentials/${publicId}/badge.png`)).body();
  await open(visitor, testInfo, "/verify");
  await visitor.getByLabel("Badge image or credential file").setInputFiles({ name: "badge.png", mimeType: "image/png", buffer: png });
  await visitor.getByRole("button", { name: "Check" }).click();
  await expect(visitor).toHaveURL(new RegExp(`/credentials/${publicId}\\?checked=1$`));
  await expect(visitor.getByText("The file you checked carries this credential")).toBeVisible();

  // A coordinator revokes it, with a reason.
  const coordinatorContext = await browser.newContext({ javaScriptEnabled: js });
  const coordinator = await coordinatorContext.newPage();
  await signIn(coordinator, testInfo, DEMO.coordinator.email, DEMO.coordinator.password);
  await open(coordinator, testInfo, "/coordinator");
  await coordinator.getByRole("link", { name: "Demo cohort" }).click();
  const row = coordinator.locator(`tr[data-credential="${publicId}"]`);
  await expect(row).toBeVisible();
  if (js) await expect(coordinator.locator("body")).toHaveAttribute("data-hydrated", "true");
  // It asks first, naming the teacher and the badge, and says it is public at once (issue 15).
  await expect(row.getByLabel("Reason for revoking")).toBeHidden();
  await row.getByText("Revoke…").click();
  await expect(row.getByText(new RegExp(`^Revoke “${badge}” of Tomas Teacher\\? From that moment its public page and every verifier say it is revoked`))).toBeVisible();
  await row.getByLabel("Reason for revoking").fill("Awarded in error: evidence was from another teacher");
  await row.getByRole("button", { name: new RegExp(`^Revoke now ${badge} of Tomas Teacher$`) }).click();
  await expect(coordinator.getByRole("status").filter({ hasText: "Credential revoked." })).toBeVisible();
  await expect(coordinator.locator(`tr[data-credential="${publicId}"]`)).toContainText("Revoked");

  // The page and the third-party verifier now say revoked.
  await open(visitor, testInfo, `/credentials/${publicId}`);
  await expect(visitor.locator("[data-verdict]").first()).toHaveAttribute("data-verdict", "revoked");
  await expect(visitor.getByText("Awarded in error: evidence was from another teacher")).toBeVisible();
  // Both verifiers see the original and the wallets' copies revoked (one status list entry).
  for (const doc of [credential, copy, openidCopy]) {
    outcome = await verifyCredential(doc, { baseUrl: baseURL });
    expect(outcome.revoked).toBe(true);
    expect(outcome.verified).toBe(false);
    const dcc = await verifyWithDcc(doc, { baseUrl: baseURL });
    expect(dcc.revoked).toBe(true);
    expect(dcc.verified).toBe(false);
  }
  // The record that embeds it is revoked with it, in both verifiers too.
  if (record) {
    outcome = await verifyCredential(record, { baseUrl: baseURL });
    expect(outcome.revoked).toBe(true);
    const dcc = await verifyWithDcc(record, { baseUrl: baseURL });
    expect(dcc.revoked).toBe(true);
    expect(dcc.verified).toBe(false);
  }
  // And a revoked credential is no longer offered to wallets.
  await open(teacher, testInfo, `/credentials/${publicId}`);
  await expect(teacher.getByRole("button", { name: "Add to a wallet" })).toHaveCount(0);

  // The teacher is told, and is no longer offered to add it to a profile (issue 15).
  await open(teacher, testInfo, "/credentials");
  const revoked = teacher.locator(".credential-card").filter({ hasText: badge });
  await expect(revoked.getByText(/^Revoked on /)).toBeVisible();
  await expect(revoked.getByRole("link", { name: /^Add to LinkedIn/ })).toHaveCount(0);
  await open(teacher, testInfo, `/credentials/${publicId}`);
  await expect(teacher.getByRole("link", { name: /^Add to LinkedIn/ })).toHaveCount(0);

  await api.dispose();
  for (const c of [teacherContext, assessorContext, visitorContext, coordinatorContext]) await c.close();
});

test("the verify page refuses a file that carries no credential, and says why", async ({ page }, testInfo) => {
  await open(page, testInfo, "/verify");
  await page.getByLabel("Or paste the credential (JSON)").fill('{"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"]}');
  await page.getByRole("button", { name: "Check" }).click();
  await expect(page.locator("[data-verdict]")).toHaveAttribute("data-verdict", "invalid");
  await expect(page.getByText("this is not an Open Badges 3.0 credential")).toBeVisible();
});


test("the teacher writes a Learning Statement and chooses what it shows", async ({ page }, testInfo) => {
  await signIn(page, testInfo, DEMO.teacher.email, DEMO.teacher.password);
  await open(page, testInfo, "/learning-statement");
  await expect(page.getByRole("heading", { level: 1, name: "Your Learning Statement" })).toBeVisible();
  // The public parts are included (that only they start so is checked in server/tests, since
  // both projects share the demo teacher here).
  await expect(page.getByLabel("Include “The programme”")).toBeChecked();
  await expect(page.getByLabel("Include “Credentials”")).toBeChecked();
  // Both projects write the same text: they share the demo teacher and run at the same time.
  const objectives = "To ask my mentee more questions than I answer.";
  await page.getByRole("textbox", { name: "My objectives", exact: true }).fill(objectives);
  await page.getByRole("textbox", { name: "What I now feel able to do", exact: true }).fill("A private note I keep out.");
  if (hydrated(testInfo)) {
    // Writing in a part ticks its box (issue 15); the teacher can untick it, and it stays so.
    await expect(page.getByLabel("Include “What I now feel able to do”")).toBeChecked();
    await page.getByLabel("Include “What I now feel able to do”").uncheck();
    await page.getByRole("textbox", { name: "What I now feel able to do", exact: true }).pressSequentially(" More.");
    await expect(page.getByLabel("Include “What I now feel able to do”")).not.toBeChecked();
  }
  await page.getByLabel("Include “My objectives”").check();
  await page.getByLabel("Include “My growth”").check();
  await page.getByRole("button", { name: "Save statement" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved" })).toBeVisible();

  await open(page, testInfo, "/learning-statement/print");
  await expect(page.getByRole("heading", { level: 1, name: /^Learning Statement — / })).toBeVisible();
  await expect(page.locator('[data-part="objectives"]')).toContainText(objectives);
  // It carries its date, and links only to pages anyone may open (issue 15).
  await expect(page.getByText(/^Dated \d{4}-\d{2}-\d{2}/)).toBeVisible();
  const hrefs = await page.locator(".statement-document a[href]:not(.no-print a)").evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).pathname));
  for (const href of hrefs) expect(href, "a link in the printable statement").toMatch(/^\/credentials\/[0-9a-f]{32}$/);
  await expect(page.locator('[data-part="growth"]')).toBeVisible();
  await expect(page.locator('[data-part="tasks"]')).toHaveCount(0);
  await expect(page.getByText("A private note I keep out.")).toHaveCount(0);

  const file = await page.request.get("/learning-statement.json");
  expect(file.status()).toBe(200);
  const json = await file.json();
  expect(json.type).toBe("LearningStatement");
  expect(Object.keys(json.parts).sort()).toEqual(["credentials", "growth", "objectives", "programme"]);
  expect(JSON.stringify(json)).not.toContain("A private note I keep out.");
});
