#!/usr/bin/env bash
# Installs the SlimLab Java kernelspec (name "java", display name "Java (SlimLab)") with `jupyter kernelspec install`.
#   kernel-config/install.sh [--user | --sys-prefix | --prefix DIR]
# Without an option: system-wide when run as root, else --user. Re-running replaces the kernelspec (harmless).
# Environment (set by `./slimlab kernel install`; defaults work standalone after `./slimlab build`):
#   SLIMLAB_CLASSPATH  the toolkit's runtime class path (colon separated); default: toolkit/cli/target/slimlab.classpath
#                      plus the cli jar
#   SLIMLAB_ND4J_EXT   javacpp platform extension: -onednn-avx512 if the CPU has AVX-512, else -onednn
#   JAVA               the java binary (default: $JAVA_HOME/bin/java, else java on PATH)
#   JUPYTER            the jupyter command (default: /usr/bin/jupyter, else jupyter on PATH)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
die() { printf 'kernel-config/install.sh: error: %s\n' "$*" >&2; exit 1; }

where=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --user|--sys-prefix) where=("$1"); shift ;;
    --prefix) [[ $# -ge 2 ]] || die "--prefix needs a directory"; where=(--prefix "$2"); shift 2 ;;
    --prefix=*) where=(--prefix "${1#--prefix=}"); shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) die "unknown option '$1' (use --user, --sys-prefix or --prefix DIR)" ;;
  esac
done
if [[ ${#where[@]} -eq 0 && $(id -u) -ne 0 ]]; then where=(--user); fi

# --- class path -------------------------------------------------------------------------------------------------
CP="${SLIMLAB_CLASSPATH:-}"
if [[ -z "$CP" ]]; then
  cpfile="$ROOT/toolkit/cli/target/slimlab.classpath"
  clijar="$ROOT/toolkit/cli/target/slimlab-cli-0.1.0-SNAPSHOT.jar"
  [[ -f "$cpfile" && -f "$clijar" ]] || die "the toolkit is not built ($cpfile or $clijar is missing): run ./slimlab build first"
  CP="$(tr -d '\n' < "$cpfile"):$clijar"
fi

# --- native binary extension, java, jupyter -----------------------------------------------------------------------
EXT="${SLIMLAB_ND4J_EXT:-}"
if [[ -z "$EXT" ]]; then
  if grep -qw avx512f /proc/cpuinfo 2>/dev/null; then EXT="-onednn-avx512"; else EXT="-onednn"; fi
fi
JAVA_BIN="${JAVA:-}"
if [[ -z "$JAVA_BIN" ]]; then
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then JAVA_BIN="$JAVA_HOME/bin/java"
  else JAVA_BIN="$(command -v java || true)"; fi
fi
[[ -n "$JAVA_BIN" ]] || die "no java found (install openjdk-17-jdk-headless or set JAVA)"
JUPYTER_BIN="${JUPYTER:-}"
if [[ -z "$JUPYTER_BIN" ]]; then
  if [[ -x /usr/bin/jupyter ]]; then JUPYTER_BIN=/usr/bin/jupyter; else JUPYTER_BIN="$(command -v jupyter || true)"; fi
fi
[[ -n "$JUPYTER_BIN" ]] || die "no jupyter found (install the Debian package jupyter-client)"
PY=/usr/bin/python3; [[ -x "$PY" ]] || PY="$(command -v python3)"

# --- kernel.json from the template, then jupyter kernelspec install --------------------------------------------------
spec="$(mktemp -d)"; trap 'rm -rf "$spec"' EXIT
mkdir -p "$spec/java"
"$PY" - "$HERE/kernel.json.in" "$spec/java/kernel.json" "$JAVA_BIN" "$CP" "$EXT" "$ROOT" <<'PYEOF'
import json, re, sys
template, out, java, cp, ext, root = sys.argv[1:7]
values = {"JAVA": java, "CLASSPATH": cp, "ND4J_EXT": ext, "ROOT": root}
def fill(v):
    if isinstance(v, str):
        return re.sub(r"@([A-Z0-9_]+)@", lambda m: values[m.group(1)], v)
    if isinstance(v, list):
        return [fill(x) for x in v]
    if isinstance(v, dict):
        return {k: fill(x) for k, x in v.items()}
    return v
spec = fill(json.load(open(template)))
text = json.dumps(spec, indent=2)
left = re.findall(r"@[A-Z0-9_]+@", text)
if left:
    sys.exit("unsubstituted placeholders in kernel.json: " + ", ".join(sorted(set(left))))
open(out, "w").write(text + "\n")
PYEOF
cp "$HERE/logo-64x64.png" "$spec/java/"
"$JUPYTER_BIN" kernelspec install --name java --replace ${where[@]+"${where[@]}"} "$spec/java" >&2
echo "installed kernelspec 'java' (Java (SlimLab)) ${where[*]-system-wide}; ND4J extension $EXT" >&2
