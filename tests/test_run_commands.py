"""`make run` and scripts/run-county.sh: a port that is no port number is refused with one Chinese
sentence before anything is set up or started; a port asked for that is taken stops the script.
scripts/ensure-test-tools.sh: each tool the tests drive is checked by what they call."""
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

NOT_PORTS = [pytest.param("abc", id="not a number"), pytest.param("99999", id="beyond 65535"),
             pytest.param("0", id="zero"), pytest.param("80 80", id="two numbers")]


@pytest.fixture
def county_script(tmp_path):
    """scripts/run-county.sh in a copy of the project root whose .venv is this interpreter's: the
    port is checked before anything else runs, so a refused port starts nothing."""
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts" / "run-county.sh").write_bytes((ROOT / "scripts" / "run-county.sh").read_bytes())
    (tmp_path / ".venv").symlink_to(Path(sys.prefix))
    return tmp_path


@pytest.mark.parametrize("port", NOT_PORTS)
@pytest.mark.parametrize("variable, what", [("PORT", "看板"), ("LAKOU_PG_PORT", "PostgreSQL")], ids=["app", "database"])
def test_run_county_refuses_a_port_that_is_not_one_in_chinese(county_script, port, variable, what):
    """`make run-county PORT=abc` printed a Python traceback in English and then said the port was
    "已被占用" (taken), which is not why."""
    done = subprocess.run(["bash", "scripts/run-county.sh"], cwd=county_script, capture_output=True, text=True,
                          env={**os.environ, variable: port}, timeout=60)
    assert done.returncode != 0
    assert done.stderr.strip() == f"{what}的端口“{port}”不是有效的端口号：请写 1 到 65535 之间的整数（如 8600）。"
    assert not (county_script / "data").exists()  # nothing was started


def test_run_county_stops_when_the_port_asked_for_is_taken(county_script):
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = held.getsockname()[1]
        done = subprocess.run(["bash", "scripts/run-county.sh"], cwd=county_script, capture_output=True, text=True,
                              env={**os.environ, "PORT": str(port)}, timeout=60)
    assert done.returncode != 0
    assert done.stderr.strip() == f"看板的端口 {port} 已被占用：请换一个端口，或先停止占用它的程序。"
    assert not (county_script / "data").exists()


@pytest.mark.parametrize("port", [*NOT_PORTS, pytest.param("", id="empty")])
@pytest.mark.parametrize("target", ["run", "run-county"])
def test_make_refuses_a_port_that_is_not_one_before_setting_anything_up(tmp_path, port, target):
    """`make run PORT=abc` set up the environment and started Streamlit, which failed in English.
    Run in a copy holding only the Makefile: a refusal that came after the set-up would try to
    make a .venv there."""
    (tmp_path / "Makefile").write_bytes((ROOT / "Makefile").read_bytes())
    done = subprocess.run(["make", "-s", target, f"PORT={port}"], cwd=tmp_path, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode != 0
    assert f"看板的端口“{port}”不是有效的端口号：请写 1 到 65535 之间的整数（如 make run PORT=8600）。" in done.stderr
    assert "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == [tmp_path / "Makefile"]  # nothing was set up


@pytest.mark.parametrize("port", ["1", "8600", "08600", "65535"])
def test_make_takes_a_port_number(tmp_path, port):
    (tmp_path / "Makefile").write_bytes((ROOT / "Makefile").read_bytes())
    done = subprocess.run(["make", "-s", "check-port", f"PORT={port}"], cwd=tmp_path, capture_output=True, text=True,
                          timeout=60)
    assert (done.returncode, done.stderr) == (0, "")


MACHINE = {  # the files a complete machine has, under TOOLS_ROOT
    "chromium": "usr/bin/chromium",
    "calc": "usr/lib/libreoffice/program/libsclo.so",
    "initdb": "usr/lib/postgresql/15/bin/initdb",
    "pg_ctl": "usr/lib/postgresql/15/bin/pg_ctl",
    "postgres": "usr/lib/postgresql/15/bin/postgres",
}


@pytest.mark.parametrize("absent, says", [
    pytest.param((), None, id="everything there"),
    pytest.param(("calc",), "libreoffice-calc-nogui", id="Writer but not Calc: soffice alone is not enough"),
    pytest.param(("soffice",), "libreoffice-calc-nogui", id="no LibreOffice"),
    pytest.param(("chromium",), "chromium", id="no Chromium"),
    pytest.param(("font",), "fonts-noto-cjk fontconfig", id="no CJK font"),
    pytest.param(("pg_ctl",), "postgresql", id="initdb without pg_ctl"),
    pytest.param(("calc", "postgres"), "libreoffice-calc-nogui postgresql", id="two missing"),
])
def test_the_test_tools_are_checked_each_by_what_the_tests_call(tmp_path, absent, says):
    root, bin_dir = tmp_path / "root", tmp_path / "bin"
    bin_dir.mkdir()
    for name, path in MACHINE.items():
        if name not in absent:
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_text("#!/bin/sh\n")
            (root / path).chmod(0o755)
    # PATH holds only the shell's basics and the made-up soffice and fc-list, never this machine's.
    for basic in ("ls", "grep"):
        (bin_dir / basic).symlink_to(shutil.which(basic))
    fakes = {"soffice": "exit 0", "font": "echo 'Noto Sans CJK SC:style=Regular'"}
    for name, body in fakes.items():
        if name not in absent:
            command = bin_dir / ("fc-list" if name == "font" else name)
            command.write_text(f"#!/bin/sh\n{body}\n")
            command.chmod(0o755)
    done = subprocess.run(["/bin/bash", str(ROOT / "scripts" / "ensure-test-tools.sh"), "--check"],
                          capture_output=True, text=True, timeout=30,
                          env={"PATH": str(bin_dir), "TOOLS_ROOT": str(root)})
    if says is None:
        assert (done.returncode, done.stdout) == (0, "")
    else:
        assert (done.returncode, done.stdout.strip()) == (1, f"missing: {says}")
