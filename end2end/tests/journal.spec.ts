import { expect } from "@playwright/test";
import { DEMO, hydrated, open, signIn, test } from "./helpers";

test("two pages edit one entry: the second save shows both texts and loses nothing", async ({ page, context }, testInfo) => {
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

test("a reflection typed offline survives a reload and is saved when the connection returns", async ({ page, context }, testInfo) => {
  test.skip(!hydrated(testInfo), "autosave and offline drafts need JavaScript; the no-js run saves with the form");
  await signIn(page, testInfo, DEMO.teacher.email, DEMO.teacher.password);
  // The worker precaches every script and wasm chunk before it takes control; on a busy
  // machine that outlasts the next navigations, so wait for it (as a returning user would have).
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 15_000 });
  await open(page, testInfo, "/journal");
  await page.getByLabel("Title", { exact: true }).fill(`Offline ${Date.now()}`);
  await page.getByLabel("Your reflection").fill("Typed online.");
  await page.getByRole("button", { name: "Create entry" }).click();
  await expect(page).toHaveURL(/\/journal\/\d+/);
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  const id = new URL(page.url()).pathname.split("/").pop();
  // The service worker is in control and has kept this page for offline use.
  await page.waitForFunction(
    async () => navigator.serviceWorker.controller !== null && (await caches.match(location.pathname)) !== undefined,
    undefined,
    { timeout: 15_000 },
  );

  const editor = page.getByLabel("Your reflection");
  const status = page.getByRole("status").filter({ hasText: /Saved at \d\d:\d\d|Offline/ });
  await editor.fill("Typed online. Autosaved.");
  await expect(status).toHaveText(/Saved at \d\d:\d\d/);

  await context.setOffline(true);
  await editor.fill("Typed online. Autosaved. Written on the bus, offline.");
  await expect(status).toContainText("Offline: kept on this device");

  await page.reload();
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await expect(page.getByLabel("Your reflection")).toHaveValue("Typed online. Autosaved. Written on the bus, offline.");

  await context.setOffline(false);
  await expect(page.getByRole("status").filter({ hasText: /Saved at/ })).toBeVisible();
  const stored = await page.request.get(`/api/journal/entry?id=${id}`, { headers: { Accept: "application/json" } });
  expect(stored.status()).toBe(200);
  expect((await stored.json()).body).toBe("Typed online. Autosaved. Written on the bus, offline.");
});

test("typing pauses save by themselves and say when", async ({ page }, testInfo) => {
  test.skip(!hydrated(testInfo), "autosave needs JavaScript");
  await signIn(page, testInfo, DEMO.teacher.email, DEMO.teacher.password);
  await open(page, testInfo, "/journal");
  await page.getByLabel("Title", { exact: true }).fill(`Autosave ${Date.now()}`);
  await page.getByRole("button", { name: "Create entry" }).click();
  await expect(page).toHaveURL(/\/journal\/\d+/);
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  const path = new URL(page.url()).pathname;
  await page.getByLabel("Your reflection").pressSequentially("No button pressed.");
  await expect(page.getByRole("status").filter({ hasText: /Saved at \d\d:\d\d/ })).toBeVisible();
  await open(page, testInfo, path);
  await expect(page.getByLabel("Your reflection")).toHaveValue("No button pressed.");
});

/** Texts that look like markup, or that an HTML parser treats specially, to type and read back. */
const TRICKY = [
  'Before </textarea><meta http-equiv="refresh" content="0;url=/sign-in"> after',
  "Fish &amp; chips, a < b > c, &lt;b&gt;",
  "\nStarts with a line break, then été, naïve, 😀, مرحبا",
];

test("text that looks like markup comes back exactly from the journal editor", async ({ page }, testInfo) => {
  // Three entries, each created, reloaded and read back: ~20 s on CI's debug server.
  test.setTimeout(60_000);
  await signIn(page, testInfo, DEMO.teacher.email, DEMO.teacher.password);
  for (const text of TRICKY) {
    await open(page, testInfo, "/journal");
    await page.getByLabel("Title", { exact: true }).fill(`Markup ${Date.now()}`);
    await page.getByLabel("Your reflection").fill(text);
    await page.getByRole("button", { name: "Create entry" }).click();
    await expect(page).toHaveURL(/\/journal\/\d+/);
    const path = new URL(page.url()).pathname;
    await open(page, testInfo, path);
    await expect(page.getByLabel("Your reflection")).toHaveValue(text);
    // Nothing in the text became a live element (the refresh would leave the page).
    await expect(page.locator('meta[http-equiv="refresh"]')).toHaveCount(0);
    await expect(page).toHaveURL(new RegExp(`${path}$`));
    // Saved again unchanged, it stays the same (no escaping or unescaping on the way).
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await expect(page.getByRole("status").filter({ hasText: /Saved/ })).toBeVisible();
    await open(page, testInfo, path);
    await expect(page.getByLabel("Your reflection")).toHaveValue(text);
  }
  // The other textareas (checklist note, statement, rationale, links) share the same rendering
  // and are read back from their server-rendered pages in server/tests/trust.rs.
});
