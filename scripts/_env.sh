# Sourced by scripts/demo and scripts/test: find Python ≥ 3.12 (Django 6.1 needs it) and make .venv.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

find_python() {
  local c
  for c in "${PYTHON:-}" python3.13 python3.12 python3 \
           $(ls -d "$HOME"/.pyenv/versions/3.1[2-9]*/bin/python3 /root/.pyenv/versions/3.1[2-9]*/bin/python3 \
                   /usr/local/bin/python3.1[2-9] /usr/bin/python3.1[2-9] 2>/dev/null); do
    [ -n "$c" ] || continue
    if "$c" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then
      echo "$c"; return 0
    fi
  done
  echo "Hadir needs Python 3.12 or newer (Django 6.1); set PYTHON=/path/to/python3.12" >&2
  return 1
}

if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then
  rm -rf .venv
  "$(find_python)" -m venv .venv
fi
PY="$ROOT/.venv/bin/python"
export PATH="$ROOT/.venv/bin:$PATH"
