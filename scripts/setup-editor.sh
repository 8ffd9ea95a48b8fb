#!/usr/bin/env bash
# Installs the real editor that the integration and UI tests run in: code-server (VS Code's own server and
# workbench, from the npm registry) with headless Debian Chromium as its window. Only the npm registry and apt
# are reachable here, so @vscode/test-electron cannot download VS Code. See ../shared/docs/real-editor-testing.md.
#
# Idempotent: a marker in the prefix records what was installed, and a second run only checks. The prefix is
# outside the repository, so `git clean` and `npm ci` do not throw the two-minute install away.
#
#   AKS_POLICY_EDITOR_PREFIX   where code-server goes (default /opt/aks-policy-editor)
#   AKS_POLICY_CHROMIUM        the browser (default /usr/bin/chromium)
set -euo pipefail

CODE_SERVER_VERSION=4.96.4
PREFIX="${AKS_POLICY_EDITOR_PREFIX:-/opt/aks-policy-editor}"
CHROMIUM="${AKS_POLICY_CHROMIUM:-/usr/bin/chromium}"
CODE_SERVER_DIR="$PREFIX/node_modules/code-server"
MARKER="$PREFIX/.aks-policy-editor"
NODE_MAJOR="$(node -p 'process.versions.node.split(".")[0]')"
# The marker names everything the install depends on: a different Node needs the native modules rebuilt.
WANTED="code-server@$CODE_SERVER_VERSION node@$NODE_MAJOR $(uname -m)"
REPO="$(cd "$(dirname "$0")/.." && pwd)"

say() { echo "setup-editor: $*"; }
fail() {
  echo "setup-editor: $*" >&2
  exit 1
}

# The install replaces $PREFIX/node_modules: inside the repository that would be the project's own.
case "$(realpath -m "$PREFIX")/" in
  "$REPO"/*) fail "AKS_POLICY_EDITOR_PREFIX=$PREFIX is inside the repository; choose a folder outside it" ;;
esac

# code-server 4.96.4 (VS Code 1.96.4) refuses any other Node; its postinstall checks the same.
[ "$NODE_MAJOR" = 20 ] || fail "code-server $CODE_SERVER_VERSION needs Node.js 20, this is $(node -v). Run the tests with Node 20."

editor_installed() {
  [ -f "$MARKER" ] && [ "$(cat "$MARKER")" = "$WANTED" ] && [ -f "$CODE_SERVER_DIR/out/node/entry.js" ] \
    && [ -d "$CODE_SERVER_DIR/lib/vscode/node_modules" ]
}

has_deb() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

# What apt must provide: the browser always; for building code-server's native modules (argon2, kerberos,
# node-pty, spdlog, native-watchdog) a compiler and the Kerberos headers, and Debian's rg in place of the
# ripgrep binary that @vscode/ripgrep would download.
missing_packages() {
  local missing=()
  [ -x "$CHROMIUM" ] || missing+=(chromium)
  if ! editor_installed; then
    command -v rg >/dev/null || missing+=(ripgrep)
    command -v python3 >/dev/null || missing+=(python3)
    command -v make >/dev/null || missing+=(make)
    command -v g++ >/dev/null || missing+=(g++)
    has_deb libkrb5-dev || [ -f /usr/include/gssapi/gssapi.h ] || missing+=(libkrb5-dev)
  fi
  echo "${missing[@]}"
}

install_packages() {
  local packages="$1"
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    fail "the real-editor tests need these system packages: $packages.
  Install them as root, e.g.: apt-get update && apt-get install -y $packages
  (on a system without apt: Chromium or Google Chrome, ripgrep, Python 3, make, a C++ compiler and the
  Kerberos development headers; point AKS_POLICY_CHROMIUM at the browser), then run this again."
  fi
  say "apt-get install -y $packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086 # the list is meant to split into words
  apt-get install -y -qq $packages >/dev/null
}

# @vscode/proxy-agent is locked to a git URL on GitHub; the registry's tarball of that version has the same
# integrity, so the lock entry is pointed at the registry, and refused if the integrity differs.
relock_to_registry() {
  node - "$@" <<'EOF'
const { readFileSync, writeFileSync } = require('node:fs');
const { execFileSync } = require('node:child_process');
for (const file of process.argv.slice(2)) {
  const lock = JSON.parse(readFileSync(file, 'utf8'));
  let changed = 0;
  for (const [path, entry] of Object.entries(lock.packages ?? {})) {
    if (!entry.resolved || entry.resolved.startsWith('https://registry.npmjs.org/')) continue;
    const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    const dist = JSON.parse(execFileSync('npm', ['view', `${name}@${entry.version}`, 'dist', '--json'], { encoding: 'utf8' }));
    if (dist.integrity !== entry.integrity) {
      console.error(`setup-editor: ${name}@${entry.version} from the registry has integrity ${dist.integrity}, the lock wants ${entry.integrity}; refusing to substitute it.`);
      process.exit(1);
    }
    console.log(`setup-editor: ${file.replace(/.*node_modules\//, '')}: ${name}@${entry.version} from the registry (same integrity)`);
    entry.resolved = dist.tarball;
    changed++;
  }
  if (changed) writeFileSync(file, JSON.stringify(lock, null, 2) + '\n');
}
EOF
}

# @vscode/ripgrep's postinstall downloads rg from GitHub unless its cache in $TMPDIR already holds the
# release tarball; a tarball of Debian's rg stands in for it.
seed_ripgrep_cache() {
  local tmp="$1" shrinkwrap="$2" version tag target work
  version="$(node -p "require('$shrinkwrap').packages['node_modules/@vscode/ripgrep'].version")"
  work="$(mktemp -d)"
  (cd "$work" && npm pack "@vscode/ripgrep@$version" --silent >/dev/null && tar xzf ./*.tgz)
  tag="$(sed -n "s/^const VERSION = '\(.*\)';/\1/p" "$work/package/lib/postinstall.js")"
  [ -n "$tag" ] || fail "could not read the ripgrep release tag from @vscode/ripgrep@$version's postinstall.js"
  case "$(uname -m)" in
    x86_64) target=x86_64-unknown-linux-musl ;;
    aarch64) target=aarch64-unknown-linux-musl ;;
    *) fail "no ripgrep target known for $(uname -m)" ;;
  esac
  mkdir -p "$tmp/vscode-ripgrep-cache-$version"
  cp "$(command -v rg)" "$work/rg"
  tar czf "$tmp/vscode-ripgrep-cache-$version/ripgrep-$tag-$target.tar.gz" -C "$work" rg
  rm -rf "$work"
  say "ripgrep $tag for @vscode/ripgrep@$version from $(command -v rg)"
}

install_code_server() {
  say "installing code-server $CODE_SERVER_VERSION into $PREFIX (about three minutes)"
  mkdir -p "$PREFIX" 2>/dev/null && [ -w "$PREFIX" ] \
    || fail "cannot write to $PREFIX: run this as root, or set AKS_POLICY_EDITOR_PREFIX to a folder you can write (outside the repository)"

  # Start from nothing: a half-finished install from an interrupted run is not worth repairing.
  rm -rf "$PREFIX/node_modules" "$PREFIX/package-lock.json" "$PREFIX/tmp" "$MARKER"
  echo '{ "private": true, "description": "code-server for the AKS Policy Live editor tests" }' >"$PREFIX/package.json"
  (cd "$PREFIX" && npm install --no-audit --no-fund --ignore-scripts "code-server@$CODE_SERVER_VERSION")

  relock_to_registry "$CODE_SERVER_DIR/lib/vscode/npm-shrinkwrap.json" "$CODE_SERVER_DIR/lib/vscode/extensions/npm-shrinkwrap.json"
  local tmp="$PREFIX/tmp"
  mkdir -p "$tmp"
  seed_ripgrep_cache "$tmp" "$CODE_SERVER_DIR/lib/vscode/npm-shrinkwrap.json"

  # node-gyp builds against the headers that come with this Node instead of downloading them.
  local node_prefix
  node_prefix="$(node -p 'require("path").dirname(require("path").dirname(process.execPath))')"
  if [ -z "${npm_config_nodedir:-}" ] && [ -f "$node_prefix/include/node/node.h" ]; then export npm_config_nodedir="$node_prefix"; fi
  # Runs every install script that --ignore-scripts held back: argon2's native build, and code-server's
  # postinstall, which installs VS Code's own dependencies (it refuses to run as root without unsafe_perm,
  # for which npm 11 has no flag any more).
  (cd "$PREFIX" && TMPDIR="$tmp" npm_config_unsafe_perm=true npm rebuild --foreground-scripts)

  local version
  # XDG_* keep code-server from writing a config file into the home folder.
  version="$(XDG_CONFIG_HOME="$tmp" XDG_DATA_HOME="$tmp" node "$CODE_SERVER_DIR/out/node/entry.js" --version 2>/dev/null | tail -n1 | cut -d' ' -f1)"
  rm -rf "$tmp"
  [ "$version" = "$CODE_SERVER_VERSION" ] || fail "code-server in $CODE_SERVER_DIR reports version '$version', expected $CODE_SERVER_VERSION"
  echo "$WANTED" >"$MARKER"
}

packages="$(missing_packages)"
[ -z "$packages" ] || install_packages "$packages"
[ -x "$CHROMIUM" ] || fail "no browser at $CHROMIUM: install Debian's chromium or set AKS_POLICY_CHROMIUM"
editor_installed || install_code_server

# playwright-core drives the browser; it is a devDependency, so `npm ci` brings it.
(cd "$REPO" && node -e "require.resolve('playwright-core')" 2>/dev/null) || fail "playwright-core is missing from node_modules: run npm ci"

say "ready: code-server $CODE_SERVER_VERSION in $PREFIX, browser $CHROMIUM"
