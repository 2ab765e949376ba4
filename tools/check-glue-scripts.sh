#!/usr/bin/env bash
# Compiles every Glue script in assets/glue with python3 (py_compile) and checks
# its grammar against the Python each job runs (Spark job on Glue 5.x: 3.11,
# Python shell job: 3.9), then runs the scripts' unit tests.
# Exits non-zero on the first syntax error or failing test.
# GLUE_SCRIPTS_DIR overrides the directory checked (the tests use it).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
glue_dir="${GLUE_SCRIPTS_DIR:-${root}/assets/glue}"

# Bytecode goes to a throwaway directory, not into assets/.
PYTHONPYCACHEPREFIX="$(mktemp -d)"
export PYTHONPYCACHEPREFIX
trap 'rm -rf "${PYTHONPYCACHEPREFIX}"' EXIT

shopt -s nullglob
scripts=("${glue_dir}"/*.py)
if [ "${#scripts[@]}" -eq 0 ]; then
    echo "no Glue scripts found in ${glue_dir}" >&2
    exit 1
fi

for script in "${scripts[@]}"; do
    python3 -m py_compile "${script}"
    echo "compiled ${script}"
done

# The Python shell job (and the module it imports) must parse as Python 3.9.
for script in "${glue_dir}/data_quality.py" "${glue_dir}/event_schema.py"; do
    python3 - "${script}" <<'PY'
import ast
import sys

path = sys.argv[1]
with open(path, encoding="utf-8") as source:
    ast.parse(source.read(), filename=path, feature_version=(3, 9))
print(f"parses as Python 3.9: {path}")
PY
done

python3 -m unittest discover -s "${glue_dir}" -p 'test_*.py'
