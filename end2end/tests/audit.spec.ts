import { expect, type Page } from "@playwright/test";
import { DEMO, isAudited, open, shape, signIn, test } from "./helpers";

/**
 * Every page each role can reach, found by following the links from where they land: each
 * kind of page (`shape`) is opened once (or only fetched, when another test has audited that
 * kind already), and `open` audits it (no sideways scrolling at 375
 * px, axe, aria-current, headings, captions, button names, messages; see `audit`). A link
 * that leads to an error status fails the test; files (JSON, images, PDF, CSV) must answer 200.
 * The flow specs audit the pages only reachable through a form (a claimed review, a
 * moderation), with the data they create.
 */
const roles = [
  { role: "visitor", account: null, start: "/" },
  { role: "teacher", account: DEMO.teacher, start: "/dashboard" },
  { role: "assessor", account: DEMO.assessor, start: "/assess" },
  { role: "coordinator", account: DEMO.coordinator, start: "/coordinator" },
] as const;

/** Where no crawl goes: signing out ends the session the crawl runs in. */
// The language links change the language of every later page (the French pages have their
// own test in framework.spec.ts).
const never = [/^\/sign-out/, /^\/api\//, /^\/language\//];
const files = /\.(json|png|pdf|csv|zip|svg|jsonld)$/;
const MAX_PAGES = 60;

async function links(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLAnchorElement>("a[href]")]
      .map((a) => new URL(a.href, location.href))
      .filter((u) => u.origin === location.origin)
      .map((u) => u.pathname + u.search),
  );
}

/**
 * A page another test has audited already: fetched without the browser (status checked, links
 * read from the server's HTML), which costs a tenth of opening it.
 */
async function fetched(page: Page, path: string): Promise<string[]> {
  const response = await page.request.get(path);
  expect(response.status(), `status of ${path}`).toBeLessThan(400);
  const base = new URL(response.url());
  return [...(await response.text()).matchAll(/<a\b[^>]*?\shref="([^"]*)"/g)]
    .map((m) => new URL(m[1].replace(/&amp;/g, "&"), base))
    .filter((u) => u.origin === base.origin)
    .map((u) => u.pathname + u.search);
}

for (const { role, account, start } of roles) {
  test(`every page a ${role} can reach passes the page audit at 375 px`, async ({ page }, testInfo) => {
    test.setTimeout(240_000);
    if (account) await signIn(page, testInfo, account.email, account.password);
    const seen = new Set<string>([shape(start)]);
    const queue = [start];
    const visited: string[] = [];
    while (queue.length && visited.length < MAX_PAGES) {
      const path = queue.shift() as string;
      let found: string[];
      if (isAudited(testInfo, path)) {
        found = await fetched(page, path);
      } else {
        await open(page, testInfo, path);
        found = await links(page);
      }
      visited.push(path);
      for (const link of found) {
        const kind = shape(link);
        if (seen.has(kind) || never.some((n) => n.test(link))) continue;
        seen.add(kind);
        if (files.test(new URL(link, "http://x").pathname) || link.startsWith("/uploads/") || link.startsWith("/ims/case/")) {
          const response = await page.request.get(link);
          expect(response.status(), `status of ${link}, linked from ${path}`).toBe(200);
        } else {
          queue.push(link);
        }
      }
    }
    expect(queue, "pages left unvisited (raise MAX_PAGES)").toEqual([]);
    // A crawl that found nothing would pass vacuously.
    expect(visited.length).toBeGreaterThan(role === "visitor" ? 5 : 8);
    console.log(`${testInfo.project.name} ${role}: ${visited.length} kinds of page`);
  });
}
