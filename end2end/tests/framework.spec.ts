import { expect } from "@playwright/test";
import { hydrated, open, test } from "./helpers";

test("home → framework → competency, found by role", async ({ page }, testInfo) => {
  await open(page, testInfo, "/");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(
    "Mentoring micro-credential for teachers",
  );
  for (const step of ["Learn", "Reflect", "Submit", "Get assessed", "Earn badges"]) {
    await expect(page.getByRole("heading", { level: 3, name: step })).toBeVisible();
  }

  await page.getByRole("link", { name: "Explore the framework" }).click();
  await expect(page).toHaveURL(/\/frameworks\/mcf$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Mentoring Competency Framework");
  await expect(page.getByText("4 domains · 7 competencies · 38 indicators")).toBeVisible();
  for (const domain of [
    "Professional Identity",
    "Professional Knowledge and Skills",
    "Professional Relationships",
    "Professional Dispositions",
  ]) {
    await expect(page.getByRole("heading", { level: 2, name: new RegExp(domain) })).toBeVisible();
  }
  await expect(page).toHaveTitle(/Mentoring Competency Framework/);

  await page.getByRole("link", { name: "Communication" }).click();
  await expect(page).toHaveURL(/\/frameworks\/mcf\/competencies\/communication$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Communication");
  await expect(page.getByRole("heading", { name: "Indicators (9)" })).toBeVisible();
  const indicators = page.getByRole("list").filter({ hasText: "Actively listening" });
  await expect(indicators.getByRole("listitem")).toHaveCount(9);

  await page.getByRole("link", { name: "Collaboration →" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Collaboration");
});

test("the course: introduction from the framework page, the index, a tool printed without the site's menus", async ({ page }, testInfo) => {
  await open(page, testInfo, "/frameworks/mcf");
  await page.getByRole("link", { name: "Start with the course introduction" }).click();
  await expect(page).toHaveURL(/\/frameworks\/mcf\/course\/introduction$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("About this course");
  await expect(page.getByRole("cell", { name: "Partly evident" })).toBeVisible();
  await expect(page.getByText(/more than half are Evident/)).toBeVisible();

  await page.getByRole("link", { name: "The course", exact: true }).click();
  await expect(page.getByRole("heading", { level: 2, name: "Printable tools" })).toBeVisible();
  await page.getByRole("link", { name: "Safeguarding card" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/Safeguarding/);
  await expect(page.getByText(/cannot be reached/).first()).toBeVisible();
  await page.emulateMedia({ media: "print" });
  await expect(page.locator(".site-header")).toBeHidden();
  await expect(page.getByRole("button", { name: "Print this tool" })).toBeHidden();
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await page.emulateMedia({ media: "screen" });
});

test("a teacher reads the course in French: chosen in the footer, remembered, and back in English", async ({ page }, testInfo) => {
  await open(page, testInfo, "/frameworks/mcf/units/listening-and-asking-better-questions");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await page.getByRole("link", { name: "Français" }).click();
  await expect(page).toHaveURL(/\/frameworks\/mcf\/units\/listening-and-asking-better-questions$/);
  await expect(page.locator("html")).toHaveAttribute("lang", "fr");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Bien écouter et poser de meilleures questions");
  // Remembered on the next page, the framework's own texts in French.
  await page.goto("/frameworks/mcf");
  await expect(page.getByRole("heading", { level: 2, name: /Identité professionnelle/ })).toBeVisible();
  await page.getByRole("link", { name: "English" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("heading", { level: 2, name: /Professional Identity/ })).toBeVisible();
});

test("the skip link moves focus to the main content", async ({ page }, testInfo) => {
  await open(page, testInfo, "/frameworks/mcf");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to main content" });
  await expect(skip).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/#main$/);
});

test("an unknown competency is a 404 page", async ({ page }) => {
  const response = await page.goto("/frameworks/mcf/competencies/does-not-exist");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Not found");
});

test("navigation after hydration is client-side: the document is not reloaded", async ({ page }, testInfo) => {
  test.skip(!hydrated(testInfo), "needs JavaScript");
  await open(page, testInfo, "/");
  // A marker on window survives client-side navigation but not a document load.
  await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
  let documentRequests = 0;
  page.on("request", (r) => {
    if (r.resourceType() === "document") documentRequests += 1;
  });
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Framework", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Mentoring Competency Framework");
  await page.getByRole("link", { name: "Problem-solving" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Problem-solving");
  const marker = await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument);
  expect(marker).toBe(true);
  expect(documentRequests).toBe(0);
});

// The browser's code waits for the page to be painted (app/src/hydration.rs): nothing of it is
// preloaded, and every script and wasm file under /pkg/ is requested after the first paint.
test("the browser's code is fetched only after the first paint, and nothing is preloaded", async ({ page }, testInfo) => {
  test.skip(!hydrated(testInfo), "needs JavaScript");
  for (const path of ["/", "/frameworks/mcf/competencies/communication"]) {
    await open(page, testInfo, path);
    await expect(page.locator('link[rel="preload"], link[rel="modulepreload"]')).toHaveCount(0);
    const { paint, code } = await page.evaluate(() => ({
      paint: performance.getEntriesByName("first-paint")[0]?.startTime ?? null,
      code: performance
        .getEntriesByType("resource")
        .filter((e) => /^\/pkg\/.*\.(js|wasm)$/.test(new URL(e.name).pathname))
        .map((e) => ({ name: new URL(e.name).pathname, start: e.startTime })),
    }));
    expect(paint, `first paint of ${path}`).not.toBeNull();
    // The main glue and wasm at least (and, for a lazily loaded page, its group's files).
    expect(code.length, `code loaded by ${path}`).toBeGreaterThanOrEqual(2);
    for (const file of code) expect(file.start, `${file.name} on ${path}`).toBeGreaterThanOrEqual(paint!);
  }
});

test("readable at 360 px wide without horizontal scrolling", async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await open(page, testInfo, "/frameworks/mcf/competencies/specialized-development-of-self");
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow).toBeLessThanOrEqual(0);
});
