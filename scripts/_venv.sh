# Sourced by scripts/demo and scripts/test: make .venv with samizdat installed.
# Usage: ensure_venv [extras]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${SAMIZDAT_VENV:-$ROOT/.venv}"

ensure_venv() {
  local extras="${1:-}"
  local python="${PYTHON:-python3}"
  if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "samizdat needs Python 3.11 or newer as '$python' (set PYTHON=... to choose one)." >&2
    exit 1
  fi
  if [ ! -x "$VENV/bin/python" ]; then
    if ! "$python" -m venv "$VENV"; then
      echo "Could not create a virtual environment. On Debian: apt-get install python3-venv" >&2
      exit 1
    fi
  fi
  local spec="$ROOT"
  [ -n "$extras" ] && spec="$ROOT[$extras]"
  # A stamp of pyproject.toml skips the install when nothing changed since the last one.
  local stamp="$VENV/.samizdat-installed-${extras:-base}"
  if [ ! -f "$stamp" ] || [ "$ROOT/pyproject.toml" -nt "$stamp" ]; then
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
    "$VENV/bin/python" -m pip install --quiet -e "$spec"
    touch "$stamp"
  fi
}
