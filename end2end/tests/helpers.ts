import { expect, type Page, type TestInfo } from "@playwright/test";

/** Whether this project runs with JavaScript enabled. */
export function hydrated(testInfo: TestInfo): boolean {
  return testInfo.project.use.javaScriptEnabled !== false;
}

/**
 * Opens a page and, when JavaScript runs, waits until the app says it has hydrated: a click on
 * the server-rendered page before that would be lost.
 */
export async function open(page: Page, testInfo: TestInfo, path: string): Promise<void> {
  const response = await page.goto(path);
  expect(response?.status(), `status of ${path}`).toBeLessThan(400);
  if (hydrated(testInfo)) {
    await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  }
}
