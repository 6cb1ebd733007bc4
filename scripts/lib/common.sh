# shellcheck shell=bash
# Shared helpers for the scripts in scripts/. Source it; it sets ROOT and PATH.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export ROOT

# cargo-installed tools (tauri-driver) live here on a default rustup setup.
if [[ -d "$HOME/.cargo/bin" && ":$PATH:" != *":$HOME/.cargo/bin:"* ]]; then
  PATH="$HOME/.cargo/bin:$PATH"
  export PATH
fi

# Colours only on a terminal.
if [[ -t 1 ]]; then
  C_BOLD=$'\e[1m' C_RED=$'\e[31m' C_GREEN=$'\e[32m' C_RESET=$'\e[0m'
else
  C_BOLD='' C_RED='' C_GREEN='' C_RESET=''
fi

say() { printf '%s\n' "$*"; }
step() { printf '%s==> %s%s\n' "$C_BOLD" "$*" "$C_RESET"; }
ok() { printf '%s%s%s\n' "$C_GREEN" "$*" "$C_RESET"; }
die() { printf '%serror:%s %s\n' "$C_RED" "$C_RESET" "$*" >&2; exit 1; }

# Run a command as root (directly when we are root, else through sudo).
as_root() {
  if [[ $EUID -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    die "need root for: $* (run as root or install sudo)"
  fi
}

# Seconds as "1m05s".
fmt_secs() {
  local s=$1
  if ((s >= 60)); then printf '%dm%02ds' $((s / 60)) $((s % 60)); else printf '%ds' "$s"; fi
}

# Where cargo puts build output.
target_dir() {
  local t="${CARGO_TARGET_DIR:-target}"
  [[ $t = /* ]] || t="$ROOT/$t"
  printf '%s\n' "$t"
}

# Build the app with the UI embedded (no dev server needed): a debug build with
# the custom-protocol feature, output <target>/debug/forsat. The tauri CLI runs
# `npm run build` in ui/ first (beforeBuildCommand).
build_app() {
  local tauri="$ROOT/ui/node_modules/.bin/tauri"
  [[ -x $tauri ]] || die "the tauri CLI is missing ($tauri): run scripts/setup"
  (cd "$ROOT" && "$tauri" build --debug --no-bundle --ci)
  [[ -x "$(target_dir)/debug/forsat" ]] || die "the build did not produce $(target_dir)/debug/forsat"
}

# Start Xvfb on a free display; sets XVFB_PID and exports DISPLAY.
start_xvfb() {
  command -v Xvfb >/dev/null 2>&1 || die "Xvfb is missing: run scripts/setup"
  local fifo dir
  dir="$(mktemp -d)"
  fifo="$dir/displayfd"
  mkfifo "$fifo"
  Xvfb -displayfd 3 -screen 0 1920x1080x24 -nolisten tcp 3>"$fifo" >/dev/null 2>&1 &
  XVFB_PID=$!
  local n=""
  read -r -t 15 n <"$fifo" || true
  rm -rf "$dir"
  [[ -n $n ]] || { kill "$XVFB_PID" 2>/dev/null || true; die "Xvfb did not start"; }
  export DISPLAY=":$n"
}

stop_xvfb() {
  if [[ -n ${XVFB_PID:-} ]]; then
    kill "$XVFB_PID" 2>/dev/null || true
    wait "$XVFB_PID" 2>/dev/null || true
    XVFB_PID=""
  fi
}
