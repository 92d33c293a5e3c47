#!/usr/bin/python3
"""Talks to the installed `java` kernel through jupyter_client, the way a notebook front end does.

    /usr/bin/python3 kernel-config/kernel_probe.py check         # protocol checks; exit 1 on a failure
    /usr/bin/python3 kernel-config/kernel_probe.py bench [-n 5]  # start-up timings (median of n fresh kernels)

check: complete_request and inspect_request answer, System.out streams while a cell runs (not all at the end),
an interrupt stops a loop that checks the thread's interrupt flag within 2 s, and the kernel then still runs cells.
bench: time from starting the kernel process to its kernel_info reply, and from then to the reply of the first
cell (`1 + 1`), over n fresh kernels; prints a JSON line with the medians.
Set JUPYTER_PATH to use a kernelspec installed with `kernel-config/install.sh --prefix DIR` (DIR/share/jupyter).
"""
import argparse
import json
import statistics
import sys
import time

from jupyter_client.manager import KernelManager


def start(name):
    km = KernelManager(kernel_name=name)
    t0 = time.monotonic()
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    msg_id = kc.kernel_info()
    while True:  # the first kernel_info_reply (the kernel may not be listening yet: resend until answered)
        try:
            reply = kc.get_shell_msg(timeout=0.5)
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        except Exception:
            if not km.is_alive():
                raise RuntimeError("kernel died while starting")
            msg_id = kc.kernel_info()
    return km, kc, time.monotonic() - t0, reply


def execute(kc, code, timeout=120):
    """Runs code; returns (reply content, list of (seconds since sent, iopub msg))."""
    t0 = time.monotonic()
    outputs = []
    reply = kc.execute_interactive(code, timeout=timeout,
                                   output_hook=lambda m: outputs.append((time.monotonic() - t0, m)))
    return reply["content"], outputs


def stop(km, kc):
    kc.stop_channels()
    km.shutdown_kernel(now=False)


def check(name):
    failures = []
    km, kc, t_info, info = start(name)
    try:
        lang = info["content"]["language_info"]["name"]
        if lang != "java":
            failures.append(f"kernel_info language is {lang!r}")
        execute(kc, 'String word = "abc";')
        msg_id = kc.complete("word.toUpp", 10)
        c = kc.get_shell_msg(timeout=30)["content"]
        if not any(m.startswith("toUpperCase(") for m in c.get("matches", [])):
            failures.append(f"complete_request: no toUpperCase( in {c.get('matches')}")
        kc.inspect("Math.max(1, 2)", 6)
        i = kc.get_shell_msg(timeout=30)["content"]
        if not i.get("found") or "max(" not in i.get("data", {}).get("text/plain", ""):
            failures.append(f"inspect_request found nothing: {i}")

        content, outs = execute(kc, 'for (int i = 0; i < 3; i++) { System.out.println("tick " + i); Thread.sleep(400); }')
        ticks = [t for t, m in outs if m["msg_type"] == "stream" and "tick" in m["content"]["text"]]
        if len(ticks) < 2 or ticks[-1] - ticks[0] < 0.5:
            failures.append(f"System.out did not stream while the cell ran (stream times {ticks})")

        msg_id = kc.execute("long n = 0; while (!Thread.currentThread().isInterrupted()) { n++; }")
        time.sleep(1.5)
        t0 = time.monotonic()
        km.interrupt_kernel()
        while True:
            r = kc.get_shell_msg(timeout=30)
            if r["parent_header"].get("msg_id") == msg_id:
                break
        took = time.monotonic() - t0
        if took > 2.0:
            failures.append(f"interrupt took {took:.2f} s (more than 2 s)")
        if r["content"]["status"] != "error":
            failures.append(f"interrupted cell did not end in an error: {r['content']}")
        content, outs = execute(kc, "n > 0")
        values = [m["content"]["data"]["text/plain"] for _, m in outs if m["msg_type"] == "execute_result"]
        if content["status"] != "ok" or values != ["true"]:
            failures.append(f"kernel not usable after interrupt: {content}, {values}")
        print(json.dumps({"kernel_info_s": round(t_info, 2), "interrupt_s": round(took, 2), "failures": failures}))
    finally:
        stop(km, kc)
    return failures


def bench(name, n):
    infos, firsts = [], []
    for _ in range(n):
        km, kc, t_info, _ = start(name)
        try:
            t0 = time.monotonic()
            content, _ = execute(kc, "1 + 1")
            firsts.append(time.monotonic() - t0)
            infos.append(t_info)
        finally:
            stop(km, kc)
    result = {"runs": n, "kernel_info_s": [round(x, 2) for x in infos], "first_cell_s": [round(x, 2) for x in firsts],
              "kernel_info_median_s": round(statistics.median(infos), 2),
              "first_cell_median_s": round(statistics.median(firsts), 2)}
    print(json.dumps(result))
    return result


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["check", "bench"])
    p.add_argument("-n", type=int, default=5)
    p.add_argument("--kernel", default="java")
    a = p.parse_args()
    if a.mode == "check":
        failures = check(a.kernel)
        for f in failures:
            print("FAIL:", f, file=sys.stderr)
        sys.exit(1 if failures else 0)
    bench(a.kernel, a.n)


if __name__ == "__main__":
    main()
