"""What .ci/run ran, read back from the logs it kept in LOGS: each ctest
run's console output (NAME.ctest) and its LastTest.log (NAME.log), the
API test under valgrind, the fuzzing and the coverage.
Usage: python3 .ci/summary.py LOGS SECONDS"""
import os
import re
import sys

logs, seconds = sys.argv[1], int(sys.argv[2])


def read(name):
    path = os.path.join(logs, name)
    if not os.path.exists(path):
        return ""
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def ctest(name, what):
    console, log = read(name + ".ctest"), read(name + ".log")
    m = re.search(r"(\d+)% tests passed, (\d+) tests failed out of (\d+)", console)
    if not m:
        return f"{what}: did not run"
    failed, total = int(m.group(2)), int(m.group(3))
    skipped = re.findall(r"^\s*\d+ - (\S+) \(Skipped\)", console, re.M)
    cases = [(int(p), int(f)) for p, f in re.findall(r"^\w+: (\d+) passed, (\d+) failed$", log, re.M)]
    suites = f"{total - failed - len(skipped)} of {total} suites passed"
    if skipped:
        suites += f", {len(skipped)} skipped ({', '.join(skipped)})"
    return (f"{what}: {suites}; {sum(p for p, _ in cases)} checks passed, "
            f"{sum(f for _, f in cases)} failed")


lines = [
    ctest("normal", "ctest, RelWithDebInfo build"),
    ctest("asan", "ctest, ASan + UBSan build"),
    ctest("valgrind", "ctest under valgrind (samples, cli)"),
]
api = re.search(r"^api: (\d+) passed, (\d+) failed$", read("valgrind-api.out"), re.M)
lines.append("api_test under valgrind: " + (f"{api.group(1)} checks passed, {api.group(2)} failed, "
                                            "no memory error or leak" if api else "did not run"))

for name, build in (("normal", "RelWithDebInfo"), ("asan", "ASan")):
    m = re.search(r"^oom: N = 1 to (\d+): (\d+) runs, (\d+) ended in out of memory, (\d+) absorbed"
                  r".*?(\d+) wrong; (\d+) allocations inside ICU let through.*?([\d.]+) s$",
                  read(name + ".log"), re.M)
    lines.append(f"allocation failure ({build}): " + (
        f"N = 1 to {m.group(1)} each tried, {m.group(2)} runs ({m.group(3)} out of "
        f"memory, {m.group(4)} absorbed, {m.group(5)} wrong; {m.group(6)} allocations inside "
        f"ICU let through), {m.group(7)} s" if m else "did not run"))

ratios = re.findall(r"^linear: (\w+): .*ratio ([\d.]+)", read("normal.log"), re.M)
lines.append("linear time (instructions at 2N / N): " +
             (", ".join(f"{s} {r}" for s, r in ratios) if ratios else "did not run"))

fuzz = read("fuzz.out")
targets = re.findall(r"^fuzz_(\w+): (\d+) s, (\d+) runs, (\d+) regressions replayed", fuzz, re.M)
lines.append("fuzzing (-timeout=1): " + ("; ".join(
    f"{t} {s} s, {r} runs" for t, s, r, _ in targets) if targets else "did not run"))
lines.append(f"fuzz regressions replayed: {sum(int(n) for *_, n in targets)}")

cov = read("coverage.out")
ln = re.search(r"^lines: ([\d.]+%)", cov, re.M)
br = re.search(r"^branches: ([\d.]+%)", cov, re.M)
lines.append(f"library coverage: lines {ln.group(1) if ln else '?'}, "
             f"branches {br.group(1) if br else '?'}")
lines.append(f"whole run: {seconds // 60} min {seconds % 60} s")

print("== summary")
for line in lines:
    print("  " + line)
