"""The npm package as a user gets it: the tarball of `npx projen package:js` (dist/js) installed into a
new app, whose `npx cdk-data-protection scan --app "<command>"` synthesizes the app, prints the findings
with their rule ids and writes the access reports (JSON, Markdown, HTML), the findings and the SARIF log.

aws-cdk-lib and constructs come from this clone's node_modules (file: dependencies, linked), so the test
needs no network. Run with `npx projen test:bindings`, or with the tarball built: `.venv/bin/pytest
test/python/test_npm_package.py`.
"""
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from test_binding import ROOT

APP = """
const { App, Stack } = require('aws-cdk-lib');
const s3 = require('aws-cdk-lib/aws-s3');
const { AccessLevel, EncryptedBucket, Partner } = require('cdk-data-protection');

const app = new App();
const stack = new Stack(app, 'Data', { env: { account: '111111111111', region: 'eu-west-1' } });
new s3.Bucket(stack, 'Plain');
new EncryptedBucket(stack, 'Exchange').shareWith(Partner.account('222222222222'), AccessLevel.READ, { prefix: 'outbound/' });
"""


def tarball() -> Path:
    found = sorted((ROOT / "dist" / "js").glob("cdk-data-protection@*.tgz"))
    if not found:
        pytest.fail("no dist/js/cdk-data-protection@*.tgz: run `npx projen compile && npx projen package:js` (or `npx projen test:bindings`)")
    jsii = ROOT / ".jsii"
    if jsii.exists() and found[-1].stat().st_mtime < jsii.stat().st_mtime:
        pytest.fail(f"{found[-1].relative_to(ROOT)} is older than .jsii: rebuild it with `npx projen package:js`")
    return found[-1]


def install(app_dir: Path) -> None:
    app_dir.mkdir()
    (app_dir / "package.json").write_text(json.dumps({
        "name": "scanned-app",
        "private": True,
        "dependencies": {
            "aws-cdk-lib": f"file:{ROOT / 'node_modules' / 'aws-cdk-lib'}",
            "constructs": f"file:{ROOT / 'node_modules' / 'constructs'}",
            "cdk-data-protection": f"file:{tarball()}",
        },
    }))
    (app_dir / "app.js").write_text(APP)
    subprocess.run(
        ["npm", "install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts", "--legacy-peer-deps"],
        cwd=app_dir, check=True, stdout=subprocess.DEVNULL,
    )


def test_npx_scan_from_the_installed_package(tmp_path: Path) -> None:
    app_dir = tmp_path / "app"
    install(app_dir)
    installed = app_dir / "node_modules" / "cdk-data-protection"
    assert not installed.is_symlink(), "the package is installed from its tarball, not linked to the clone"
    assert (installed / "lib" / "report" / "vendor" / "mermaid.min.js").is_file()

    env = {k: v for k, v in os.environ.items() if not k.startswith(("CDK_", "JSII_"))}
    run = subprocess.run(
        ["npx", "--no-install", "cdk-data-protection", "scan", "--app", "node app.js", "--output", "reports"],
        cwd=app_dir, env=env, capture_output=True, text=True, timeout=300,
    )
    # Open findings on the plain bucket: exit 1, one line each with rule id, construct path and the fix.
    assert run.returncode == 1, run.stdout + run.stderr
    lines = [line for line in run.stdout.splitlines() if line.startswith("ERROR")]
    assert any(line.split()[1] == "DataProtection-DP1" and line.split()[2] == "Data/Plain/Resource" for line in lines), run.stdout
    assert all(" — " in line and "Fix: " in line for line in lines), run.stdout
    # The EncryptedBucket has none of its own.
    assert not any("Data/Exchange" in line for line in lines), run.stdout

    reports = app_dir / "reports"
    written = sorted(p.name for p in reports.iterdir())
    for name in ["Data.data-protection.json", "Data.data-protection.md", "data-protection.html", "data-protection-findings.json", "data-protection.sarif"]:
        assert name in written, written

    report = json.loads((reports / "Data.data-protection.json").read_text())
    assert [p["partner"] for p in report["partners"]] == ["account 222222222222"]
    assert "account 222222222222" in (reports / "Data.data-protection.md").read_text()
    html = (reports / "data-protection.html").read_text()
    assert "account 222222222222" in html and "mermaid" in html and "<script src=" not in html

    findings = json.loads((reports / "data-protection-findings.json").read_text())
    assert "DataProtection-DP1" in {f["ruleId"] for f in findings["findings"]}
    sarif = json.loads((reports / "data-protection.sarif").read_text())
    assert sarif["version"] == "2.1.0"
    assert "DataProtection-DP1" in {r["ruleId"] for r in sarif["runs"][0]["results"]}
    shutil.rmtree(app_dir / "node_modules")
