#!/usr/bin/python3
"""Executes notebooks through a real Jupyter client (nbclient) and writes the executed copies.

    /usr/bin/python3 notebooks/run_notebooks.py [--kernel java] [--timeout 600] [--out DIR] NOTEBOOK...

Cells tagged "raises-exception" may fail (nbclient's own convention); any other failing cell stops that notebook
and makes the exit status 1. The executed notebook is written either way, to DIR/<name>.ipynb (default: next to
the input, as <name>.executed.ipynb). Each notebook runs in its own directory, so %load finds relative files.
With SLIMLAB_NO_NETWORK=1 in the environment, cells tagged "needs-network" (e.g. %maven) are replaced by a comment.
Debian packages: python3-nbclient python3-nbformat jupyter-client (and the kernelspec from kernel-config/install.sh).
"""
import argparse
import os
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError


def run(path, kernel, timeout, out_dir):
    nb = nbformat.read(path, as_version=4)
    if os.environ.get("SLIMLAB_NO_NETWORK") == "1":
        for cell in nb.cells:
            if "needs-network" in cell.get("metadata", {}).get("tags", []):
                cell.source = "// skipped: this cell needs Maven Central (SLIMLAB_NO_NETWORK=1)"
    client = NotebookClient(nb, timeout=timeout, startup_timeout=180, kernel_name=kernel,
                            allow_errors=False, record_timing=True,
                            resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}})
    name = os.path.splitext(os.path.basename(path))[0]
    target = os.path.join(out_dir, name + ".ipynb") if out_dir else os.path.splitext(path)[0] + ".executed.ipynb"
    t0 = time.time()
    ok = True
    try:
        client.execute()
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as e:
        ok = False
        print(f"{path}: FAILED\n{e}", file=sys.stderr)
    finally:
        if out_dir:
            os.makedirs(out_dir, exist_ok=True)
        nbformat.write(nb, target)
    print(f"{path}: {'ok' if ok else 'failed'} in {time.time() - t0:.1f} s -> {target}", file=sys.stderr)
    return ok


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("notebooks", nargs="+")
    p.add_argument("--kernel", default="java")
    p.add_argument("--timeout", type=int, default=600, help="seconds per cell")
    p.add_argument("--out", default=None, help="directory for the executed notebooks")
    a = p.parse_args()
    results = [run(nb, a.kernel, a.timeout, a.out) for nb in a.notebooks]
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
