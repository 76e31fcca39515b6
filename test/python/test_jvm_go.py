"""The Java and Go bindings work: the reference app written in Java (test/java, against the jar of
`npx projen package:java` in dist/java) and in Go (test/go, against the module of
`npx projen package:go` in dist/go) synthesizes the same templates as the TypeScript one
(demo/app.ts), compared as test_binding.py compares the Python app.

Run with `npx projen test:bindings` (builds every package first), or, with the packages built:
`.venv/bin/pytest test/python/test_jvm_go.py`.
"""
import difflib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from test_binding import ROOT, normalize, stack_templates, synth_typescript

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


def assert_same_templates(language: str, app_dir: Path, tmp_path: Path) -> None:
    synth_typescript(tmp_path / "ts")
    other = stack_templates(tmp_path / language)
    ts = stack_templates(tmp_path / "ts")
    assert "DataProducer" in other, f"the {language} app must define the producer stack; it defines {sorted(other)}"
    assert set(other) == set(ts), f"stacks differ: demo/app.ts {sorted(ts)}, {app_dir.relative_to(ROOT)} {sorted(other)}"
    for name in sorted(other):
        a = json.dumps(normalize(ts[name]), indent=1, sort_keys=True).splitlines()
        b = json.dumps(normalize(other[name]), indent=1, sort_keys=True).splitlines()
        diff = "\n".join(difflib.unified_diff(a, b, f"{name} (TypeScript)", f"{name} ({language})", lineterm="", n=3))
        assert not diff, f"{name} differs between demo/app.ts and {app_dir.relative_to(ROOT)}:\n{diff}"


def test_java_app_synthesizes_the_typescript_templates(tmp_path: Path) -> None:
    require_fresh(ROOT / "dist" / "java" / "io" / "github" / "cdk-data-protection" / "cdk-data-protection" / "0.0.0" / "cdk-data-protection-0.0.0.jar", "package:java")
    shutil.rmtree(M2_ARTIFACT, ignore_errors=True)
    subprocess.run(["mvn", "-q", "-B", "compile", "exec:java", f"-Dexec.args={tmp_path / 'java'}"], cwd=JAVA_APP, check=True)
    assert_same_templates("java", JAVA_APP, tmp_path)


def test_go_app_synthesizes_the_typescript_templates(tmp_path: Path) -> None:
    require_fresh(ROOT / "dist" / "go" / "cdkdataprotection" / "go.mod", "package:go")
    subprocess.run(["go", "run", ".", str(tmp_path / "go")], cwd=GO_APP, check=True, env={**os.environ, "GOFLAGS": "-mod=mod"})
    assert_same_templates("go", GO_APP, tmp_path)
