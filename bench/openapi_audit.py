"""OpenAPI audit benchmark: the same large spec as YAML and as JSON (time ratio, target ≤ 3), and a 12 MB
JSON spec audited end to end (targets < 2 s and < 300 MB peak RSS growth over the imported interpreter).

    PYTHONPATH=src python bench/openapi_audit.py [--mb 12] [--yaml-mb 3.2]

The spec is generated (many paths, each with parameters, a 429 response, request and response schemas, as
vendor descriptions have), written to a temporary directory and audited through ``audit_file``. Each
measurement runs in a fresh child process so peak memory is that audit's own. Prints one line per figure.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import yaml


def make_spec(target_bytes: int) -> dict:
    paths: dict = {}
    schemas: dict = {}
    i = 0
    size = 0
    while size < target_bytes:
        name = f"Resource{i}"
        schemas[name] = {"type": "object", "description": f"A {name} as the vendor returns it.",
                         "properties": {f"field_{k}": {"type": "string", "description": f"Field {k} of {name}",
                                                       "maxLength": 255} for k in range(12)}}
        ok = {"description": "OK", "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}}}
        paths[f"/v2/resources{i}/{{id}}"] = {
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "get": {"operationId": f"get{name}", "summary": f"Retrieve a {name}",
                    "parameters": [{"name": "expand", "in": "query", "schema": {"type": "array",
                                                                                  "items": {"type": "string"}}}],
                    "responses": {"200": ok, "429": {"$ref": "#/components/responses/TooMany"}}},
            "post": {"operationId": f"update{name}", "requestBody": {"content": {"application/json": {
                "schema": {"$ref": f"#/components/schemas/{name}"}}}}, "responses": {"200": ok}},
        }
        i += 1
        if i % 200 == 0:
            size = len(json.dumps({"paths": paths, "schemas": schemas}))
    return {"openapi": "3.0.3", "info": {"title": "Bench API", "version": "2"},
            "servers": [{"url": "https://api.bench.example"}], "security": [{"bearer": []}],
            "paths": paths,
            "components": {"schemas": schemas, "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
                           "responses": {"TooMany": {"description": "Too many requests",
                                                     "headers": {"Retry-After": {"schema": {"type": "integer"}}}}}}}


CHILD = """
import sys, time
from vendorvet.engine.openapi_audit import audit_file

def status(key):  # kB from /proc (ru_maxrss would report the parent's size after fork)
    for line in open("/proc/self/status"):
        if line.startswith(key):
            return int(line.split()[1])

before = status("VmRSS:")
t = time.perf_counter()
r = audit_file(sys.argv[1], max_bytes=1 << 30)
elapsed = time.perf_counter() - t
peak = status("VmHWM:")
print(f"{elapsed:.3f} {(peak - before) / 1024:.1f} {peak / 1024:.1f} {r.operations}")
"""


def measure(path: str) -> tuple[float, float, float, int]:
    out = subprocess.run([sys.executable, "-c", CHILD, path], check=True, capture_output=True, text=True,
                         env=os.environ).stdout.split()
    return float(out[0]), float(out[1]), float(out[2]), int(out[3])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=12.0, help="size of the large JSON spec (default 12)")
    ap.add_argument("--yaml-mb", type=float, default=3.2, help="size of the YAML/JSON comparison spec (default 3.2)")
    args = ap.parse_args()
    print(f"libyaml C loader available: {getattr(yaml, '__with_libyaml__', False)}")
    with tempfile.TemporaryDirectory() as tmp:
        spec = make_spec(int(args.yaml_mb * 1024 * 1024))
        jpath, ypath = os.path.join(tmp, "same.json"), os.path.join(tmp, "same.yaml")
        with open(jpath, "w") as fh:
            json.dump(spec, fh)
        with open(ypath, "w") as fh:
            # a JSON round trip unshares the dicts, so the YAML has no anchors, as vendor specs do not
            yaml.dump(json.loads(json.dumps(spec)), fh, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), sort_keys=False)
        tj = measure(jpath)
        ty = measure(ypath)
        print(f"same spec: JSON {os.path.getsize(jpath) / 1048576:.1f} MB {tj[0]:.2f} s, "
              f"YAML {os.path.getsize(ypath) / 1048576:.1f} MB {ty[0]:.2f} s, {tj[3]} operations")
        ratio = ty[0] / tj[0]
        print(f"YAML/JSON time ratio: {ratio:.1f}  (target <= 3)  {'OK' if ratio <= 3 else 'MISSED'}")
        big = make_spec(int(args.mb * 1024 * 1024))
        bpath = os.path.join(tmp, "big.json")
        with open(bpath, "w") as fh:
            json.dump(big, fh)
        del big, spec
        t, grown, peak, ops = measure(bpath)
        mb = os.path.getsize(bpath) / 1048576
        print(f"{mb:.1f} MB JSON spec ({ops} operations): {t:.2f} s (target < 2 s), memory +{grown:.0f} MB "
              f"(peak RSS {peak:.0f} MB; target < 300 MB)  {'OK' if t < 2 and grown < 300 else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
