#!/usr/bin/env node
// Runs the Nu Html Checker (vnu.jar from the vnu-jar package) on every HTML
// file and every standalone SVG file of a built site.
//
//   node vnu.mjs SITE_DIR
//
// Prints each message as file:line:col: error|warning: message.
// Exits 1 on any error or warning (every site the tests build has none; a new
// warning is a regression, as the scaffold's "Section lacks heading" was).
// Needs Java 11+ on PATH (or JAVA=/path/to/java).

import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const VNU_JAR = String(require('vnu-jar'));

function findFiles(dir, rel = '') {
  const out = [];
  for (const ent of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${ent.name}` : ent.name;
    if (ent.isDirectory()) out.push(...findFiles(dir, r));
    else if (ent.isFile() && /\.(html|svg)$/i.test(ent.name)) out.push(r);
  }
  return out.sort();
}

function runVnu(files) {
  const java = process.env.JAVA || 'java';
  const args = ['-Xss4m', '-jar', VNU_JAR, '--format', 'json', '--also-check-svg', ...files];
  return new Promise((resolve, reject) => {
    const child = spawn(java, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', (e) => reject(new Error(`cannot run ${java}: ${e.message} (install Java 11+, e.g. apt-get install -y default-jre-headless)`)));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function main() {
  const argv = process.argv.slice(2);
  if (argv.length !== 1 || argv[0].startsWith('-')) {
    console.error('usage: node vnu.mjs SITE_DIR');
    process.exit(2);
  }
  const siteDir = path.resolve(argv[0]);
  if (!fs.existsSync(siteDir) || !fs.statSync(siteDir).isDirectory()) {
    console.error(`vnu.mjs: ${argv[0]} is not a directory`);
    process.exit(2);
  }
  const files = findFiles(siteDir);
  if (files.length === 0) {
    console.error(`vnu.mjs: no .html or .svg files in ${argv[0]}`);
    process.exit(1);
  }
  const started = Date.now();
  const { code, stdout, stderr } = await runVnu(files.map((f) => path.join(siteDir, f)));

  // vnu writes its JSON report to stderr.
  let report;
  const text = stderr.trim() || stdout.trim();
  try {
    report = JSON.parse(text);
  } catch {
    console.error(`vnu.mjs: could not read vnu output (exit ${code}):\n${text}`);
    process.exit(1);
  }

  const rel = (u) => {
    if (!u) return '?';
    try {
      return path.relative(siteDir, fileURLToPath(u)).split(path.sep).join('/');
    } catch {
      return u;
    }
  };
  let errors = 0;
  let warnings = 0;
  const perFile = new Map(files.map((f) => [f, 0]));
  for (const m of report.messages || []) {
    let kind;
    if (m.type === 'error' || m.type === 'non-document-error') kind = 'error';
    else if (m.type === 'info' && m.subType === 'warning') kind = 'warning';
    else continue; // plain informational notes
    if (kind === 'error') errors++;
    else warnings++;
    const file = rel(m.url);
    perFile.set(file, (perFile.get(file) || 0) + 1);
    const line = m.lastLine ?? m.firstLine ?? 0;
    const col = m.firstColumn ?? m.lastColumn ?? 0;
    const extract = m.extract ? `  [${m.extract.replace(/\s+/g, ' ').trim().slice(0, 120)}]` : '';
    console.log(`${file}:${line}:${col}: ${kind}: ${m.message}${extract}`);
  }
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  const bad = [...perFile.values()].filter((n) => n > 0).length;
  console.log(
    `vnu: ${files.length} file(s) checked, ${errors} error(s), ${warnings} warning(s), ${secs}s`,
  );
  console.log(`${files.length - bad} passed, ${bad} failed`);
  process.exit(errors > 0 || warnings > 0 ? 1 : 0);
}

main().catch((e) => {
  console.error(`vnu.mjs: ${e.message || e}`);
  process.exit(1);
});
