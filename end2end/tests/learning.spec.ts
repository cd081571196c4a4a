import { expect, test } from "@playwright/test";
import { DEMO, hydrated, open, signIn } from "./helpers";

test("a teacher rates an indicator on the checklist, and it is kept", async ({ page }, testInfo) => {
  await signIn(page, testInfo, DEMO.teacher.email, DEMO.teacher.password);
  await open(page, testInfo, "/frameworks/mcf/competencies/communication/checklist");
  await expect(page.getByRole("heading", { level: 1, name: "Indicator checklist" })).toBeVisible();
  // Each project rates its own indicator, so the two runs (in parallel) do not meet.
  const [slug, text] = hydrated(testInfo)
    ? ["active-listening", "Actively listening to each other during conversations"]
    : ["framing-questions", "Framing different types and levels of questions"];
  const item = page.getByRole("group", { name: text });
  const level = hydrated(testInfo) ? "Developing" : "Emerging";
  await item.getByLabel(new RegExp(`^${level}`)).check();
  if (hydrated(testInfo)) {
    // With JavaScript the choice saves at once.
    await expect(page.locator(`#indicator-${slug}`).getByRole("status")).toHaveText(/Saved at \d\d:\d\d/);
  } else {
    await page.locator(`#indicator-${slug}`).getByRole("button", { name: "Save" }).click();
    await expect(page.locator(`#indicator-${slug}`).getByRole("status")).toHaveText("Saved");
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
