"""What a user gets: a light import, and a wheel that carries the data."""

from __future__ import annotations

import json
import subprocess
import sys


def test_import_does_not_load_heavy_libraries():
    code = "import sys, aidstats; print(sorted(m for m in ('pandera', 'plotly', 'frictionless') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_load_does_not_load_heavy_libraries_either():
    code = "import sys, aidstats; aidstats.load('aid_deliveries'); print(sorted(m for m in ('pandera', 'plotly', 'frictionless') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_wheel_in_a_fresh_environment_loads_every_table(light_env, tmp_path):
    # light_env (conftest.py): the wheel with its plain dependencies in a fresh virtual environment, made
    # once per run; it has nothing of this environment, its editable aidstats included.
    python = light_env / "bin" / "python"
    code = (
        "import json, aidstats; "
        "print(json.dumps({'file': aidstats.__file__, 'rows': {n: len(aidstats.load(n)) for n in aidstats.list_tables()}}))"
    )
    done = subprocess.run([python, "-c", code], capture_output=True, text=True, cwd=tmp_path, env={"PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["file"].startswith(str(light_env))
    assert result["rows"]["aid_deliveries"] == 84 and result["rows"]["railway_damage"] == 16 and result["rows"]["mineral_exports"] == 16
