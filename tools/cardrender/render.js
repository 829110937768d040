#!/usr/bin/env node
// Renders Adaptive Cards with the real adaptivecards renderer in headless
// Debian chromium and writes one PNG per card.
//
//   node render.js --out DIR card.json [card.json ...]
//
// Each input is a card or a Teams message whose first attachment holds the
// card. Prints one JSON object on stdout:
//   {"chromium":"…","adaptivecards":"…","cards":[{"input","png","bytes","width","height","version","events":[…]}]}
// where events lists every parse and validation warning or error (an empty
// list means the renderer accepted the card as is). Exits 2 on bad usage,
// 1 when chromium cannot be started or a card cannot be read.
"use strict";

const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { pathToFileURL } = require("node:url");
const { chromium } = require("playwright-core");

// Flags for a headless chromium that talks to nothing but the page.
// Playwright adds --headless and --no-sandbox itself (headless: true,
// chromiumSandbox: false) and takes the user data dir as an argument.
const FLAGS = ["--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-sandbox", "--hide-scrollbars"];

function usage(msg) {
  process.stderr.write(`render.js: ${msg}\nusage: node render.js --out DIR card.json [card.json ...]\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const args = { out: "", inputs: [] };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--out") {
      args.out = argv[++i] || usage("--out needs a directory");
    } else {
      args.inputs.push(argv[i]);
    }
  }
  if (!args.out) usage("--out is required");
  if (args.inputs.length === 0) usage("no card files");
  return args;
}

// cardOf returns the Adaptive Card in a file: the file itself or the
// content of a Teams message's first attachment.
function cardOf(file) {
  const json = JSON.parse(fs.readFileSync(file, "utf8"));
  if (json.type === "message" && Array.isArray(json.attachments) && json.attachments.length > 0) {
    return json.attachments[0].content;
  }
  return json;
}

function pngName(file) {
  return path.basename(file).replace(/(\.golden)?\.json$/, "") + ".png";
}

async function renderAll(page, inputs, out) {
  const cards = [];
  for (const input of inputs) {
    const result = await page.evaluate((card) => window.renderCard(card), cardOf(input));
    const png = path.join(out, pngName(input));
    const el = await page.$("#card");
    const box = await el.boundingBox();
    await el.screenshot({ path: png });
    cards.push({ input, png, bytes: fs.statSync(png).size, width: Math.round(box.width),
      height: Math.round(box.height), version: result.version, events: result.events });
  }
  return cards;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  fs.mkdirSync(args.out, { recursive: true });
  const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cardrender-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath, headless: true, args: FLAGS, viewport: { width: 700, height: 600 }, deviceScaleFactor: 1,
  });
  try {
    const page = await context.newPage();
    await page.goto(pathToFileURL(path.join(__dirname, "page.html")).href);
    await page.waitForFunction(() => typeof window.renderCard === "function" && typeof window.AdaptiveCards === "object");
    const cards = await renderAll(page, args.inputs, args.out);
    const version = context.browser() ? context.browser().version() : "";
    const acVersion = require("adaptivecards/package.json").version;
    process.stdout.write(JSON.stringify({ chromium: version, adaptivecards: acVersion, cards }) + "\n");
  } finally {
    await context.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`render.js: ${err && err.stack ? err.stack : err}\n`);
  process.exit(1);
});
