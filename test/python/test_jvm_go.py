"""The Java and Go bindings work: the reference app written in Java (test/java, against the jar of
`npx projen package:java` in dist/java) and in Go (test/go, against the module of
`npx projen package:go` in dist/go) synthesizes the same templates as the TypeScript one
(demo/app.ts), compared as test_binding.py compares the Python app.

Run with `npx projen test:bindings` (builds every package first), or, with the packages built:
`.venv/bin/pytest test/python/test_jvm_go.py`.
"""
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from test_binding import ROOT, assert_same_templates

JAVA_APP = ROOT / "test" / "java"
GO_APP = ROOT / "test" / "go"
# Where Maven keeps the jar it read from dist/java: removed before each build, since every build is 0.0.0.
M2_ARTIFACT = Path.home() / ".m2" / "repository" / "io" / "github" / "cdk-data-protection" / "cdk-data-protection"


def require_fresh(artifact: Path, build: str) -> None:
    if not artifact.exists():
        pytest.fail(f"no {artifact.relative_to(ROOT)}: run `npx projen compile && npx projen {build}` (or `npx projen test:bindings`)")
    jsii = ROOT / ".jsii"
    if jsii.exists() and artifact.stat().st_mtime < jsii.stat().st_mtime:
        pytest.fail(f"{artifact.relative_to(ROOT)} is older than .jsii: rebuild it with `npx projen {build}`")


def test_java_app_synthesizes_the_typescript_templates(tmp_path: Path) -> None:
    require_fresh(ROOT / "dist" / "java" / "io" / "github" / "cdk-data-protection" / "cdk-data-protection" / "0.0.0" / "cdk-data-protection-0.0.0.jar", "package:java")
    shutil.rmtree(M2_ARTIFACT, ignore_errors=True)
    subprocess.run(["mvn", "-q", "-B", "compile", "exec:java", f"-Dexec.args={tmp_path / 'java'}"], cwd=JAVA_APP, check=True)
    assert_same_templates("Java", JAVA_APP, tmp_path / "java", tmp_path)


def test_go_app_synthesizes_the_typescript_templates(tmp_path: Path) -> None:
    require_fresh(ROOT / "dist" / "go" / "cdkdataprotection" / "go.mod", "package:go")
    subprocess.run(["go", "run", ".", str(tmp_path / "go")], cwd=GO_APP, check=True, env={**os.environ, "GOFLAGS": "-mod=mod"})
    assert_same_templates("Go", GO_APP, tmp_path / "go", tmp_path)
