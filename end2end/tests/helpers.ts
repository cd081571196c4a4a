import { test as base, expect, type BrowserContext, type Frame, type Locator, type Page, type TestInfo } from "@playwright/test";
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { simpleParser } from "mailparser";
import AxeBuilder from "@axe-core/playwright";

/**
 * Every spec's `test`: fails a test when any page it opened, in any browser context, raised an
 * uncaught error or a Rust panic (issue 15: a panic after submitting evidence left the page
 * dead, and no test noticed). Contexts a test makes with `browser.newContext` are watched too.
 */
export const test = base.extend<{ failOnPageErrors: void }>({
  failOnPageErrors: [
    async ({ browser, context }, use) => {
      const errors: string[] = [];
      const watchPage = (page: Page) => {
        page.on("pageerror", (e) => errors.push(`${page.url()}: ${e.name}: ${e.message}`));
        page.on("console", (m) => {
          if (m.type() === "error" && /panicked|already been disposed/.test(m.text())) {
            errors.push(`${page.url()}: ${m.text()}`);
          }
        });
      };
      const watchContext = (c: BrowserContext) => {
        c.pages().forEach(watchPage);
        c.on("page", watchPage);
      };
      watchContext(context);
      const newContext = browser.newContext.bind(browser);
      browser.newContext = async (...args: Parameters<typeof newContext>) => {
        const c = await newContext(...args);
        watchContext(c);
        return c;
      };
      try {
        await use();
      } finally {
        browser.newContext = newContext;
      }
      expect(errors, "errors raised in the pages this test opened").toEqual([]);
    },
    { auto: true },
  ],
});

/**
 * The plain-text body of the newest e-mail the SMTP server received for `address` (waits for
 * the app's sender, which looks for due messages every 2 s); with `containing`, the newest whose
 * text matches it (other tests may e-mail the same demo account meanwhile).
 */
export async function mailTo(address: string, containing?: RegExp): Promise<string> {
  const folder = join(process.env.E2E_MAILDIR ?? "", "new");
  let found = "";
  await expect(async () => {
    const files = readdirSync(folder).sort();
    for (const file of files.reverse()) {
      const mail = await simpleParser(readFileSync(join(folder, file)));
      const to = Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : [];
      const text = mail.text ?? "";
      if (
        to.some((t) => t.value.some((v) => v.address?.toLowerCase() === address.toLowerCase())) &&
        (!containing || containing.test(text))
      ) {
        found = text;
        return;
      }
    }
    throw new Error(`no e-mail for ${address} yet`);
  }).toPass({ timeout: 15_000 });
  return found;
}

/** Whether this project runs with JavaScript enabled. */
export function hydrated(testInfo: TestInfo): boolean {
  return testInfo.project.use.javaScriptEnabled !== false;
}

/**
 * Opens a page and, when JavaScript runs, waits until the app says it has hydrated: a click on
 * the server-rendered page before that would be lost.
 */
export async function open(page: Page, testInfo: TestInfo, path: string): Promise<void> {
  const errors: string[] = [];
  const onError = (e: Error) => errors.push(`${e.name}: ${e.message}`);
  // Errors raised before the new document commits belong to the page being left (a request
  // it had in flight, cut off by this navigation), not to the page under test.
  const onNavigated = (frame: Frame) => {
    if (frame !== page.mainFrame() || errors.length === 0) return;
    console.log(`while opening ${frame.url()}, the page being left raised: ${errors.join("; ")}`);
    errors.length = 0;
  };
  page.on("pageerror", onError);
  page.on("framenavigated", onNavigated);
  const response = await page.goto(path);
  page.off("framenavigated", onNavigated);
  expect(response?.status(), `status of ${path}`).toBeLessThan(400);
  if (hydrated(testInfo)) {
    await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  }
  page.off("pageerror", onError);
  expect(errors, `errors in the page while loading ${path}`).toEqual([]);
  await audit(page, testInfo);
}

/**
 * The kind of page a URL is: the path with each id, slug or token after a collection name
 * replaced by `:`, and the names of its query parameters. `/assess/17?x=1` → `/assess/:?x`.
 */
export function shape(url: string): string {
  const u = new URL(url, "http://x");
  const parts = u.pathname.split("/");
  const collections = ["competencies", "units", "cohorts", "credentials", "journal", "assess", "join", "reset", "sign-up"];
  const path = parts.map((p, i) => (i > 0 && collections.includes(parts[i - 1]) ? ":" : p)).join("/");
  const keys = [...new Set(u.searchParams.keys())].sort();
  return keys.length ? `${path}?${keys.join("&")}` : path;
}

/**
 * Claims the audit of one kind of page in one project for this run: true the first time any
 * worker asks (the claim is a file created exclusively in a folder the run shares), false after.
 */
function claimAudit(key: string): boolean {
  try {
    closeSync(openSync(claimFile(key), "wx"));
    return true;
  } catch {
    return false;
  }
}

function claimFile(key: string): string {
  const dir = process.env.E2E_AUDIT_DIR ?? join(process.env.E2E_MAILDIR ?? ".", "..", "audited");
  mkdirSync(dir, { recursive: true });
  return join(dir, createHash("sha256").update(key).digest("hex").slice(0, 32));
}

function auditKey(testInfo: TestInfo, url: string): string {
  return `${testInfo.project.name} ${shape(url)}`;
}

/** Whether this kind of page has been audited in this project during this run. */
export function isAudited(testInfo: TestInfo, url: string): boolean {
  return existsSync(claimFile(auditKey(testInfo, url)));
}

/** A page with JavaScript, in its own context, for running axe over a no-JS page's document. */
let scratch: Page | undefined;
async function scratchPage(page: Page): Promise<Page> {
  if (scratch && !scratch.isClosed() && scratch.context().browser()?.isConnected()) return scratch;
  const browser = page.context().browser();
  if (!browser) throw new Error("no browser to audit in");
  const context = await browser.newContext({ javaScriptEnabled: true, viewport: { width: PHONE_WIDTH, height: 740 } });
  scratch = await context.newPage();
  return scratch;
}

/**
 * axe-core's findings on `page` as it is now. axe needs timers, which do not run in a page
 * without JavaScript: there, the document as the browser built it (scripts and preloads taken
 * out, so it stays the no-JS page) is loaded into a page with JavaScript at the same address,
 * with the same styles, and audited there.
 */
async function axeFindings(page: Page, testInfo: TestInfo): Promise<string[]> {
  let target = page;
  if (!hydrated(testInfo)) {
    const html = (await page.content())
      .replace(/<script\b[\s\S]*?<\/script>/gi, "")
      .replace(/<link\b[^>]*rel="(?:modulepreload|preload)"[^>]*>/gi, "");
    target = await scratchPage(page);
    // Served at an address of the same site (so its styles load as they did), without the
    // app's headers (whose Content-Security-Policy names the original page's nonce).
    const address = new URL("/__audit__", page.url()).href;
    await target.route(address, (route) => route.fulfill({ body: html, contentType: "text/html; charset=utf-8" }));
    await target.goto(address, { waitUntil: "load" });
    await target.unroute(address);
  }
  const axe = await new AxeBuilder({ page: target })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"])
    .analyze();
  return axe.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`,
  );
}

/** The width of a small phone, in CSS pixels (issue 15, item 9). */
export const PHONE_WIDTH = 375;

/**
 * Issue 15's page-wide checks, on the page as it stands, once per page kind (`shape`) per
 * worker and project; `open` calls it for every page a test opens, so each kind is checked
 * with the data the flows give it. At 375 px wide:
 * - the document does not scroll sideways (a wide table scrolls inside its own region);
 * - axe-core (WCAG 2.2 A and AA, and its best practices) finds nothing (hydrated project);
 * - `aria-current="page"` is only on links to this very page;
 * - headings start at one `h1` and never skip a level;
 * - every table has a caption;
 * - no two buttons have the same accessible name;
 * - every message (status, alert, field error) starts with a capital letter.
 * The viewport is put back afterwards. Its findings are soft: the test goes on and reports
 * them all at its end.
 */
export async function audit(page: Page, testInfo: TestInfo): Promise<void> {
  if (!claimAudit(auditKey(testInfo, page.url()))) return;
  const where = `${shape(page.url())} (${page.url()})`;
  const viewport = page.viewportSize();
  await page.setViewportSize({ width: PHONE_WIDTH, height: 740 });
  try {
    const overflow = await page.evaluate(() => {
      const doc = document.documentElement;
      const width = doc.clientWidth;
      if (doc.scrollWidth <= width) return null;
      // The outermost elements reaching past the right edge and not clipped by a scroll
      // region inside the page, to say where to look.
      const clipped = (el: Element) => {
        for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
          if (getComputedStyle(a).overflowX !== "visible" && a.getBoundingClientRect().right <= width + 1) return true;
        }
        return false;
      };
      const wide = [...document.querySelectorAll("body *")].filter((el) => {
        const r = el.getBoundingClientRect();
        return r.width > 0 && r.right > width + 1 && !clipped(el) && !(el.parentElement && el.parentElement.getBoundingClientRect().right > width + 1);
      });
      return {
        by: doc.scrollWidth - width,
        elements: wide.slice(0, 5).map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join(".")}`),
      };
    });
    expect.soft(overflow, `${where} scrolls sideways at ${PHONE_WIDTH} px`).toBeNull();

    const structure = await page.evaluate(() => {
      const problems: string[] = [];
      const shown = (el: Element) => !el.closest("[hidden], [aria-hidden='true'], template");
      // aria-current="page" only on links to this page (a breadcrumb's last item, not a
      // link, may carry it too).
      for (const el of document.querySelectorAll("a[aria-current='page']")) {
        const href = el.getAttribute("href");
        const target = href ? new URL(href, location.href) : null;
        if (!target || target.pathname !== location.pathname) {
          problems.push(`aria-current="page" on a link to ${href} (this page is ${location.pathname})`);
        }
      }
      // Headings: one h1 first, no skipped level.
      const levels = [...document.querySelectorAll("h1, h2, h3, h4, h5, h6")]
        .filter(shown)
        .map((h) => ({ level: Number(h.tagName[1]), text: (h.textContent ?? "").trim().slice(0, 40) }));
      if (levels.filter((h) => h.level === 1).length !== 1) problems.push(`${levels.filter((h) => h.level === 1).length} h1 headings`);
      if (levels.length && levels[0].level !== 1) problems.push(`the first heading is an h${levels[0].level}`);
      levels.forEach((h, i) => {
        if (i > 0 && h.level > levels[i - 1].level + 1) {
          problems.push(`h${h.level} “${h.text}” follows h${levels[i - 1].level} “${levels[i - 1].text}”`);
        }
      });
      // Tables carry a caption.
      for (const t of document.querySelectorAll("table")) {
        if (shown(t) && !(t.querySelector(":scope > caption")?.textContent ?? "").trim()) {
          problems.push(`a table without a caption (${t.className || "no class"})`);
        }
      }
      // Messages start with a capital.
      for (const m of document.querySelectorAll("[role='status'], [role='alert'], .field-error, .form-error")) {
        const text = (m.textContent ?? "").trim();
        if (shown(m) && /^\p{Ll}/u.test(text)) problems.push(`a message starts in lower case: “${text.slice(0, 60)}”`);
      }
      return problems;
    });
    expect.soft(structure, `structure of ${where}`).toEqual([]);

    // Buttons that repeat a name cannot be told apart by a screen reader's list of controls.
    const tree = await page.locator("body").ariaSnapshot();
    const names = [...tree.matchAll(/- button "((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]);
    const repeated = [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
    expect.soft(repeated, `buttons of ${where} that share a name`).toEqual([]);
    // The same for links: one name leading to two places cannot be told apart either.
    const lines = tree.split("\n");
    const targets = new Map<string, Set<string>>();
    lines.forEach((line, i) => {
      const link = line.match(/^\s*- link "((?:[^"\\]|\\.)*)"/);
      const url = lines[i + 1]?.match(/^\s*- \/url: (.*)$/);
      if (!link || !url) return;
      // The same place however it is written ("/" and "http://host/").
      const place = new URL(url[1], page.url()).href;
      targets.set(link[1], (targets.get(link[1]) ?? new Set()).add(place));
    });
    const ambiguous = [...targets].filter(([, urls]) => urls.size > 1).map(([name, urls]) => `${name} → ${[...urls].join(", ")}`);
    expect.soft(ambiguous, `links of ${where} that share a name but lead to different places`).toEqual([]);

    // axe on every page, with and without JavaScript.
    expect.soft(await axeFindings(page, testInfo), `axe on ${where}`).toEqual([]);
  } finally {
    if (viewport) await page.setViewportSize(viewport);
  }
}

/**
 * Moves focus with the Tab key (forwards) until `target` has it, as a keyboard user would.
 * Fails if it is not reached within `limit` presses.
 */
export async function tabTo(page: Page, target: Locator, limit = 60): Promise<void> {
  for (let i = 0; i < limit; i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press("Tab");
  }
  await expect(target, "reached with the Tab key").toBeFocused();
}

/** Tabs to a labelled field and types into it. */
export async function typeInto(page: Page, label: string, text: string): Promise<void> {
  await tabTo(page, page.getByLabel(label, { exact: true }));
  await page.keyboard.type(text);
}

/** Tabs to a button or link and presses Enter on it. */
export async function activate(page: Page, target: Locator): Promise<void> {
  await tabTo(page, target);
  await page.keyboard.press("Enter");
}

/** The demo accounts `SEED_DEMO=true` creates. */
export const DEMO = {
  coordinator: { email: "coordinator@demo.test", password: "demo coordinator password" },
  assessor: { email: "assessor@demo.test", password: "demo assessor password" },
  teacher: { email: "teacher@demo.test", password: "demo teacher password" },
};

/**
 * Signs in from the sign-in page. With `keyboard`, as a keyboard-only user would (Tab to each
 * field, type, Enter); otherwise the fields are filled directly and the form sent with Enter
 * from the password field (the Tab walk through the header costs seconds a test, and one spec
 * covers it).
 */
export async function signIn(
  page: Page,
  testInfo: TestInfo,
  email: string,
  password: string,
  path = "/sign-in",
  { keyboard = false }: { keyboard?: boolean } = {},
): Promise<void> {
  await open(page, testInfo, path);
  if (keyboard) {
    await typeInto(page, "Email", email);
    await typeInto(page, "Password", password);
    await page.keyboard.press("Enter");
  } else {
    await page.getByLabel("Email", { exact: true }).fill(email);
    const field = page.getByLabel("Password", { exact: true });
    await field.fill(password);
    await field.press("Enter");
  }
  await expect(page.getByRole("button", { name: /^Sign out \(/ })).toBeVisible();
  if (hydrated(testInfo)) {
    await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  }
}

/** Signs out with the keyboard from any page. */
export async function signOut(page: Page, testInfo: TestInfo): Promise<void> {
  await activate(page, page.getByRole("button", { name: /^Sign out \(/ }));
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
  if (hydrated(testInfo)) {
    await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  }
}

/** Fills every rationale on the evidence page and offers a link for the first indicator. */
export async function composeAndSubmit(page: Page, rationale: string): Promise<void> {
  const boxes = page.locator('textarea[name^="draft[rationale]"]');
  const n = await boxes.count();
  expect(n).toBeGreaterThan(0);
  for (let i = 0; i < n; i++) {
    await boxes.nth(i).fill(`${rationale} (indicator ${i + 1})`);
  }
  await page.locator('textarea[name^="draft[links]"]').first().fill("https://example.org/lesson-plan My lesson plan");
  await page.getByRole("button", { name: "Submit for assessment" }).click();
  await expect(page.getByText(/^Submitted to the assessors of/)).toBeVisible();
  // The autosave timers started by the typing above fire after the page has re-rendered: they
  // must find it gone without an error (the fixture above fails the test on one).
  await page.waitForTimeout(1_000);
}

/**
 * Reviews a submission from the queue with the keyboard only: claim it, rate every indicator
 * (`steps` presses of the right arrow from "Not evident": 1 = Partly, 2 = Evident), write the
 * feedback, choose the decision, record it.
 */
export async function review(page: Page, testInfo: TestInfo, row: RegExp, steps: number, competent: boolean): Promise<void> {
  await open(page, testInfo, "/assess");
  const line = page.getByRole("row", { name: row });
  await expect(line).toBeVisible();
  await tabTo(page, line.getByRole("button", { name: "Claim and review" }));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: /^Review: / })).toBeVisible();
  if (hydrated(testInfo)) {
    await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  }
  const groups = page.getByRole("group", { name: /^Your rating of indicator \d+$/ });
  const n = await groups.count();
  expect(n).toBeGreaterThan(0);
  for (let i = 0; i < n; i++) {
    await tabTo(page, groups.nth(i).getByRole("radio", { name: "Not evident" }));
    for (let s = 0; s < steps; s++) await page.keyboard.press("ArrowRight");
  }
  await tabTo(page, page.getByLabel("Feedback for the teacher"));
  await page.keyboard.type(competent ? "Clear evidence from your own lessons." : "A good start: the rationale is there.");
  if (competent) {
    await tabTo(page, page.getByRole("radio", { name: "Competent" }));
    await page.keyboard.press("Space");
  } else {
    await tabTo(page, page.getByRole("radio", { name: "Competent" }));
    await page.keyboard.press("ArrowRight");
    await expect(page.getByRole("radio", { name: "Not yet" })).toBeChecked();
    await tabTo(page, page.getByLabel("What to improve (needed for Not yet)"));
    await page.keyboard.type("Show one lesson where you tried something new, with a mentee's view of it.");
  }
  await tabTo(page, page.getByRole("button", { name: "Record decision" }));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { name: competent ? "Decision: Competent" : "Decision: Not yet" })).toBeVisible();
}
