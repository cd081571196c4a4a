import { readFileSync } from "node:fs";
import { expect } from "@playwright/test";
import { activate, DEMO, hydrated, mailTo, open, signIn, signOut, test, typeInto } from "./helpers";

test("a coordinator invites, a teacher signs up through the link, signs out and in — keyboard only", async ({ page }, testInfo) => {
  // About 20 s alone: three people, every field reached with the Tab key.
  test.setTimeout(60_000);
  const unique = `${testInfo.project.name}-${Date.now()}`;
  const teacher = { name: `Nadia ${unique}`, email: `nadia-${unique}@school.test`, password: "river lantern pebble" };

  // The coordinator creates an invitation for teachers in the demo cohort.
  await signIn(page, testInfo, DEMO.coordinator.email, DEMO.coordinator.password, "/sign-in", { keyboard: true });
  await activate(page, page.getByRole("link", { name: "Cohorts" }));
  await expect(page.getByRole("heading", { level: 1, name: "Cohorts" })).toBeVisible();
  await activate(page, page.getByRole("link", { name: "Demo cohort" }));
  await expect(page.getByRole("heading", { level: 1, name: "Demo cohort" })).toBeVisible();
  if (hydrated(testInfo)) await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  const before = await page.getByRole("textbox", { name: "Teacher invitation link" }).count();
  await activate(page, page.getByRole("button", { name: "Create invitation" }));
  await expect(page.getByRole("textbox", { name: "Teacher invitation link" })).toHaveCount(before + 1);
  const link = await page.getByRole("textbox", { name: "Teacher invitation link" }).first().inputValue();
  expect(link).toMatch(/\/join\/[A-Za-z0-9_-]{20,}$/);
  await signOut(page, testInfo);

  // The teacher opens the link and asks to join; a mistyped address is refused beside the field.
  await open(page, testInfo, new URL(link).pathname);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Join Demo cohort as a teacher");
  await typeInto(page, "Your name", teacher.name);
  await typeInto(page, "Email", teacher.email.replace(/\.test$/, ""));
  await page.keyboard.press("Enter");
  await expect(page.getByText("is not a complete address")).toBeVisible();
  // The form keeps what was typed, with JavaScript and without (issue 15).
  await expect(page.getByLabel("Your name", { exact: true })).toHaveValue(teacher.name);
  await expect(page.getByLabel("Email", { exact: true })).toHaveValue(teacher.email.replace(/\.test$/, ""));
  await page.getByLabel("Email", { exact: true }).fill("");
  await typeInto(page, "Email", teacher.email);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: "Check your e-mail" })).toBeVisible();

  // The e-mail, through a real SMTP server, carries the link to choose a password.
  const mail = await mailTo(teacher.email);
  const finish = mail.match(/https?:\/\/\S+\/sign-up\/[A-Za-z0-9_-]{20,}/)?.[0];
  expect(finish, mail).toBeTruthy();
  await open(page, testInfo, new URL(finish ?? "").pathname);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Join Demo cohort as a teacher");
  await expect(page.getByText(`For ${teacher.name} (${teacher.email}).`)).toBeVisible();
  await typeInto(page, "Password", "short");
  await typeInto(page, "Password again", "short");
  await page.keyboard.press("Enter");
  // A refused password says why, beside the field.
  await expect(page.getByText("must be at least 12 characters")).toBeVisible();
  if (hydrated(testInfo)) {
    await page.getByLabel("Password", { exact: true }).fill("");
    await page.getByLabel("Password again", { exact: true }).fill("");
  }
  await typeInto(page, "Password", teacher.password);
  await typeInto(page, "Password again", teacher.password);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("button", { name: `Sign out (${teacher.name})` })).toBeVisible();

  // A new teacher lands on the dashboard, invited (not forced) to rate a starting point.
  await expect(page).toHaveURL(/\/dashboard\?welcome=1$/);
  await expect(page.getByRole("heading", { name: "Welcome! Where are you starting from?" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Rate my starting point" })).toHaveAttribute("href", /checklist\?phase=baseline$/);
  if (hydrated(testInfo)) await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await activate(page, page.getByRole("link", { name: "Skip for now" }));
  await expect(page.getByRole("heading", { name: "Your starting point" })).toBeVisible();
  await expect(page.getByText("0 of 38 indicators rated so far.")).toBeVisible();

  // Out, and back in.
  if (hydrated(testInfo)) await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await signOut(page, testInfo);
  await signIn(page, testInfo, teacher.email, teacher.password, "/sign-in?next=/profile", { keyboard: true });
  await expect(page).toHaveURL(/\/profile$/);
  await expect(page.getByRole("heading", { level: 1, name: "Your profile" })).toBeVisible();
  await expect(page.getByText("Teacher in Demo cohort")).toBeVisible();
});

test("a wrong password is refused with a message, and a private page asks to sign in first", async ({ page }, testInfo) => {
  await open(page, testInfo, "/profile");
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fprofile$/);
  await typeInto(page, "Email", DEMO.teacher.email);
  await typeInto(page, "Password", "not the right one");
  await page.keyboard.press("Enter");
  await expect(page.getByText("that email and password do not match an active account")).toBeVisible();
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
});

test("a teacher on a coordinator page gets a polite 403", async ({ page }, testInfo) => {
  await signIn(page, testInfo, DEMO.teacher.email, DEMO.teacher.password);
  const response = await page.goto("/coordinator");
  expect(response?.status()).toBe(403);
  await expect(page.getByRole("heading", { level: 1, name: "No access" })).toBeVisible();
});

test("each person lands where their work is after signing in (issue 15)", async ({ browser }, testInfo) => {
  const js = hydrated(testInfo);
  const cases: [{ email: string; password: string }, RegExp, string][] = [
    [DEMO.teacher, /\/dashboard$/, "Your dashboard"],
    [DEMO.assessor, /\/assess$/, "Assessment queue"],
    [DEMO.coordinator, /\/coordinator$/, "Cohorts"],
  ];
  for (const [who, url, heading] of cases) {
    const context = await browser.newContext({ javaScriptEnabled: js });
    const page = await context.newPage();
    await signIn(page, testInfo, who.email, who.password);
    await expect(page).toHaveURL(url);
    await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
    if (who !== DEMO.teacher) {
      // Not a teacher: the dashboard points to their work, without a baseline to rate.
      await open(page, testInfo, "/dashboard");
      await expect(page.getByText("You are not a teacher in a cohort")).toBeVisible();
      await expect(page.getByText("Rate my starting point")).toHaveCount(0);
    }
    await context.close();
  }
});

test("a coordinator downloads the roster and the audit trail as CSV files (issue 17)", async ({ page }, testInfo) => {
  await signIn(page, testInfo, DEMO.coordinator.email, DEMO.coordinator.password);
  await open(page, testInfo, "/coordinator");
  await page.getByRole("link", { name: "Demo cohort", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Demo cohort" })).toBeVisible();
  const csv = async (click: () => Promise<void>) => {
    const [download] = await Promise.all([page.waitForEvent("download"), click()]);
    const path = await download.path();
    return { name: download.suggestedFilename(), text: readFileSync(path, "utf8") };
  };
  const roster = await csv(() => page.getByRole("link", { name: /^Download the roster/ }).click());
  expect(roster.name).toMatch(/^cohort-\d+-roster-\d{4}-\d{2}-\d{2}\.csv$/);
  const lines = roster.text.replace(/^\uFEFF/, "").trim().split("\r\n");
  expect(lines[0]).toBe(
    "name,email,status,joined (UTC),baseline indicators rated,current indicators rated,indicators,units done,units,journal entries,competencies submitted,competencies competent,competencies,badges held,last activity (UTC)",
  );
  expect(lines.some((l) => l.includes(DEMO.teacher.email))).toBe(true);

  // The evaluation page: the funnel as a chart and tables, narrowed by joining date.
  await page.getByRole("link", { name: "Evaluation of the cohort" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Evaluation: Demo cohort" })).toBeVisible();
  await expect(page.getByRole("table", { name: /^Per competency/ }).getByRole("row")).toHaveCount(8);
  await expect(page.getByText("All teachers of the cohort.")).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: "Attempts" })).toBeVisible();
  await expect(page.getByRole("table", { name: "Attempts needed to reach Competent" })).toBeVisible();
  await page.getByLabel("Joined from").fill("2099-01-01");
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page.getByText("Teachers who joined on or after 2099-01-01.")).toBeVisible();
  const overall = page.getByRole("table", { name: /^Overall/ });
  await expect(overall.getByRole("row", { name: /^Joined/ }).getByRole("cell").first()).toHaveText("0");
  // Growth, turnaround and assessors, each with its table and file.
  for (const heading of ["Growth per indicator", "Review turnaround", "Assessors"]) {
    await expect(page.getByRole("heading", { level: 2, name: heading })).toBeVisible();
  }
  await expect(page.getByRole("table", { name: /^Per indicator/ }).getByRole("row")).toHaveCount(39);
  await expect(page.getByRole("table", { name: "Decisions by business days from submission" })).toBeVisible();
  const growth = await csv(() => page.getByRole("link", { name: "Download growth per indicator (CSV)" }).click());
  expect(growth.name).toMatch(/^cohort-\d+-growth-\d{4}-\d{2}-\d{2}\.csv$/);
  expect(growth.text.replace(/^\uFEFF/, "").split("\r\n")[0]).toBe(
    "competency,indicator,baseline mean (1-4),baseline ratings,current mean (1-4),current ratings,assessed not evident,assessed partly evident,assessed evident,self-rating agrees,self-rating above,self-rating below",
  );
  // The institution's view of every cohort together.
  await open(page, testInfo, "/coordinator");
  await page.getByRole("link", { name: "Institution-wide evaluation" }).click();
  await expect(page.getByRole("heading", { level: 1, name: /^Evaluation: all cohorts of/ })).toBeVisible();
  await expect(page.getByText("Each cohort sets its own target")).toBeVisible();

  await open(page, testInfo, "/coordinator");
  const today = new Date().toISOString().slice(0, 10);
  await page.getByLabel("From").fill(today);
  await page.getByLabel("To (included)").fill(today);
  const audit = await csv(() => page.getByRole("button", { name: "Download the audit trail (CSV)" }).click());
  expect(audit.name).toBe(`audit-${today}-to-${today}.csv`);
  // The roster download a moment ago is in the trail.
  expect(audit.text).toContain(",export.roster,cohort:");
});

test("a new cohort opens at once; revoking an invitation asks first and says what it did (issue 15)", async ({ page }, testInfo) => {
  await signIn(page, testInfo, DEMO.coordinator.email, DEMO.coordinator.password);
  await open(page, testInfo, "/coordinator");
  const name = `Spring cohort ${testInfo.project.name} ${Date.now()}`;
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("First day").fill("2027-01-04");
  await page.getByLabel("Last day").fill("2027-06-30");
  await page.getByRole("button", { name: "Create cohort" }).click();
  // It opens the new cohort, where the next step is inviting people: no form left to send twice.
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await expect(page).toHaveURL(/\/coordinator\/cohorts\/\d+\?changed=created$/);
  await expect(page.getByRole("status").filter({ hasText: "Cohort created. Invite its members below." })).toBeVisible();
  await expect(page.getByRole("button", { name: "Create cohort" })).toHaveCount(0);
  if (hydrated(testInfo)) await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");

  await page.getByLabel("Role").selectOption({ label: "Assessor" });
  await page.getByRole("button", { name: "Create invitation" }).click();
  const field = page.getByRole("textbox", { name: /^Assessor invitation link ending/ });
  await expect(field).toHaveCount(1);
  const link = await field.inputValue();
  const tail = link.slice(-6);

  const row = page.getByRole("row").filter({ has: field });
  await expect(row.getByRole("button", { name: /^Revoke now/ })).toBeHidden();
  await row.getByText("Revoke…").click();
  await expect(row.getByText(/^Revoke this Assessor invitation\? Its link stops working at once/)).toBeVisible();
  await row.getByRole("button", { name: `Revoke now the Assessor invitation ending “…${tail}”` }).click();
  await expect(page.getByRole("status").filter({ hasText: "Invitation revoked: its link no longer works." })).toBeVisible();
  await expect(page.getByRole("row").filter({ hasText: "Revoked" })).toHaveCount(1);

  // The link no longer lets anyone in.
  await page.goto(new URL(link).pathname);
  await expect(page.getByRole("heading", { level: 1, name: "This invitation cannot be used" })).toBeVisible();
  await expect(page.getByText("This invitation was withdrawn by your coordinator.")).toBeVisible();
});

test("a coordinator e-mails invitations to a pasted list; an invited teacher joins from the e-mail (issue 17)", async ({ page }, testInfo) => {
  test.setTimeout(60_000);
  const unique = `${testInfo.project.name}-${Date.now()}`;
  const invited = `ines-${unique}@school.test`;
  await signIn(page, testInfo, DEMO.coordinator.email, DEMO.coordinator.password);
  await open(page, testInfo, "/coordinator");
  await page.getByRole("link", { name: "Demo cohort", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Demo cohort" })).toBeVisible();
  if (hydrated(testInfo)) await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  // A slip in the list is named, and nothing is sent.
  await page.getByLabel("Addresses").fill(`${invited}, not-an-address`);
  await page.getByRole("button", { name: "E-mail the invitations" }).click();
  const emailForm = page.locator("form", { has: page.getByLabel("Addresses") });
  await expect(emailForm.getByText("“not-an-address”")).toBeVisible();
  await page.getByLabel("Addresses").fill(`Ines <${invited}>\nother-${unique}@school.test`);
  await page.getByRole("button", { name: "E-mail the invitations" }).click();
  await expect(page.getByText("2 invitations e-mailed.")).toBeVisible();
  await expect(page.getByText(`for ${invited}`)).toBeVisible();
  await signOut(page, testInfo);

  // The e-mail, through a real SMTP server, carries a link of her own: one page to join.
  const mail = await mailTo(invited);
  expect(mail).toContain("invites you to join Demo cohort as a teacher");
  const link = mail.match(/https?:\/\/\S+\/sign-up\/[A-Za-z0-9_-]{20,}/)?.[0];
  expect(link, mail).toBeTruthy();
  await open(page, testInfo, new URL(link ?? "").pathname);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Join Demo cohort as a teacher");
  await expect(page.getByText(`For ${invited}.`)).toBeVisible();
  await page.getByLabel("Your name", { exact: true }).fill(`Ines ${unique}`);
  await page.getByLabel("Password", { exact: true }).fill("harbour violet candle");
  await page.getByLabel("Password again", { exact: true }).fill("harbour violet candle");
  await page.getByRole("button", { name: "Create account and join" }).click();
  await expect(page.getByRole("button", { name: `Sign out (Ines ${unique})` })).toBeVisible();
});

test("a forgotten password: the link arrives by e-mail, and the page says the same for any address (issue 17)", async ({ page }, testInfo) => {
  await open(page, testInfo, "/sign-in");
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Forgot your password" })).toBeVisible();
  await page.getByLabel("Email", { exact: true }).fill(DEMO.assessor.email);
  await page.getByRole("button", { name: "E-mail me a link" }).click();
  await expect(page.getByText("If that address has an account, a link to set a new password is on its way.")).toBeVisible();
  const mail = await mailTo(DEMO.assessor.email, /\/reset\//);
  const link = mail.match(/https?:\/\/\S+\/reset\/[A-Za-z0-9_-]{20,}/)?.[0];
  expect(link, mail).toBeTruthy();
  // The link opens the page to choose one (not used here: the demo account keeps its password).
  await open(page, testInfo, new URL(link ?? "").pathname);
  await expect(page.getByRole("heading", { level: 1, name: "Choose a new password" })).toBeVisible();
});
