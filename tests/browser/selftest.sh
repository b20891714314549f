#!/usr/bin/env bash
# Self-test of the browser checks: on the good fixture both scripts must pass;
# on the faulty fixture both must fail and name every deliberate fault.
set -u
cd "$(dirname "$0")"

[ -d node_modules ] || npm ci --no-audit --no-fund

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
ok() { echo "ok   $1"; passed=$((passed + 1)); }
no() { echo "FAIL $1"; failed=$((failed + 1)); }

expect_exit() { # name wanted got output-file
  if [ "$3" = "$2" ]; then
    ok "$1 exits $2"
  else
    no "$1 exits $3, expected $2; its output:"
    sed 's/^/     | /' "$4"
  fi
}
expect_named() { # output-file fault regex
  if grep -Eq -- "$3" "$1"; then ok "names $2"; else no "does not name $2 (looked for: $3)"; fi
}

started=$(date +%s)

# ---- the good fixture
node check.mjs fixture --screenshots "$tmp/shots" >"$tmp/good-check.out" 2>&1
expect_exit "check.mjs fixture" 0 $? "$tmp/good-check.out"
pages=$(find fixture -name '*.html' | wc -l)
shots=$(find "$tmp/shots" -name '*.png' | wc -l)
if [ "$shots" -eq $((pages * 4)) ] && [ -s "$tmp/shots/a-b-index-390-dark.png" ] \
  && [ -s "$tmp/shots/zh-index-1280-light.png" ] && [ -s "$tmp/shots/404-390-light.png" ]; then
  ok "--screenshots writes $shots PNGs named <page>-<width>-<scheme>.png"
else
  no "--screenshots wrote $shots PNGs, expected $((pages * 4)): $(ls "$tmp/shots" 2>&1 | tr '\n' ' ')"
fi

node vnu.mjs fixture >"$tmp/good-vnu.out" 2>&1
expect_exit "vnu.mjs fixture" 0 $? "$tmp/good-vnu.out"

# ---- the faulty fixture
node check.mjs fixture-bad >"$tmp/bad-check.out" 2>&1
expect_exit "check.mjs fixture-bad" 1 $? "$tmp/bad-check.out"
out="$tmp/bad-check.out"
expect_named "$out" "the broken link" 'index\.html \[/\] link: broken link: <a href="missing-page\.html">'
expect_named "$out" "the missing same-page anchor" 'anchor: missing anchor: <a href="#no-such-section"> -> no id="no-such-section"'
expect_named "$out" "the missing cross-page anchor" 'anchor: .*no id="no-such-part" in a/b/index\.html'
expect_named "$out" "the image without alt (light)" 'axe-light: image-alt \(critical\) at img'
expect_named "$out" "the image without alt (dark)" 'axe-dark: image-alt \(critical\) at img'
expect_named "$out" "the dark-only contrast fault" 'axe-dark: color-contrast \(serious\) at \.dim'
expect_named "$out" "the wide element" 'overflow: scrollWidth [0-9]+ > clientWidth 390 .*widest offender: [^;]*div\.too-wide'
expect_named "$out" "the root-absolute /style.css (request under the subpath)" '\[/nested/sub/path/\] request: /style\.css answered 404'
expect_named "$out" "the root-absolute /style.css (link under the subpath)" '\[/nested/sub/path/\] link: <link href="/style\.css"> resolves to /style\.css, outside the site root'
expect_named "$out" "the root-absolute /style.css (from file://)" '\[file://\] file-request: file:///style\.css failed'
expect_named "$out" "the page error" 'pageerror: deliberate fixture error'
expect_named "$out" "the console error" 'console: deliberate console error'
if grep -q '\[/\] request: /style\.css' "$out"; then
  no "at / the root-absolute /style.css works, yet it was reported there"
else
  ok "at / the root-absolute /style.css is not reported (it works there)"
fi
if grep -E '^FAIL (404\.html|a/b/index\.html) \[(/|/nested/sub/path/)\]' "$out" >/dev/null; then
  no "the faultless pages of fixture-bad were reported: $(grep -E '^FAIL (404|a/b)' "$out" | head -3)"
else
  ok "the faultless pages of fixture-bad pass"
fi

node vnu.mjs fixture-bad >"$tmp/bad-vnu.out" 2>&1
expect_exit "vnu.mjs fixture-bad" 1 $? "$tmp/bad-vnu.out"
expect_named "$tmp/bad-vnu.out" "the duplicate id" '^index\.html:[0-9]+:[0-9]+: error: Duplicate ID “dup”'
expect_named "$tmp/bad-vnu.out" "the img without alt (vnu)" '^index\.html:[0-9]+:[0-9]+: error: An “img” element must have an “alt” attribute'
expect_named "$tmp/bad-vnu.out" "a warning" '^index\.html:[0-9]+:[0-9]+: warning: '

# ---- a valid page with only a warning: warnings fail too
node vnu.mjs fixture-warning >"$tmp/warning-vnu.out" 2>&1
expect_exit "vnu.mjs fixture-warning" 1 $? "$tmp/warning-vnu.out"
expect_named "$tmp/warning-vnu.out" "the section without a heading" '^index\.html:[0-9]+:[0-9]+: warning: Section lacks heading'

if [ "$failed" -ne 0 ]; then
  echo "--- check.mjs fixture-bad said:"
  sed 's/^/     | /' "$tmp/bad-check.out"
  echo "--- vnu.mjs fixture-bad said:"
  sed 's/^/     | /' "$tmp/bad-vnu.out"
fi
echo "selftest took $(($(date +%s) - started))s"
echo "selftest: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
