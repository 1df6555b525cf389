"""python-gitlab contender for scripts/bench.ts.

Reads one command per line on stdin and answers one JSON line on stdout:
  run   -> {"ok": true, "ms": total, "firstMs": first page, "ids": [...]}
  quit  -> exits
Each run uses a new Gitlab object (new HTTP session), like the other contenders.
argv: URL GROUP (id or full path); the token comes in the environment (BENCH_GITLAB_TOKEN), never argv.
"""
import json
import os
import sys
import time

import gitlab


def run(url, group_id, token):
    started = time.perf_counter()
    first_ms = None
    ids = []
    gl = gitlab.Gitlab(url, private_token=token, per_page=100)
    try:
        group = gl.groups.get(group_id, lazy=True)
        # iterator=True: python-gitlab's generator over pages, following Link rel="next".
        for pkg in group.packages.list(iterator=True, per_page=100):
            if first_ms is None:
                first_ms = (time.perf_counter() - started) * 1000
            ids.append(pkg.id)
    finally:
        gl.session.close()
    return {"ok": True, "ms": (time.perf_counter() - started) * 1000, "firstMs": first_ms, "ids": ids}


def main():
    url, group_id = sys.argv[1], sys.argv[2]
    token = os.environ["BENCH_GITLAB_TOKEN"]
    print(json.dumps({"ready": True, "version": gitlab.__version__}), flush=True)
    for line in sys.stdin:
        cmd = line.strip()
        if cmd == "quit":
            return
        if cmd != "run":
            continue
        try:
            result = run(url, group_id, token)
        except Exception as e:  # reported as a failed run, the bench goes on
            result = {"ok": False, "error": f"{type(e).__name__}: {e}"}
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
