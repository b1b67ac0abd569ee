"""What a user gets: a light import, and a wheel that carries the data."""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
import venv

from conftest import ROOT


def test_import_does_not_load_heavy_libraries():
    code = "import sys, aidstats; print(sorted(m for m in ('pandera', 'plotly', 'frictionless') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_load_does_not_load_heavy_libraries_either():
    code = "import sys, aidstats; aidstats.load('aid_deliveries'); print(sorted(m for m in ('pandera', 'plotly', 'frictionless') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_wheel_in_a_fresh_environment_loads_every_table(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = dist.glob("aidstats-*.whl")
    env_dir = tmp_path / "fresh"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run([python, "-m", "pip", "install", "--no-deps", "--no-index", "-q", str(wheel)], check=True, capture_output=True)
    # The fresh environment gets only this environment's third-party libraries
    # (pandas, pyarrow), not its editable aidstats: .pth files are not read from PYTHONPATH.
    code = (
        "import json, aidstats; "
        "print(json.dumps({'file': aidstats.__file__, 'rows': {n: len(aidstats.load(n)) for n in aidstats.list_tables()}}))"
    )
    site = sysconfig.get_paths()["purelib"]
    done = subprocess.run(
        [python, "-c", code], capture_output=True, text=True, cwd=tmp_path, env={"PYTHONPATH": site, "PATH": "/usr/bin:/bin"}
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["file"].startswith(str(env_dir))
    assert result["rows"]["aid_deliveries"] == 84 and result["rows"]["railway_damage"] == 16 and result["rows"]["mineral_exports"] == 16
