#!/usr/bin/env bash
# The project's test command. Runs everything: unit and integration tests (cargo), then builds
# the flagship site and checks every page of it in headless Chromium (axe-core, console errors,
# layout at 390 px, links and anchors, served at / and under a subpath, opened from file://)
# and with the Nu Html Checker; then the same for the documentation site in docs/ and the site
# `explainer new` writes. Installs the
# browser tools first if they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup-test-tools.sh

echo "== cargo test"
cargo test --all-targets

echo "== browser checks can fail (self-test on deliberately broken pages)"
bash tests/browser/selftest.sh

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "== build the flagship site"
cargo run --release --quiet -- build --output "$work/public"

echo "== Nu Html Checker"
node tests/browser/vnu.mjs "$work/public"

echo "== headless Chromium"
node tests/browser/check.mjs "$work/public"

echo "== the numbers fixture (en, zh, de: figures, dates, charts) in the Nu Html Checker and Chromium"
cargo run --release --quiet -- build --root tests/sites/numbers --output "$work/numbers"
node tests/browser/vnu.mjs "$work/numbers"
node tests/browser/check.mjs "$work/numbers"

echo "== the documentation site (docs/): check, build, Nu Html Checker, headless Chromium"
cargo run --release --quiet -- check --root docs
cargo run --release --quiet -- build --root docs --output "$work/docs"
node tests/browser/vnu.mjs "$work/docs"
node tests/browser/check.mjs "$work/docs"

echo "== the site \`explainer new\` starts an author with: built, Nu Html Checker, headless Chromium"
cargo run --release --quiet -- new "$work/scaffold"
cargo run --release --quiet -- build --root "$work/scaffold" --output "$work/scaffold-public"
node tests/browser/vnu.mjs "$work/scaffold-public"
node tests/browser/check.mjs "$work/scaffold-public"

echo "all tests passed"
