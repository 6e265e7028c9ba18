# Sourced by .ci/run: Node 24, the runtime the functions run on in Lambda.
# When the system Node is older (or missing), npm's node-linux-<arch> package
# carries the official binary; install it outside the checkout and put it
# first on PATH, so npm and everything it starts run on it.
need_node=24

node_major() {
  "$1" -v 2>/dev/null | sed -nE 's/^v([0-9]+)\..*/\1/p'
}

use_node() {
  local major arch prefix bin found
  major=$(node_major node)
  [ "${major:-0}" -ge "$need_node" ] && return 0
  found=$(node -v 2>/dev/null || echo "no Node")
  case "$(uname -m)" in
    x86_64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) echo "No Node $need_node package for $(uname -m); install Node $need_node yourself" >&2; return 1 ;;
  esac
  prefix="${HOME:-/tmp}/.node$need_node"
  bin="$prefix/node_modules/node-linux-$arch/bin"
  major=$(node_major "$bin/node")
  if [ "${major:-0}" -lt "$need_node" ]; then
    # npm alone is enough to fetch the binary; the distribution's npm brings an old Node, which is fine here.
    command -v npm >/dev/null 2>&1 || apt_install npm
    echo "Found $found, need Node $need_node: installing node-linux-$arch@$need_node into $prefix"
    npm install --prefix "$prefix" --no-audit --no-fund --no-package-lock "node-linux-$arch@$need_node" || return 1
  fi
  export PATH="$bin:$PATH"
  hash -r
  major=$(node_major node)
  if [ "${major:-0}" -lt "$need_node" ]; then
    echo "Node $need_node is not usable from $bin" >&2
    return 1
  fi
  echo "Using Node $(node -v) from $bin"
}
