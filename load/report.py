"""Turns a locust run (load/run) into a table per page and a latency chart, and judges it.

    report.py OUT MODE DB PEAK_RSS_KIB USERS TIME COMMIT [PEAK_ANONYMOUS_RSS_KIB]

Writes OUT/report.md (the table, ready for docs/performance.md) and OUT/latency.png (p50, p95
and p99 per page). Exit status 1 when a request failed, or (full runs only) when a page outside
the Argon2 paths has a p99 over 100 ms or the server's peak RSS was over 150 MB.
"""
import csv
import sys
from pathlib import Path

ARGON2_PAGES = {"submit report", "follow-up check-in", "sign in"}
P99_LIMIT_MS = 100
RSS_LIMIT_MB = 150


def main():
    out, mode, db, peak_kib, users, time, commit = sys.argv[1:8]
    anon_kib = sys.argv[8] if len(sys.argv) > 8 else ""
    rows = [r for r in csv.DictReader(open(Path(out) / "stats_stats.csv")) if r["Name"] != "Aggregated"]
    total = next(r for r in csv.DictReader(open(Path(out) / "stats_stats.csv")) if r["Name"] == "Aggregated")
    peak_mb = int(peak_kib or 0) / 1024
    lines = [
        f"{users} users for {time} on {db} ({mode}, commit {commit}); "
        f"{total['Request Count']} requests, {float(total['Requests/s']):.1f} req/s, "
        f"{total['Failure Count']} failures; server peak RSS {peak_mb:.0f} MB"
        + (f" (anonymous memory at most {int(anon_kib) / 1024:.0f} MB; the rest is file-backed, "
           "on SQLite the database mapped by mmap_size)" if anon_kib else "")
        + ".",
        "",
        "| page | requests | failures | median ms | p95 ms | p99 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    problems = []
    for r in sorted(rows, key=lambda r: r["Name"]):
        lines.append(
            f"| {r['Name']} | {r['Request Count']} | {r['Failure Count']} | {r['50%']} | "
            f"{r['95%']} | {r['99%']} | {float(r['Max Response Time']):.0f} |"
        )
        if int(r["Failure Count"]):
            problems.append(f"{r['Name']}: {r['Failure Count']} failed requests")
        if mode == "full" and r["Name"] not in ARGON2_PAGES and float(r["99%"]) > P99_LIMIT_MS:
            problems.append(f"{r['Name']}: p99 {r['99%']} ms over {P99_LIMIT_MS} ms")
    if mode == "full" and peak_mb > RSS_LIMIT_MB:
        problems.append(f"server peak RSS {peak_mb:.0f} MB over {RSS_LIMIT_MB} MB")
    report = "\n".join(lines) + "\n"
    (Path(out) / "report.md").write_text(report)
    print(report)
    chart(rows, Path(out) / "latency.png", f"{users} users, {time}, {db}")
    for p in problems:
        print("FAIL:", p)
    print("load test:", "failed" if problems else "passed")
    return 1 if problems else 0


def chart(rows, path, title):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = [r["Name"] for r in sorted(rows, key=lambda r: r["Name"])]
    by = {r["Name"]: r for r in rows}
    fig, ax = plt.subplots(figsize=(10, 0.45 * len(names) + 1.5))
    y = range(len(names))
    for offset, (key, label) in enumerate([("50%", "p50"), ("95%", "p95"), ("99%", "p99")]):
        ax.barh([i + offset * 0.27 for i in y], [float(by[n][key]) for n in names], 0.27, label=label)
    ax.set_yticks([i + 0.27 for i in y], names)
    ax.axvline(P99_LIMIT_MS, color="grey", linestyle="--", linewidth=1)
    ax.set_xlabel("response time (ms)")
    ax.set_title(title)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)


if __name__ == "__main__":
    sys.exit(main())
