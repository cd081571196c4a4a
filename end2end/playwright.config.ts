import { defineConfig } from "@playwright/test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// The server (SERVER_BIN, else the release build), on its own port, over a fresh SQLite database.
const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;
const dataDir = mkdtempSync(join(tmpdir(), "mcf-e2e-"));
// A real SMTP server (Debian's aiosmtpd) that the app sends its e-mail to, delivering into a
// maildir the tests read (helpers.ts, mailTo). Workers re-read this file: they inherit the
// folder chosen by the main process through the environment.
const smtpPort = Number(process.env.E2E_SMTP_PORT ?? 3125);
process.env.E2E_MAILDIR ??= join(dataDir, "mail");
const maildir = process.env.E2E_MAILDIR;
// Where workers claim the page audits (helpers.ts, audit): each kind of page once per run.
process.env.E2E_AUDIT_DIR ??= join(dataDir, "audited");

// Debian's Chromium; Playwright never downloads a browser here.
const launchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
  ],
};

export default defineConfig({
  testDir: "./tests",
  fullyParallel: true,
  workers: 2,
  retries: 0,
  reporter: [["list"]],
  timeout: 30_000,
  expect: { timeout: 10_000 },
  use: { baseURL, launchOptions, trace: "retain-on-failure" },
  // Every spec runs twice: hydrated, and with JavaScript disabled.
  projects: [
    { name: "hydrated", use: { javaScriptEnabled: true } },
    { name: "no-js", use: { javaScriptEnabled: false } },
  ],
  webServer: [
    {
      command: `/usr/bin/aiosmtpd -n -l 127.0.0.1:${smtpPort} -c aiosmtpd.handlers.Mailbox ${maildir}`,
      port: smtpPort,
      timeout: 20_000,
      reuseExistingServer: false,
    },
    {
    // `make e2e` passes the debug server the test build made; by default the release one.
    command: process.env.SERVER_BIN ?? "./target/release/server",
    cwd: "..",
    url: `${baseURL}/healthz`,
    timeout: 60_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      DATABASE_URL: `sqlite://${dataDir}/e2e.db`,
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      LEPTOS_SITE_ROOT: "target/site",
      LEPTOS_HASH_FILES: "true",
      // The release build has it compiled in by cargo-leptos; the test build does not.
      LEPTOS_OUTPUT_NAME: "mcf",
      RUST_LOG: "warn",
      SEED_DEMO: "true",
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
    },
    },
  ],
});
