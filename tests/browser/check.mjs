#!/usr/bin/env node
// Browser-level checks of a static site built by explainer.
//
//   node check.mjs SITE_DIR [--subpath /some/prefix/] [--screenshots OUT_DIR]
//                  [--concurrency N] [--timeout MS] [--chromium PATH]
//
// See README.md in this folder for what is checked.

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer, normaliseMount, fileForPath } from './server.mjs';

const require = createRequire(import.meta.url);
const AXE_PATH = require.resolve('axe-core/axe.min.js');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const MOBILE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
const LAUNCH_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// ---------------------------------------------------------------- arguments

function usage(msg) {
  if (msg) console.error(`check.mjs: ${msg}`);
  console.error(
    'usage: node check.mjs SITE_DIR [--subpath /nested/sub/path/] [--screenshots OUT_DIR]\n' +
      '                      [--concurrency N] [--timeout MS] [--chromium PATH]',
  );
  process.exit(2);
}

function parseArgs(argv) {
  const opts = {
    subpath: '/nested/sub/path/',
    screenshots: null,
    concurrency: 2,
    timeout: 60000,
    chromium: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  };
  const positional = [];
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i];
    let value;
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0) {
      value = arg.slice(eq + 1);
      arg = arg.slice(0, eq);
    }
    const next = () => {
      if (value !== undefined) return value;
      if (i + 1 >= argv.length) usage(`${arg} needs a value`);
      return argv[++i];
    };
    switch (arg) {
      case '--subpath': opts.subpath = next(); break;
      case '--screenshots': opts.screenshots = next(); break;
      case '--concurrency': opts.concurrency = Math.max(1, parseInt(next(), 10) || 1); break;
      case '--timeout': opts.timeout = Math.max(1000, parseInt(next(), 10) || 60000); break;
      case '--chromium': opts.chromium = next(); break;
      case '-h':
      case '--help': usage();
      // falls through (usage exits)
      default:
        if (arg.startsWith('--')) usage(`unknown option ${arg}`);
        positional.push(arg);
    }
  }
  if (positional.length !== 1) usage('expected exactly one SITE_DIR');
  opts.siteDir = path.resolve(positional[0]);
  if (!fs.existsSync(opts.siteDir) || !fs.statSync(opts.siteDir).isDirectory()) {
    usage(`${positional[0]} is not a directory`);
  }
  opts.subpath = normaliseMount(opts.subpath);
  if (opts.subpath === '/') usage('--subpath must not be "/"');
  return opts;
}

// ---------------------------------------------------------------- helpers

function findPages(dir, rel = '') {
  const out = [];
  for (const ent of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${ent.name}` : ent.name;
    if (ent.isDirectory()) out.push(...findPages(dir, r));
    else if (ent.isFile() && /\.html$/i.test(ent.name)) out.push(r);
  }
  return out.sort();
}

function isFile(p) {
  try { return fs.statSync(p).isFile(); } catch { return false; }
}
function isDir(p) {
  try { return fs.statSync(p).isDirectory(); } catch { return false; }
}

// URL path (relative to the mount) by which a page is reached:
// "a/b/index.html" -> "a/b/", "404.html" -> "404.html".
function pageUrlPath(rel) {
  const parts = rel.split('/').map(encodeURIComponent);
  if (parts[parts.length - 1] === 'index.html') parts[parts.length - 1] = '';
  return parts.join('/');
}

function screenshotName(rel, width, scheme) {
  return `${rel.replace(/\.html$/i, '').replace(/[\/\\]+/g, '-')}-${width}-${scheme}.png`;
}

async function pool(items, n, fn) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const k = next++;
      await fn(items[k], k);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
}

const fmtBytes = (n) => n.toLocaleString('en-US');
const oneLine = (s) => String(s).replace(/\s*\n\s*/g, ' | ').trim();

// Runs in the page (works with JavaScript disabled: it is evaluated by the
// driver, not by page scripts). Collects every URL-bearing attribute and every id.
function collectLinksAndIds() {
  const out = [];
  const add = (el, attr, raw) => {
    if (raw == null) return;
    raw = raw.trim();
    if (!raw) return;
    let abs = null;
    try { abs = new URL(raw, document.baseURI).href; } catch { /* reported as invalid */ }
    out.push({ tag: el.tagName.toLowerCase(), attr, raw, abs });
  };
  const specs = [
    ['a', 'href'], ['area', 'href'], ['link', 'href'], ['img', 'src'], ['script', 'src'],
    ['iframe', 'src'], ['source', 'src'], ['audio', 'src'], ['video', 'src'], ['video', 'poster'],
    ['track', 'src'], ['embed', 'src'], ['object', 'data'], ['input', 'src'], ['form', 'action'],
    ['blockquote', 'cite'], ['q', 'cite'], ['ins', 'cite'], ['del', 'cite'],
  ];
  for (const [sel, attr] of specs) {
    for (const el of document.querySelectorAll(`${sel}[${attr}]`)) add(el, attr, el.getAttribute(attr));
  }
  for (const el of document.querySelectorAll('img[srcset], source[srcset]')) {
    for (const cand of el.getAttribute('srcset').split(/,\s+/)) add(el, 'srcset', cand.trim().split(/\s+/)[0]);
  }
  const XLINK = 'http://www.w3.org/1999/xlink';
  for (const el of document.querySelectorAll('svg *')) {
    const xl = el.getAttributeNS(XLINK, 'href');
    if (xl != null) add(el, 'xlink:href', xl);
    if (el.tagName.toLowerCase() !== 'a' && el.hasAttribute('href')) add(el, 'href', el.getAttribute('href'));
  }
  const ids = Array.from(document.querySelectorAll('[id]'), (e) => e.id);
  const hasIcon = Array.from(document.querySelectorAll('link[rel][href]'))
    .some((l) => l.relList.contains('icon'));
  return { links: out, ids, hasIcon };
}

// Runs in the page. Returns null when nothing scrolls horizontally, otherwise
// the sizes and the elements that reach furthest past the right edge.
function measureOverflow() {
  const de = document.documentElement;
  const cw = de.clientWidth;
  const sw = de.scrollWidth;
  if (sw <= cw) return null;
  const describe = (el) => {
    const parts = [];
    for (let e = el; e && e.nodeType === 1 && parts.length < 4; e = e.parentElement) {
      let s = e.tagName.toLowerCase();
      if (e.id) s += `#${e.id}`;
      const cls = typeof e.className === 'string' ? e.className.trim().split(/\s+/).filter(Boolean) : [];
      if (cls.length) s += `.${cls.slice(0, 3).join('.')}`;
      parts.unshift(s);
      if (e.id || s === 'body') break;
    }
    return parts.join(' > ');
  };
  const offenders = [];
  let index = 0;
  for (const el of document.body ? document.body.querySelectorAll('*') : []) {
    index++;
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    let right = r.right;
    const ox = getComputedStyle(el).overflowX;
    if (ox === 'visible' && el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0) {
      right = Math.max(right, r.left + el.scrollWidth);
    }
    if (right > cw + 0.5) offenders.push({ el, right, width: Math.max(r.width, el.scrollWidth), index });
  }
  // Furthest-reaching first; on a tie the deeper (later) element, which is
  // usually the real culprit rather than the ancestors it stretches.
  offenders.sort((a, b) => b.right - a.right || b.index - a.index);
  // Leave out the ancestors that the worst offender merely stretches.
  const shown = offenders.filter((o, i) => i === 0 || !o.el.contains(offenders[0].el));
  return {
    scrollWidth: sw,
    clientWidth: cw,
    widest: shown.slice(0, 3).map((o) => ({
      selector: describe(o.el),
      width: Math.round(o.width),
      right: Math.round(o.right),
    })),
  };
}

function overflowDetail(ov) {
  const w = ov.widest[0];
  let s = `scrollWidth ${ov.scrollWidth} > clientWidth ${ov.clientWidth} at ${MOBILE.width}px`;
  if (w) s += `; widest offender: ${w.selector} (width ${w.width}px, right edge ${w.right}px)`;
  if (ov.widest.length > 1) s += `; also ${ov.widest.slice(1).map((o) => o.selector).join(', ')}`;
  return s;
}

// ---------------------------------------------------------------- the run

class Run {
  constructor(opts) {
    this.opts = opts;
    this.failures = [];
    this.passed = 0;
    this.failedChecks = 0;
    this.idsByPage = new Map();
  }

  fail(where, page, check, detail) {
    this.failures.push({ where, page, check, detail: oneLine(detail) });
  }

  // Count a check as passed or failed for the closing tally; returns ok.
  tally(ok) {
    if (ok) this.passed++;
    else this.failedChecks++;
    return ok;
  }

  idsOf(rel) {
    if (this.idsByPage.has(rel)) return this.idsByPage.get(rel);
    const ids = new Set();
    try {
      const text = fs.readFileSync(path.join(this.opts.siteDir, rel), 'utf8');
      for (const m of text.matchAll(/\sid\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+))/gi)) {
        ids.add(m[1] ?? m[2] ?? m[3]);
      }
    } catch { /* missing file: reported by the link check */ }
    this.idsByPage.set(rel, ids);
    return ids;
  }

  // Attach listeners that record console errors, page errors, failed
  // requests, 4xx/5xx responses and transferred bytes.
  watch(page) {
    const rec = { console: [], pageErrors: [], sizes: [], count: 0 };
    page.on('console', (m) => {
      if (m.type() !== 'error') return;
      const loc = m.location();
      // Chromium asks for /favicon.ico by itself, some time after load, when a
      // page declares no icon. That error comes and goes with timing, so it is
      // left to the deterministic 'favicon' check instead.
      if (loc && loc.url && /^https?:\/\/[^/]+\/favicon\.ico$/.test(loc.url)) return;
      rec.console.push(`${m.text()}${loc && loc.url ? ` (${this.shortUrl(loc.url)})` : ''}`);
    });
    page.on('pageerror', (e) => rec.pageErrors.push(e.message || String(e)));
    const failed = new Map();
    const answered = new Map();
    page.on('requestfailed', (r) => {
      failed.set(r.url(), `${this.shortUrl(r.url())} failed: ${r.failure()?.errorText ?? 'unknown error'}`);
    });
    page.on('response', (r) => {
      if (r.status() >= 400) answered.set(r.url(), `${this.shortUrl(r.url())} answered ${r.status()}`);
    });
    // A 4xx/5xx answer is often followed by an abort; one report is enough.
    Object.defineProperty(rec, 'requests', {
      get: () => [...answered.values(), ...[...failed].filter(([u]) => !answered.has(u)).map(([, m]) => m)],
    });
    page.on('requestfinished', (r) => {
      rec.count++;
      rec.sizes.push(r.sizes().then((s) => s.responseBodySize + s.responseHeadersSize).catch(() => 0));
    });
    return rec;
  }

  shortUrl(u) {
    try {
      const url = new URL(u);
      if (url.protocol === 'file:') {
        const p = fileURLToPath(url);
        const rel = path.relative(this.opts.siteDir, p);
        return rel.startsWith('..') ? url.href : `file:<site>/${rel.split(path.sep).join('/')}${url.hash}`;
      }
      if (url.hostname === '127.0.0.1') return url.pathname + url.search + url.hash;
      return u;
    } catch {
      return u;
    }
  }

  async newPage(options) {
    const context = await this.browser.newContext({ ...options, serviceWorkers: 'block' });
    context.setDefaultTimeout(this.opts.timeout);
    context.setDefaultNavigationTimeout(this.opts.timeout);
    const page = await context.newPage();
    return { context, page };
  }

  async runAxe(page) {
    try {
      await page.addScriptTag({ path: AXE_PATH });
    } catch {
      // e.g. a Content-Security-Policy that refuses inline script tags
      await page.evaluate(fs.readFileSync(AXE_PATH, 'utf8'));
    }
    return page.evaluate(async (tags) => {
      const r = await window.axe.run(document, {
        runOnly: { type: 'tag', values: tags },
        resultTypes: ['violations'],
      });
      return r.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => ({
          target: n.target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : t)).join(', '),
          summary: n.failureSummary,
        })),
      }));
    }, AXE_TAGS);
  }

  reportAxe(where, rel, check, violations) {
    for (const v of violations) {
      for (const n of v.nodes) {
        this.fail(where, rel, check, `${v.id} (${v.impact}) at ${n.target}: ${v.help}. ${n.summary}`);
      }
    }
    return violations.reduce((k, v) => k + v.nodes.length, 0);
  }

  // Check links of one page. mode: {kind:'http', origin, mount} or {kind:'file'}.
  checkLinks(where, rel, links, mode, prefix = '') {
    let okLinks = true;
    let okAnchors = true;
    const siteDir = this.opts.siteDir;
    const seen = new Set();
    for (const l of links) {
      const what = `<${l.tag} ${l.attr}="${l.raw}">`;
      if (seen.has(what)) continue;
      seen.add(what);
      if (!l.abs) {
        this.fail(where, rel, `${prefix}link`, `${what} is not a valid URL`);
        okLinks = false;
        continue;
      }
      const u = new URL(l.abs);
      let file;
      if (mode.kind === 'http') {
        if (u.origin !== mode.origin) continue; // external, mailto:, data:, tel: …
        if (!u.pathname.startsWith(mode.mount)) {
          this.fail(where, rel, `${prefix}link`,
            `${what} resolves to ${u.pathname}, outside the site root ${mode.mount} (root-absolute URL?)`);
          okLinks = false;
          continue;
        }
        file = fileForPath(siteDir, mode.mount, u.pathname);
      } else {
        if (u.protocol !== 'file:') continue;
        file = fileURLToPath(u);
        const inside = path.relative(siteDir, file);
        if (inside.startsWith('..') || path.isAbsolute(inside)) {
          this.fail(where, rel, `${prefix}link`,
            `${what} resolves to ${u.pathname}, outside the site directory (root-absolute URL?)`);
          okLinks = false;
          continue;
        }
      }
      if (!file) {
        this.fail(where, rel, `${prefix}link`, `${what} resolves outside the site directory`);
        okLinks = false;
        continue;
      }
      if (isDir(file)) {
        if (mode.kind === 'file') {
          this.fail(where, rel, `${prefix}link`,
            `${what} points at a directory; from file:// that opens a listing, not its index.html`);
          okLinks = false;
          continue;
        }
        file = path.join(file, 'index.html');
      }
      const targetRel = path.relative(siteDir, file).split(path.sep).join('/');
      if (!isFile(file)) {
        this.fail(where, rel, `${prefix}link`, `broken link: ${what} -> ${targetRel} does not exist`);
        okLinks = false;
        continue;
      }
      if (u.hash.length > 1 && /\.(html?|svg)$/i.test(file)) {
        let frag;
        try { frag = decodeURIComponent(u.hash.slice(1)); } catch { frag = u.hash.slice(1); }
        if (frag.toLowerCase() === 'top') continue; // the HTML spec's built-in "top" fragment
        if (!this.idsOf(targetRel).has(frag)) {
          this.fail(where, rel, `${prefix}anchor`, `missing anchor: ${what} -> no id="${frag}" in ${targetRel}`);
          okAnchors = false;
        }
      }
    }
    this.tally(okLinks);
    this.tally(okAnchors);
  }

  async checkPage(mount, server, rel, shots) {
    const where = mount;
    const url = server.base + pageUrlPath(rel);
    const row = { rel, bytes: 0, requests: 0, axeLight: '-', axeDark: '-', console: 0, overflow: '-' };
    let links = null;
    const errs = { console: [], pageErrors: [], requests: [] };
    const merge = (rec) => {
      errs.console.push(...rec.console);
      errs.pageErrors.push(...rec.pageErrors);
      errs.requests.push(...rec.requests);
    };

    // 1. JavaScript disabled, 390 px, light: requests, bytes, overflow, links.
    {
      const { context, page } = await this.newPage({
        javaScriptEnabled: false, viewport: MOBILE, colorScheme: 'light',
      });
      const rec = this.watch(page);
      try {
        await page.goto(url, { waitUntil: 'load' });
        const ov = await page.evaluate(measureOverflow);
        if (ov) {
          row.overflow = `${ov.scrollWidth}>${ov.clientWidth}`;
          this.fail(where, rel, 'overflow', overflowDetail(ov));
        }
        this.tally(!ov);
        const got = await page.evaluate(collectLinksAndIds);
        links = got.links;
        if (!got.hasIcon) {
          this.fail(where, rel, 'favicon',
            'no <link rel="icon">: browsers then request /favicon.ico from the server root, outside the site');
        }
        this.tally(got.hasIcon);
        if (!this.idsByPage.has(rel)) this.idsByPage.set(rel, new Set(got.ids));
      } catch (e) {
        this.fail(where, rel, 'load', `no-JS load of ${this.shortUrl(url)}: ${e.message}`);
        this.tally(false);
      }
      await page.waitForTimeout(50);
      const sizes = await Promise.all(rec.sizes);
      row.bytes = sizes.reduce((a, b) => a + b, 0);
      row.requests = rec.count;
      merge(rec);
      await context.close();
    }

    // 2. and 3. JavaScript enabled, light at 1280 px and dark at 390 px: axe,
    // errors; screenshots at both widths when asked.
    const runs = [
      { scheme: 'light', viewport: DESKTOP, other: MOBILE, check: 'axe-light', key: 'axeLight' },
      { scheme: 'dark', viewport: MOBILE, other: DESKTOP, check: 'axe-dark', key: 'axeDark' },
    ];
    for (const r of runs) {
      const { context, page } = await this.newPage({
        javaScriptEnabled: true, viewport: r.viewport, colorScheme: r.scheme,
      });
      const rec = this.watch(page);
      try {
        await page.goto(url, { waitUntil: 'load' });
        await page.evaluate(() => document.fonts.ready.then(() => true));
        if (r.viewport === MOBILE && row.overflow === '-') {
          // A layout that only overflows with scripts or in dark mode.
          const ov = await page.evaluate(measureOverflow);
          if (ov) {
            row.overflow = `${ov.scrollWidth}>${ov.clientWidth}`;
            this.fail(where, rel, `overflow-${r.scheme}-js`, overflowDetail(ov));
          }
        }
        const violations = await this.runAxe(page);
        row[r.key] = this.reportAxe(where, rel, r.check, violations);
        this.tally(violations.length === 0);
        if (shots) {
          for (const vp of [r.viewport, r.other]) {
            await page.setViewportSize(vp);
            await page.screenshot({
              path: path.join(shots, screenshotName(rel, vp.width, r.scheme)),
              fullPage: true,
            });
          }
        }
      } catch (e) {
        this.fail(where, rel, 'load', `${r.scheme} JS load of ${this.shortUrl(url)}: ${e.message}`);
        this.tally(false);
      }
      merge(rec);
      await context.close();
    }

    const uniq = (a) => [...new Set(a)];
    for (const m of uniq(errs.console)) this.fail(where, rel, 'console', m);
    for (const m of uniq(errs.pageErrors)) this.fail(where, rel, 'pageerror', m);
    // A URL that answered 4xx/5xx in one load may show up as aborted in another.
    const answeredUrls = new Set(errs.requests.filter((m) => / answered \d+$/.test(m)).map((m) => m.replace(/ answered \d+$/, '')));
    errs.requests = errs.requests.filter((m) => !(/ failed: /.test(m) && answeredUrls.has(m.replace(/ failed: .*$/, ''))));
    for (const m of uniq(errs.requests)) this.fail(where, rel, 'request', m);
    this.tally(errs.console.length === 0);
    this.tally(errs.pageErrors.length === 0);
    this.tally(errs.requests.length === 0);
    row.console = uniq(errs.console).length + uniq(errs.pageErrors).length;
    return { row, links };
  }

  async checkMount(mountPrefix, pages, shots) {
    const server = await startServer(this.opts.siteDir, mountPrefix);
    const mount = server.mount;
    const rows = new Array(pages.length);
    const linksByPage = new Array(pages.length);
    try {
      if (mount !== '/') {
        // Nothing may depend on the server root: it must really be absent.
        const res = await fetch(`${server.origin}/`);
        if (res.status !== 404) this.fail(mount, '-', 'server', `/ answered ${res.status}, expected 404`);
      }
      await pool(pages, this.opts.concurrency, async (rel, i) => {
        const { row, links } = await this.checkPage(mount, server, rel, shots);
        rows[i] = row;
        linksByPage[i] = links;
      });
    } finally {
      await server.close();
    }
    const mode = { kind: 'http', origin: server.origin, mount };
    pages.forEach((rel, i) => {
      if (linksByPage[i]) this.checkLinks(mount, rel, linksByPage[i], mode);
    });
    return { mount, base: server.base, rows };
  }

  async checkFileUrls(pages) {
    const home = pages.includes('index.html') ? 'index.html' : pages[0];
    const nested = [...pages]
      .filter((p) => p.includes('/'))
      .sort((a, b) => b.split('/').length - a.split('/').length || a.localeCompare(b))[0];
    const targets = [...new Set([home, nested].filter(Boolean))];
    const where = 'file://';
    for (const rel of targets) {
      const url = pathToFileURL(path.join(this.opts.siteDir, rel)).href;
      const { context, page } = await this.newPage({
        javaScriptEnabled: false, viewport: MOBILE, colorScheme: 'light',
      });
      const rec = this.watch(page);
      try {
        await page.goto(url, { waitUntil: 'load' });
        const got = await page.evaluate(collectLinksAndIds);
        this.checkLinks(where, rel, got.links, { kind: 'file' }, 'file-');
      } catch (e) {
        this.fail(where, rel, 'file-load', e.message);
        this.tally(false);
      }
      await page.waitForTimeout(50);
      for (const m of new Set(rec.requests)) this.fail(where, rel, 'file-request', m);
      for (const m of new Set(rec.console)) this.fail(where, rel, 'file-console', m);
      this.tally(rec.requests.length === 0);
      this.tally(rec.console.length === 0);
      await context.close();
    }
    return targets;
  }
}

function printRows({ mount, base, rows }) {
  console.log(`\n== site mounted at ${mount}  (${base})`);
  const w = Math.max(4, ...rows.map((r) => r.rel.length));
  console.log(`  ${'page'.padEnd(w)}  ${'bytes'.padStart(10)}  ${'req'.padStart(3)}  axe light/dark  console  overflow`);
  for (const r of rows) {
    console.log(
      `  ${r.rel.padEnd(w)}  ${fmtBytes(r.bytes).padStart(10)}  ${String(r.requests).padStart(3)}  ` +
        `${`${r.axeLight}/${r.axeDark}`.padStart(14)}  ${String(r.console).padStart(7)}  ${r.overflow}`,
    );
  }
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const pages = findPages(opts.siteDir);
  if (pages.length === 0) {
    console.error(`check.mjs: no .html files in ${opts.siteDir}`);
    process.exit(1);
  }
  if (opts.screenshots) fs.mkdirSync(opts.screenshots, { recursive: true });
  if (!fs.existsSync(opts.chromium)) {
    console.error(`check.mjs: no browser at ${opts.chromium} (apt-get install -y chromium, or --chromium PATH)`);
    process.exit(2);
  }

  const run = new Run(opts);
  run.browser = await chromium.launch({
    executablePath: opts.chromium,
    args: LAUNCH_ARGS,
    timeout: opts.timeout,
  });
  console.log(`checking ${pages.length} page(s) in ${path.basename(opts.siteDir)}/ with Chromium ${run.browser.version()}`);
  try {
    for (const mount of ['/', opts.subpath]) {
      const shots = mount === '/' ? opts.screenshots : null;
      printRows(await run.checkMount(mount, pages, shots));
    }
    const fileTargets = await run.checkFileUrls(pages);
    console.log(`\n== file:// loads: ${fileTargets.join(', ')}`);
  } finally {
    await run.browser.close();
  }

  const secs = ((Date.now() - started) / 1000).toFixed(1);
  console.log('');
  if (run.failures.length) {
    console.log(`FAILURES (${run.failures.length}):`);
    for (const f of run.failures) console.log(`FAIL ${f.page} [${f.where}] ${f.check}: ${f.detail}`);
    console.log('');
  }
  if (opts.screenshots) console.log(`screenshots: ${pages.length * 4} PNGs in ${opts.screenshots}`);
  console.log(
    `summary: ${pages.length} page(s), mounts / and ${opts.subpath} plus file://, ` +
      `${run.failures.length} failure(s), ${secs}s`,
  );
  console.log(`${run.passed} passed, ${run.failedChecks} failed`);
  process.exit(run.failures.length || run.failedChecks ? 1 : 0);
}

main().catch((e) => {
  console.error(`check.mjs: ${e.stack || e}`);
  process.exit(1);
});
