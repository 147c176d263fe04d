"""The npm-installed tools the tests use (package.json: vnu-jar, axe-core), found in node_modules/.

`npm ci` installs them (`make test` runs it when node is there; `.ci/run` installs Java from apt first, because
vnu-jar's install script would otherwise try to download a JDK). Without node, `npm ci` or Java the tests that
need them are skipped locally with the command that fixes it, and fail under CI=true: CI never skips them.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
NODE_MODULES = REPO / "node_modules"
NPM_HINT = "在仓库根目录运行 npm ci（需要 node 和 npm：sudo apt-get install nodejs npm）"
JAVA_HINT = "Nu HTML Checker（vnu-jar）需要 Java 11 或更高版本：sudo apt-get install default-jre-headless"


def _missing(message: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true：这个测试不能跳过。{message}", pytrace=False)
    pytest.skip(message)


def require_npm_file(relative: str) -> Path:
    """node_modules/<relative>; skips the test locally when it is missing, fails it under CI=true."""
    path = NODE_MODULES / relative
    if not path.is_file():
        _missing(f"找不到 node_modules/{relative}。{NPM_HINT}")
    return path


def require_java(minimum: int = 11) -> str:
    """The java executable (major version >= minimum); skips locally, fails under CI=true."""
    java = shutil.which("java")
    if java is None:
        _missing(f"找不到 java。{JAVA_HINT}")
    shown = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=60).stderr
    match = re.search(r'version "(\d+)(?:\.(\d+))?', shown)
    major = int(match.group(1)) if match else 0
    if major == 1 and match and match.group(2):  # "1.8.0" is Java 8
        major = int(match.group(2))
    if major < minimum:
        _missing(f"java 版本过旧（{shown.splitlines()[0] if shown else '未知'}）。{JAVA_HINT}")
    return java
