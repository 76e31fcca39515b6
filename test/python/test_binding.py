"""The Python binding works: the wheel built by `npx projen package:python` installs into a
fresh virtual environment with aws-cdk-lib for Python, and the reference app written in
Python (app.py) synthesizes the same templates as the TypeScript one (demo/app.ts).

Run with `npx projen test:python` (builds the wheel first), or, with a wheel in dist/python/:
`.venv/bin/pytest test/python`.
"""
import difflib
import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent


def stack_templates(assembly: Path) -> dict:
    """Artifact id -> template of every stack of a cloud assembly (nested assemblies included)."""
    manifest = json.loads((assembly / "manifest.json").read_text())
    out = {}
    for artifact_id, artifact in manifest.get("artifacts", {}).items():
        if artifact.get("type") == "aws:cloudformation:stack":
            out[artifact_id] = json.loads((assembly / artifact["properties"]["templateFile"]).read_text())
        elif artifact.get("type") == "cdk:cloud-assembly":
            out.update(stack_templates(assembly / artifact["properties"]["directoryName"]))
    return out


def normalize(template: dict) -> dict:
    """The template without what depends on the language or the CDK tooling: aws:cdk:* metadata,
    CDKMetadata, and the bootstrap version check. Everything else, acknowledgements written into
    Metadata included, must be equal."""
    t = json.loads(json.dumps(template))
    for logical_id, resource in list(t.get("Resources", {}).items()):
        if resource.get("Type") == "AWS::CDK::Metadata":
            del t["Resources"][logical_id]
            continue
        metadata = {k: v for k, v in resource.get("Metadata", {}).items() if not k.startswith("aws:cdk:")}
        if metadata:
            resource["Metadata"] = metadata
        else:
            resource.pop("Metadata", None)
    t.get("Parameters", {}).pop("BootstrapVersion", None)
    t.get("Rules", {}).pop("CheckBootstrapVersion", None)
    t.get("Conditions", {}).pop("CDKMetadataAvailable", None)
    return {k: v for k, v in t.items() if v != {}}


@pytest.fixture(scope="session")
def wheel() -> Path:
    wheels = sorted((ROOT / "dist" / "python").glob("*.whl"))
    if not wheels:
        pytest.fail("no wheel in dist/python/: run `npx projen compile && npx projen package:python` (or `npx projen test:python`)")
    newest = max(wheels, key=lambda w: w.stat().st_mtime)
    jsii = ROOT / ".jsii"
    if jsii.exists() and newest.stat().st_mtime < jsii.stat().st_mtime:
        pytest.fail(f"{newest.name} is older than .jsii: rebuild it with `npx projen package:python`")
    return newest


def test_wheel_ships_only_the_library(wheel: Path) -> None:
    """The wheel embeds the npm tarball: neither may carry a virtual environment, cdk-latest or build output."""
    import io
    import tarfile
    import zipfile

    # The npm tarball inside is about 3 MB: 1.6 MB of it mermaid's browser build for the HTML report
    # (lib/report/vendor), 0.5 MB the bundled ajv and yaml of PartnerRegistry: 4 MB, as the npm package's cap in test/package.test.ts.
    assert wheel.stat().st_size < 4 * 1024 * 1024, f"{wheel.name} is {wheel.stat().st_size} bytes"
    with zipfile.ZipFile(wheel) as whl:
        tarballs = [n for n in whl.namelist() if n.endswith(".tgz")]
        assert len(tarballs) == 1, tarballs
        with tarfile.open(fileobj=io.BytesIO(whl.read(tarballs[0]))) as tgz:
            names = [m.name.removeprefix("package/") for m in tgz.getmembers() if m.isfile()]
    # Under node_modules/ only the bundled dependencies (PartnerRegistry's ajv and yaml) and theirs: the production
    # packages of the lock file, as test/package.test.ts allows them in the npm package.
    lock = json.loads((ROOT / "package-lock.json").read_text())["packages"]
    bundled = {p.removeprefix("node_modules/") for p, meta in lock.items() if p.startswith("node_modules/") and not meta.get("dev") and not meta.get("peer")}

    def is_bundled(n: str) -> bool:
        return any(n.startswith(f"node_modules/{b}/") and "node_modules/" not in n[len(f"node_modules/{b}/"):] for b in bundled)

    stray = [
        n for n in names
        if (n.split("/")[0] in (".venv", ".cdk-latest", "cdk.out", "src", "test") or n.endswith((".tgz", ".whl")))
        or (n.startswith("node_modules/") and not is_bundled(n))
    ]
    assert stray == []
    assert {"ajv", "yaml"} <= bundled and all(f"node_modules/{b}/package.json" in names for b in bundled)
    assert "lib/index.js" in names and ".jsii" in names


@pytest.fixture(scope="session")
def python(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the wheel, aws-cdk-lib and constructs (versions of constraints.txt)."""
    env_dir = tmp_path_factory.mktemp("binding-venv")
    venv.create(env_dir, with_pip=True)
    exe = env_dir / "bin" / "python"
    subprocess.run(
        [str(exe), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(wheel), "-c", str(HERE / "constraints.txt")],
        check=True,
    )
    return exe


def synth_typescript(outdir: Path) -> None:
    env = {**os.environ, "TS_NODE_PROJECT": "test/tsconfig.json", "TS_NODE_TRANSPILE_ONLY": "true"}
    script = "require('./demo/app').buildDemoApp(process.argv[1]).synth()"
    subprocess.run(["node", "-r", "ts-node/register", "-e", script, str(outdir)], cwd=ROOT, env=env, check=True)


def assert_same_templates(language: str, app: Path, assembly: Path, tmp_path: Path) -> None:
    """Every stack of the cloud assembly `assembly`, made by the reference app written in `language`
    (`app`), equals its twin of demo/app.ts, apart from what `normalize` leaves out."""
    synth_typescript(tmp_path / "ts")
    other = stack_templates(assembly)
    ts = stack_templates(tmp_path / "ts")
    where = app.relative_to(ROOT)
    assert "DataProducer" in other, f"{where} must define the producer stack; it defines {sorted(other)}"
    assert set(other) == set(ts), f"stacks differ: demo/app.ts {sorted(ts)}, {where} {sorted(other)}"
    for name in sorted(other):
        a = json.dumps(normalize(ts[name]), indent=1, sort_keys=True).splitlines()
        b = json.dumps(normalize(other[name]), indent=1, sort_keys=True).splitlines()
        diff = "\n".join(difflib.unified_diff(a, b, f"{name} (TypeScript)", f"{name} ({language})", lineterm="", n=3))
        assert not diff, f"{name} differs between demo/app.ts and {where}:\n{diff}"


def test_python_app_synthesizes_the_typescript_templates(python: Path, tmp_path: Path) -> None:
    subprocess.run([str(python), str(HERE / "app.py"), str(tmp_path / "py")], cwd=HERE, check=True)
    assert_same_templates("Python", HERE / "app.py", tmp_path / "py", tmp_path)
