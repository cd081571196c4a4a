import { expect, test } from "@playwright/test";
import { DEMO, hydrated, open, signIn } from "./helpers";

test("two pages edit one entry: the second save shows both texts and loses nothing", async ({ page, context }, testInfo) => {
  // Known open bug (issue 4, in progress): hydrating the journal editor panics ("unreachable")
  // when the entry has a body; the JavaScript-off run below passes. Fix before resolving issue 4.
  test.fixme(hydrated(testInfo), "journal editor hydration panics with a non-empty body");
  await signIn(page, testInfo, DEMO.teacher.email, DEMO.teacher.password);
  await open(page, testInfo, "/journal");
  const title = `Debrief ${testInfo.project.name} ${Date.now()}`;
  await page.getByLabel("Title", { exact: true }).fill(title);
  await page.getByLabel("Your reflection").fill("First thoughts.");
  await page.getByRole("button", { name: "Create entry" }).click();
  await expect(page).toHaveURL(/\/journal\/\d+/);
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  const path = new URL(page.url()).pathname;

  const other = await context.newPage();
  await open(other, testInfo, path);
  await open(page, testInfo, path);

  await page.getByLabel("Your reflection").fill("Saved in the first tab.");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: /Saved/ })).toBeVisible();

  await other.getByLabel("Your reflection").fill("Written in the second tab.");
  await other.getByRole("button", { name: "Save", exact: true }).click();
  const conflict = other.getByRole("alert").filter({ hasText: "This entry was changed somewhere else" });
  await expect(conflict).toBeVisible();
  await expect(conflict).toContainText("Saved in the first tab.");
  await expect(conflict).toContainText("Written in the second tab.");
  await expect(other.getByLabel("Your reflection")).toHaveValue("Written in the second tab.");

  // Combined and saved on top of the newer version, it goes through.
  await other.getByLabel("Your reflection").fill("Saved in the first tab. Written in the second tab.");
  await other.getByRole("button", { name: "Save", exact: true }).click();
  await expect(other.getByRole("status").filter({ hasText: /Saved/ })).toBeVisible();
  await open(page, testInfo, path);
  await expect(page.getByLabel("Your reflection")).toHaveValue("Saved in the first tab. Written in the second tab.");
});
