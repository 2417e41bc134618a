#!/usr/bin/env python3
"""make bench: time jkstool against keytool, pyjks and openssl in one run.

Commands of a group run alternately, round after round, so that drifts of
the machine hit all of them alike; we report medians and ratios. Inputs are
built by bench/run.sh into the work directory given as argv[1]."""
import json, os, platform, shutil, statistics, subprocess, sys, time

W = sys.argv[1]
TOOL = os.path.abspath(sys.argv[2])
OUT = sys.argv[3]
KEYTOOL = shutil.which("keytool") or "/usr/lib/jvm/java-17-openjdk-amd64/bin/keytool"
PY = "/usr/bin/python3"  # Debian's python3-pyjks lives in the system interpreter
PW = "changeit"


def w(*p):
    return os.path.join(W, *p)


DEVNULL = os.open(os.devnull, os.O_RDWR)


def run(cmd, pre=None):
    """Wall time of one process run, spawned directly (posix_spawn, no shell,
    no pipes) so that the harness adds as little as hyperfine -N does."""
    if pre:
        pre()
    exe = cmd[0] if os.sep in cmd[0] else shutil.which(cmd[0])
    fa = [(os.POSIX_SPAWN_DUP2, DEVNULL, 1), (os.POSIX_SPAWN_DUP2, DEVNULL, 2)]
    t = time.perf_counter()
    pid = os.posix_spawn(exe, cmd, os.environ, file_actions=fa)
    _, status = os.waitpid(pid, 0)
    dt = time.perf_counter() - t
    if os.waitstatus_to_exitcode(status) != 0:
        r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        raise SystemExit("bench: command failed (%d): %s\n%s" % (r.returncode, " ".join(cmd), r.stderr.decode(errors="replace")))
    return dt


def group(title, cmds, rounds):
    """cmds: list of (name, argv, pre). Returns {name: median seconds}."""
    times = {n: [] for n, _, _ in cmds}
    for n, c, pre in cmds:  # one warm-up each (page cache, JIT class data)
        run(c, pre)
    for _ in range(rounds):
        for n, c, pre in cmds:
            times[n].append(run(c, pre))
    med = {n: statistics.median(v) for n, v in times.items()}
    print("  %-44s" % title + "  ".join("%s %.1f ms" % (n, med[n] * 1e3) for n in med), file=sys.stderr)
    return med


def rm(p):
    return lambda: os.path.exists(p) and os.remove(p)


def peak_rss_kib(cmd):
    r = subprocess.run(["/usr/bin/time", "-v"] + cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    for line in r.stderr.splitlines():
        if "Maximum resident set size" in line:
            return int(line.split(":")[1])
    return -1


pyjks_load = "import jks,sys\nks=jks.KeyStore.load(sys.argv[1],'%s')\nn=0\nfor a,e in list(ks.certs.items())+list(ks.private_keys.items()):\n  n+=1\n" % PW
res = {}
R_FAST, R_JVM = int(os.environ.get("BENCH_ROUNDS", "15")), int(os.environ.get("BENCH_JVM_ROUNDS", "5"))

for store, label in (("cacerts.jks", "cacerts"), ("b2000.jks", "2000 certs")):
    m = group("list %s" % label, [
        ("jkstool", [TOOL, "list", w(store), "--storepass", "pass:" + PW], None),
        ("keytool", [KEYTOOL, "-list", "-keystore", w(store), "-storepass", PW], None),
        ("pyjks", [PY, "-c", pyjks_load, w(store)], None),
    ], R_JVM)
    res["list " + label] = m

m = group("convert JKS->PKCS#12 (2000 certs)", [
    ("jkstool", [TOOL, "convert", w("b2000.jks"), w("o-jt.p12"), "--storepass", "pass:" + PW], rm(w("o-jt.p12"))),
    ("keytool", [KEYTOOL, "-importkeystore", "-noprompt", "-srckeystore", w("b2000.jks"), "-srcstorepass", PW,
                 "-destkeystore", w("o-kt.p12"), "-deststoretype", "PKCS12", "-deststorepass", PW], rm(w("o-kt.p12"))),
], R_JVM)
res["convert jks->p12 2000"] = m

m = group("convert PKCS#12->PEM (client)", [
    ("jkstool", [TOOL, "convert", w("client.p12"), w("o-jt.pem"), "--storepass", "pass:" + PW], rm(w("o-jt.pem"))),
    ("openssl", ["openssl", "pkcs12", "-in", w("client.p12"), "-nodes", "-passin", "pass:" + PW, "-out", w("o-os.pem")], rm(w("o-os.pem"))),
], R_FAST)
res["convert p12->pem client"] = m

m = group("convert PKCS#12->PEM (cacerts)", [
    ("jkstool", [TOOL, "convert", w("cacerts.p12"), w("o-jt2.pem"), "--storepass", "pass:" + PW], rm(w("o-jt2.pem"))),
    ("openssl", ["openssl", "pkcs12", "-in", w("cacerts.p12"), "-nodes", "-passin", "pass:" + PW, "-out", w("o-os2.pem")], rm(w("o-os2.pem"))),
], R_FAST)
res["convert p12->pem cacerts"] = m

m = group("check client keystore", [
    ("jkstool", [TOOL, "check", w("client.jks"), "--storepass", "pass:" + PW, "--for", "client"], None),
], R_FAST)
res["check client"] = m
m = group("check DIR of 500 client keystores", [
    ("jkstool", [TOOL, "check", w("many"), "--storepass", "pass:" + PW, "--for", "client"], None),
], max(3, R_FAST // 3))
res["check dir 500"] = m

# certificate facts at the speed of the listing (issue 12): the modes that show
# facts, side by side with the short listing of the same file
sp = ["--storepass", "pass:" + PW]
m = group("cacerts: list vs list --json / -v / check", [
    ("list", [TOOL, "list", w("cacerts.jks")] + sp, None),
    ("list --json", [TOOL, "list", w("cacerts.jks"), "--json"] + sp, None),
    ("list -v", [TOOL, "list", w("cacerts.jks"), "-v"] + sp, None),
    ("check", [TOOL, "check", w("cacerts.jks")] + sp, None),
], R_FAST)
res["facts cacerts"] = m
m = group("client keystore: list vs check", [
    ("list", [TOOL, "list", w("client.jks")] + sp, None),
    ("check", [TOOL, "check", w("client.jks"), "--for", "client"] + sp, None),
], R_FAST)
res["facts client"] = m
m = group("check DIR of 2000 client keystores", [
    ("jkstool", [TOOL, "check", w("many2k"), "--storepass", "pass:" + PW, "--for", "client"], None),
], max(3, R_FAST // 3))
res["check dir 2000"] = m
# in-process: read cacerts + every certificate's facts vs one SHA-1 of the file
fb = subprocess.run([w("factsbench"), w("cacerts.jks"), PW, "201"], capture_output=True, text=True, check=True)
inproc = dict(l.split(" ", 1) for l in fb.stdout.strip().splitlines())

big = w("b100k.jks")
m = group("100 MB JKS: list vs hashing floor", [
    ("jkstool", [TOOL, "list", big, "--storepass", "pass:" + PW], None),
    ("sha1", ["openssl", "dgst", "-sha1", big], None),
    ("sha256", ["openssl", "dgst", "-sha256", big], None),
], max(3, R_FAST // 3))
res["list 100MB"] = m
rss = peak_rss_kib([TOOL, "list", big, "--storepass", "pass:" + PW])
size = os.path.getsize(big)

# ---- report ----
def ratio(a, b):
    return b / a if a > 0 else float("inf")

def ver(cmd):
    try:
        r = subprocess.run(cmd, capture_output=True, text=True)
        return (r.stdout + r.stderr).strip().splitlines()[0]
    except Exception:
        return "n/a"

lc, l2 = res["list cacerts"], res["list 2000 certs"]
cv = res["convert jks->p12 2000"]
floor = res["list 100MB"]["sha1"] + res["list 100MB"]["sha256"]
per_ks = res["check dir 500"]["jkstool"] / 500
targets = [
    ("list cacerts vs keytool", ratio(lc["jkstool"], lc["keytool"]), ">= 100x", ratio(lc["jkstool"], lc["keytool"]) >= 100),
    ("list cacerts vs pyjks", ratio(lc["jkstool"], lc["pyjks"]), ">= 20x", ratio(lc["jkstool"], lc["pyjks"]) >= 20),
    ("JKS->PKCS#12 2000 certs vs keytool", ratio(cv["jkstool"], cv["keytool"]), ">= 30x", ratio(cv["jkstool"], cv["keytool"]) >= 30),
    ("list 100 MB / hashing floor", res["list 100MB"]["jkstool"] / floor, "<= 1.5", res["list 100MB"]["jkstool"] / floor <= 1.5),
    ("peak RSS 100 MB list (MiB, whole process)", rss * 1024 / 2**20, "<= 16", rss * 1024 <= 16 * 2**20),
    ("check keystores/s (DIR of 500, one process)", 1 / per_ks, ">= 500", 1 / per_ks >= 500),
]
fc, fl = res["facts cacerts"], res["facts client"]
per_ks2k = res["check dir 2000"]["jkstool"] / 2000
facts_ratio = float(inproc["ratio"])
targets += [
    ("list --json cacerts / list cacerts", fc["list --json"] / fc["list"], "<= 2", fc["list --json"] / fc["list"] <= 2),
    ("list -v cacerts / list cacerts", fc["list -v"] / fc["list"], "<= 2", fc["list -v"] / fc["list"] <= 2),
    ("check cacerts / list cacerts", fc["check"] / fc["list"], "<= 3", fc["check"] / fc["list"] <= 3),
    ("check client / list client", fl["check"] / fl["list"], "<= 1.5", fl["check"] / fl["list"] <= 1.5),
    ("check DIR of 2000 client keystores (stores/s)", 1 / per_ks2k, ">= 5000", 1 / per_ks2k >= 5000),
    ("in-process read + facts of cacerts / one SHA-1 of the file", facts_ratio, "<= 3", facts_ratio <= 3),
]
# with the three fingerprints (SHA-1, SHA-256, SPKI SHA-256) of every
# certificate: shown, no target (they are hashes of the bytes, on demand)
facts_fp_ratio = float(inproc["ratio-fp"])
# the notes under the generated part (measurements of earlier changes) are
# kept: everything after the "Reproduce:" line of the previous file
history = ""
if os.path.exists(OUT):
    prev = open(OUT).read()
    k = prev.find("\nReproduce: `make bench`")
    if k >= 0:
        nl = prev.find("\n", k + 1)
        history = prev[nl + 1:] if nl >= 0 else ""
with open(OUT, "w") as f:
    f.write("# Benchmark results\n\n")
    f.write("Made by `make bench` (bench/run.sh, bench/bench.py) on %s.\n\n" % time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()))
    f.write("- machine: %s, %d cores, %s\n" % (platform.machine(), os.cpu_count(), platform.platform()))
    f.write("- jkstool: %s; keytool: %s; openssl: %s; pyjks: Debian python3-pyjks (%s)\n" % (
        ver([TOOL, "--version"]), ver(["java", "-version"]), ver(["openssl", "version"]), ver([PY, "--version"])))
    f.write("- method: commands of a group alternate, %d rounds (%d for groups with a JVM), one warm-up each; medians of wall time per process run.\n\n" % (R_FAST, R_JVM))
    f.write("## Targets\n\n| measure | result | target | met |\n|---|---|---|---|\n")
    for name, v, t, ok in targets:
        f.write("| %s | %.2f | %s | %s |\n" % (name, v, t, "yes" if ok else "**no**"))
    f.write("\n## Medians (ms)\n\n| group | " + " | ".join(["tool A", "tool B", "tool C", "tool D"]) + " |\n|---|---|---|---|---|\n")
    for g, m in res.items():
        cells = ["%s %.1f" % (n, v * 1e3) for n, v in m.items()]
        f.write("| %s | %s |\n" % (g, " | ".join(cells + [""] * (4 - len(cells)))))
    f.write("\nIn-process (bench/factsbench.c, cacerts.jks, %s certificates, medians of 201 alternating rounds, us): "
            "one SHA-1 of the file %s, jks_store_read %s, read + the facts of every certificate "
            "(jks_cert_facts_get_ex, JKS_FACTS_NO_FINGERPRINTS) %s (%s per certificate), read + the facts "
            "with the SHA-1, SHA-256 and SPKI SHA-256 fingerprints (jks_cert_facts_get) %s (%s per "
            "certificate, %.2fx one SHA-1), read + jks_cert_info_get (also verifies self-signatures) %s.\n" % (
                inproc["certs"].split()[0], inproc["sha1"], inproc["read"], inproc["facts"],
                inproc["per-cert-facts"], inproc["facts-fp"], inproc["per-cert-facts-fp"], facts_fp_ratio,
                inproc["info"]))
    f.write("\nPeak resident memory of `jkstool list` on the %.1f MB store: %.1f MiB.\n" % (size / 1e6, rss / 1024))
    f.write("\nReproduce: `make bench` (BENCH_ROUNDS, BENCH_JVM_ROUNDS set the rounds). Inputs are built in build/bench/.\n")
    f.write(history)
print(open(OUT).read())
