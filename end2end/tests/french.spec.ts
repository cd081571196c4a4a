import { expect } from "@playwright/test";
import { DEMO, hydrated, open, test } from "./helpers";

// Issue 18: a French-speaking teacher works in French, with JavaScript (pages the browser renders
// itself after hydrating read the French strings it fetched) and without (every form posts).
test("a teacher works in French: dashboard, checklist and journal, with nothing in English", async ({ page, context, baseURL }, testInfo) => {
  // The cookie the footer's link sets (the link would also remember French on the shared demo
  // account, which other tests read e-mails of in English), before anything loads.
  await context.addCookies([{ name: "lang", value: "fr", url: baseURL! }]);
  const strings: string[] = [];
  context.on("request", (r) => {
    const path = new URL(r.url()).pathname;
    if (path.startsWith("/i18n/")) strings.push(path);
  });
  await open(page, testInfo, "/sign-in");
  await page.getByLabel("Adresse e-mail", { exact: true }).fill(DEMO.teacher.email);
  await page.getByLabel("Mot de passe", { exact: true }).fill(DEMO.teacher.password);
  await page.getByRole("button", { name: "Se connecter" }).click();
  await expect(page).toHaveURL(/\/dashboard/);

  await open(page, testInfo, "/dashboard");
  await expect(page.locator("html")).toHaveAttribute("lang", "fr");
  await expect(page.getByRole("heading", { level: 1, name: "Votre tableau de bord" })).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: "Progression par domaine" })).toBeVisible();
  // The framework's own texts in French too, in the teacher's own views.
  await expect(page.getByText("Identité professionnelle").first()).toBeVisible();
  await expect(page.getByRole("button", { name: /^Se déconnecter/ })).toBeVisible();

  await open(page, testInfo, "/frameworks/mcf/competencies/collaboration/checklist");
  await expect(
    page.getByRole("heading", { level: 1, name: "Liste de vérification des indicateurs : Collaboration" }),
  ).toBeVisible();
  // Each project rates its own indicator, so the two runs (in parallel) do not meet.
  const [slug, text, level] = hydrated(testInfo)
    ? [
        "articulating-mentoring-goals",
        "Identifier et formuler clairement et en collaboration le ou les objectifs du mentorat",
        "En progression",
      ]
    : [
        "climate-of-care-and-trust",
        "Créer et entretenir un climat de travail fondé sur la bienveillance, la confiance et la souplesse, propice au partage mutuel d’idées",
        "Émergent",
      ];
  const item = page.getByRole("group", { name: text });
  await item.getByLabel(new RegExp(`^${level}`)).check();
  if (hydrated(testInfo)) {
    await expect(page.locator(`#indicator-${slug}`).getByRole("status")).toHaveText(/^Enregistré à \d\d:\d\d/);
  } else {
    await page.locator(`#indicator-${slug}`).getByRole("button", { name: "Enregistrer" }).click();
    await expect(page.locator(`#indicator-${slug}`).getByRole("status")).toHaveText("Enregistré");
  }
  await page.reload();
  await expect(page.getByRole("group", { name: text }).getByLabel(new RegExp(`^${level}`))).toBeChecked();

  // Following the menu: with JavaScript the browser renders the journal itself, from the French
  // strings it fetched; without, the server does.
  await page.getByRole("navigation", { name: "Principale" }).getByRole("link", { name: "Journal", exact: true }).click();
  await expect(page).toHaveURL(/\/journal$/);
  await expect(page.getByRole("heading", { level: 1, name: "Journal de réflexion" })).toBeVisible();
  await expect(page.getByText(/Sign out|Dashboard|Your journal/)).toHaveCount(0);

  if (hydrated(testInfo)) {
    // Only French strings reached the browser: its shell and pages tables, never English.
    expect(strings.some((s) => s.startsWith("/i18n/fr/shell."))).toBe(true);
    expect(strings.some((s) => s.startsWith("/i18n/fr/pages."))).toBe(true);
    expect(strings.filter((s) => s.startsWith("/i18n/en/"))).toEqual([]);
  } else {
    expect(strings).toEqual([]);
  }
});
