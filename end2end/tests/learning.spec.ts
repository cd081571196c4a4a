import { expect } from "@playwright/test";
import { DEMO, hydrated, open, signIn, test } from "./helpers";

test("a teacher rates an indicator on the checklist, and it is kept", async ({ page }, testInfo) => {
  await signIn(page, testInfo, DEMO.teacher.email, DEMO.teacher.password);
  await open(page, testInfo, "/frameworks/mcf/competencies/communication/checklist");
  await expect(page.getByRole("heading", { level: 1, name: "Indicator checklist" })).toBeVisible();
  // Each project rates its own indicator, so the two runs (in parallel) do not meet.
  const [slug, text] = hydrated(testInfo)
    ? ["active-listening", "Actively listening to each other during conversations"]
    : ["framing-questions", "Framing different types and levels of questions"];
  // The checklist names its competency and leads on to the next one (issue 15).
  await expect(page.getByRole("heading", { level: 1, name: "Indicator checklist: Communication" })).toBeVisible();
  await expect(page.getByRole("link", { name: /^Next: .+ →$/ })).toHaveAttribute("href", /\/checklist$/);
  const item = page.getByRole("group", { name: text });
  const counter = page.getByRole("status").filter({ hasText: /indicators rated/ });
  const before = Number((await counter.textContent())?.match(/^(\d+) of/)?.[1]);
  const wasRated = (await item.getByRole("radio", { checked: true }).count()) > 0;
  const level = hydrated(testInfo) ? "Developing" : "Emerging";
  await item.getByLabel(new RegExp(`^${level}`)).check();
  if (hydrated(testInfo)) {
    // With JavaScript the choice saves at once, and the count follows.
    await expect(page.locator(`#indicator-${slug}`).getByRole("status")).toHaveText(/Saved at \d\d:\d\d/);
    await expect(counter).toHaveText(new RegExp(`^${wasRated ? before : before + 1} of \\d+ indicators rated`));
  } else {
    await page.locator(`#indicator-${slug}`).getByRole("button", { name: "Save" }).click();
    await expect(page.locator(`#indicator-${slug}`).getByRole("status")).toHaveText("Saved");
    // The page comes back with the count too (issue 15).
    await expect(counter).toHaveText(new RegExp(`^${wasRated ? before : before + 1} of \\d+ indicators rated`));
  }
  await page.reload();
  await expect(
    page.getByRole("group", { name: text }).getByLabel(new RegExp(`^${level}`)),
  ).toBeChecked();
});

test("a unit can be read and marked done", async ({ page }, testInfo) => {
  const who = hydrated(testInfo) ? DEMO.assessor : DEMO.coordinator;
  await signIn(page, testInfo, who.email, who.password);
  await open(page, testInfo, "/frameworks/mcf/competencies/collaboration");
  await page.getByRole("link", { name: "The four stages of a mentoring relationship" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "The four stages of a mentoring relationship" })).toBeVisible();
  await expect(page.getByText(/Reading · \d+ min/)).toBeVisible();
  const mark = page.getByRole("button", { name: /^Mark as (not )?done/ });
  const before = await mark.textContent();
  await mark.click();
  const expected = before?.startsWith("Mark as done") ? "Mark as not done" : /^Mark as done/;
  await expect(page.getByRole("button", { name: expected })).toBeVisible();
});

test("a scenario asks for the teacher's own answer before it shows considerations", async ({ page }, testInfo) => {
  // Each project answers its own scenario, so the parallel runs do not meet.
  const unit = hydrated(testInfo) ? "the-camera-stays-off" : "a-secret-he-promised-to-keep";
  await signIn(page, testInfo, DEMO.teacher.email, DEMO.teacher.password);
  await open(page, testInfo, `/frameworks/mcf/units/${unit}`);
  await expect(page.getByRole("heading", { name: "Your answer first" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Considerations to compare with your answer" })).toHaveCount(0);
  const keep = page.getByRole("button", { name: "Keep my answer and show the considerations" });
  await keep.click();
  await expect(page.getByText("write your answer first")).toBeVisible();
  await page.getByLabel("Your answer", { exact: true }).fill("I would listen first, then ask what she needs from me.");
  await page.getByRole("button", { name: "Keep my answer and show the considerations" }).click();
  await expect(page.getByRole("heading", { name: "Considerations to compare with your answer" })).toBeVisible();
  // The teacher's own answer beside them (issue 15).
  const mine = page.locator(".considerations__mine");
  await expect(mine.getByRole("heading", { name: "Your answer" })).toBeVisible();
  await expect(mine.getByText("I would listen first, then ask what she needs from me.")).toBeVisible();
  await page.getByRole("link", { name: "Open it to compare and add to it" }).click();
  await expect(page.getByLabel("Your reflection")).toHaveValue("I would listen first, then ask what she needs from me.");
});

test("the dashboard shows progress per domain, a next step and the growth chart with its table", async ({ page }, testInfo) => {
  await signIn(page, testInfo, DEMO.teacher.email, DEMO.teacher.password);
  await open(page, testInfo, "/dashboard");
  await expect(page.getByRole("heading", { level: 1, name: "Your dashboard" })).toBeVisible();
  await expect(page.locator(".domain-card")).toHaveCount(4);
  await expect(page.locator(".domain-card").first().getByRole("progressbar")).toHaveCount(3);
  await expect(page.locator(".next-steps__item").first()).toBeVisible();
  await expect(page.getByRole("img", { name: /Bar chart: baseline and current mean rating/ })).toBeVisible();
  const table = page.getByRole("table", { name: /Mean rating per competency/ });
  await expect(table.getByRole("row")).toHaveCount(8);
  // A next step leads to its unit.
  const step = page.locator(".next-steps__item").first().getByRole("link");
  const title = (await step.textContent()) ?? "";
  await step.click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
});

test("saving a baseline rating stays on the baseline checklist (issue 15)", async ({ page }, testInfo) => {
  await signIn(page, testInfo, DEMO.teacher.email, DEMO.teacher.password);
  await open(page, testInfo, "/frameworks/mcf/competencies/collaboration/checklist?phase=baseline");
  const slug = hydrated(testInfo) ? "demonstrating-respect" : "working-towards-common-goals";
  const item = page.locator(`#indicator-${slug}`);
  await expect(item).toBeVisible();
  await item.getByLabel(/^Emerging/).check();
  if (!hydrated(testInfo)) {
    await item.getByRole("button", { name: "Save" }).click();
    await expect(page.locator(`#indicator-${slug}`).getByRole("status")).toHaveText("Saved");
  } else {
    await expect(item.getByRole("status")).toHaveText(/Saved at \d\d:\d\d/);
  }
  await expect(page).toHaveURL(/[?&]phase=baseline/);
  await expect(page.locator('input[name="rating[phase]"]').first()).toHaveValue("baseline");
});
