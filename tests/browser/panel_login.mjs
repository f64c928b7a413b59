// Logs in to the coordinator's dashboard in a real headless browser (Debian's chromium, driven by
// playwright-core), checks that the overdue list shows, and saves screenshots for a person to look at.
//   node panel_login.mjs BASE_URL USER PASSWORD EXPECTED_TICKET OUT_DIR
import { chromium } from "playwright-core";

const [base, user, password, ticket, out] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
try {
  for (const [name, viewport] of [["panel-navegador", { width: 1280, height: 900 }], ["panel-navegador-telefono", { width: 390, height: 844 }]]) {
    const page = await browser.newPage({ viewport });
    await page.goto(`${base}/panel`);
    // Not logged in: the dashboard sends the browser to its login form.
    if (!page.url().includes("/panel/ingreso")) throw new Error(`expected the login form, got ${page.url()}`);
    await page.getByLabel("Usuario").fill(user);
    await page.getByLabel("Contraseña").fill(password);
    await Promise.all([page.waitForURL(/\/panel$/), page.getByRole("button", { name: /ingresar/i }).click()]);
    const text = await page.textContent("body");
    if (!text.includes(ticket)) throw new Error(`the overdue ticket ${ticket} is not on the dashboard`);
    if ((await page.locator("svg").count()) < 2) throw new Error("the two charts are missing");
    await page.screenshot({ path: `${out}/${name}.png`, fullPage: true });
    await page.close();
  }
  console.log("ok");
} finally {
  await browser.close();
}
