#!/usr/bin/env python3
"""A fast lower bound of the shared mutation tester's score (../shared/tools/mutation-score.py).

Same mutants: sites()/mutate() are imported from the tool, and the pool is built the
tool's way (copy of the checkout, os.walk of <copy>/nnref with sorted names per folder,
skip __main__.py, random.Random(seed).shuffle, [:max], skip mutants whose unparse fails
or equals the original's unparse; the mutated file is written as ast.unparse text).

Per mutant, it runs `python -m pytest -x -q -p no:cacheprovider <selection>` where the
selection is the test files that name the mutated module (its dotted name, a
`from ... import <leaf>`, or one of its public top-level names) plus that module's
doctest node; files run fastest first.  Killed = that selection fails or times out
(timeout = max(60, 4 x the selection's baseline)).  The rest are "candidates": the full
suite can only kill more, so killed/total is a lower bound of the tool's score.

A mutant whose selection times out is not counted as killed (the tool counts it
killed); MUT_TIMEOUT_CAP=S caps each selection's timeout at S seconds.  --tests runs
the given test files instead of the selections (to see whether new tests kill the
candidates of an earlier run).  Files' baseline times come from $MUT_FILETIMES
(lines "tests/test_x.py <passed> <seconds>"); a file not listed counts 3 s.

Usage: python3 tools/mutants_lower_bound.py --root . --seed 1 [--max 150] [--stage2]
       [--only N,M] [--list] [--tests tests/a.py,tests/b.py]
"""
import argparse, ast, importlib.util, os, random, re, shutil, subprocess, sys, tempfile, time

TOOL = os.environ.get("MUT_TOOL", os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                             "..", "..", "shared", "tools", "mutation-score.py"))
spec = importlib.util.spec_from_file_location("mutation_score", TOOL)
ms = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ms)

CACHE = os.environ.get("MUT_CACHE", os.path.join(tempfile.gettempdir(), "nnref-mutants"))
PYTEST = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider"]


def build_pool(dst, package, skip, seed, maxn):
    files = []
    for d, _, names in os.walk(os.path.join(dst, package)):
        files += [os.path.join(d, n) for n in sorted(names) if n.endswith(".py") and n not in skip]
    pool, trees = [], {}
    for f in files:
        src = open(f).read()
        trees[f] = (src, ast.parse(src))
        pool += [(f, i, k) for i, k in ms.sites(trees[f][1])]
    rnd = random.Random(seed)
    rnd.shuffle(pool)
    pool = pool[:maxn]
    out = []
    for f, i, k in pool:
        src, tree = trees[f]
        try:
            new = ast.unparse(ms.mutate(tree, i, k))
        except Exception:
            continue
        if new == ast.unparse(tree):
            continue
        node = list(ast.walk(tree))[i]
        line = getattr(node, "lineno", None)
        text = src.splitlines()[line - 1].strip() if line else "?"
        out.append((f, i, k, line, text, new, src))
    return out


def dotted(dst, f):
    rel = os.path.relpath(f, dst)[:-3].replace(os.sep, ".")
    return rel[:-len(".__init__")] if rel.endswith(".__init__") else rel


def public_names(src):
    names = set()
    for node in ast.parse(src).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and not node.name.startswith("_"):
            names.add(node.name)
    return names


_CACHE = {}


def cached(fn):
    def wrapper(*args):
        key = (fn.__name__,) + args
        if key not in _CACHE:
            _CACHE[key] = fn(*args)
        return _CACHE[key]
    return wrapper


@cached
def imports_of(dst, f):
    """Package modules that the module in file f imports (relative or absolute)."""
    mod = dotted(dst, f)
    pkg = mod if f.endswith("__init__.py") else mod.rsplit(".", 1)[0]
    out = set()
    for node in ast.walk(ast.parse(open(f).read())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = pkg.split(".")
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            out.add(target)
            for a in node.names:
                out.add(target + "." + a.name)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return out


@cached
def mentions(dst, mod, src):
    """{test file: tier}: 0 names the dotted module, 1 imports its leaf, 2 names a public function of it."""
    leaf = mod.rsplit(".", 1)[-1]
    names = {n for n in public_names(src) if len(n) >= 5}
    chosen = {}
    for t in sorted(os.listdir(os.path.join(dst, "tests"))):
        if not (t.startswith("test_") and t.endswith(".py")) or t == "test_doctests.py":
            continue
        text = open(os.path.join(dst, "tests", t)).read()
        if mod in text or re.search(r"import\s+%s\b" % re.escape(mod), text):
            chosen["tests/" + t] = 0
        elif re.search(r"from\s+[\w.]+\s+import\s+[^\n]*\b%s\b" % re.escape(leaf), text):
            chosen["tests/" + t] = 1
        elif any(re.search(r"\b%s\b" % re.escape(n), text) for n in names):
            chosen["tests/" + t] = 2
    return chosen


BUDGET = 20  # seconds of baseline per selection
TIMEOUT_CAP = int(os.environ.get("MUT_TIMEOUT_CAP", "100000"))


def selection(dst, f, src, times, files):
    """Test files most tied to the module, within BUDGET seconds of baseline.

    Tiers: files naming the module (always kept), then files importing its leaf name, then
    files naming one of its public functions, then quick files of modules importing it
    (facades and the selfcheck left out: they import everything).  Fastest first in a tier."""
    mod = dotted(dst, f)
    tiers = dict(mentions(dst, mod, src))
    for g in files:
        if g != f and not g.endswith(("__init__.py", "_selfcheck.py")) and mod in imports_of(dst, g):
            for t, tier in dict(mentions(dst, dotted(dst, g), open(g).read())).items():
                if tier < 2 and times.get(t, 3.0) < 12:
                    tiers.setdefault(t, 3)
    order = sorted(tiers, key=lambda t: (tiers[t], times.get(t, 3.0)))
    chosen, spent = [], 0.0
    for t in order:
        if tiers[t] == 0 or spent + times.get(t, 3.0) <= BUDGET:
            chosen.append(t)
            spent += times.get(t, 3.0)
    chosen.sort(key=lambda t: times.get(t, 3.0))
    # Modules whose output is a committed artifact: the test comparing the artifact comes first.
    if mod.startswith(("nnref.conformance._cases", "nnref.conformance._tolerances", "nnref.conformance._format",
                       "nnref.exact")):
        chosen.insert(0, "tests/test_conformance.py::test_committed_vectors_are_up_to_date")
    wider = sorted((t for t in tiers if t not in chosen), key=lambda t: times.get(t, 3.0))
    SECOND[f] = wider
    return ["tests/test_doctests.py::test_module_doctests[%s]" % mod] + chosen


SECOND = {}   # file -> stage-2 test files: the rest of its tiers, past the budget


def load_times():
    times = {}
    try:
        for line in open(os.environ.get("MUT_FILETIMES", os.path.join(CACHE, "filetimes.txt"))):
            p = line.split()
            if len(p) == 3:
                times[p[0]] = float(p[2])
    except OSError:
        pass
    return times


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", default=os.getcwd())
    ap.add_argument("--package", default="nnref")
    ap.add_argument("--max", type=int, default=150)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--skip", default="__main__.py")
    ap.add_argument("--only", default="", help="comma-separated mutant numbers to run")
    ap.add_argument("--list", action="store_true", help="print mutants and selections only")
    ap.add_argument("--stage2", action="store_true", help="run a stage-1 survivor again with the rest of its tiers")
    ap.add_argument("--range", default="", help="a:b, run only mutants a..b-1")
    ap.add_argument("--tests", default="", help="comma-separated test paths to run instead of the selection")
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="mut%d-" % a.seed)
    dst = os.path.join(work, "p")
    shutil.copytree(a.root, dst, ignore=shutil.ignore_patterns(".git", "__pycache__", ".hypothesis", "*.egg-info"))
    os.makedirs(CACHE, exist_ok=True)
    cache = os.path.join(CACHE, "pool%d-%d.json" % (a.seed, a.max))
    import json, hashlib
    digest = hashlib.sha1(b"".join(open(os.path.join(d, n), "rb").read() for d, _, ns in sorted(os.walk(os.path.join(dst, a.package)))
                                   for n in sorted(ns) if n.endswith(".py"))).hexdigest()
    try:
        saved = json.load(open(cache))
        assert saved["digest"] == digest
        pool = [(os.path.join(dst, f), i, k, line, text, new, open(os.path.join(dst, f)).read())
                for f, i, k, line, text, new in saved["pool"]]
    except Exception:
        pool = build_pool(dst, a.package, set(a.skip.split(",")), a.seed, a.max)
        json.dump({"digest": digest, "pool": [(os.path.relpath(f, dst), i, k, line, text, new)
                                              for f, i, k, line, text, new, src in pool]}, open(cache, "w"))
    times = load_times()
    allfiles = [os.path.join(d, n) for d, _, ns in os.walk(os.path.join(dst, a.package)) for n in ns if n.endswith(".py")]
    sels = {}
    only = {int(x) for x in a.only.split(",") if x}
    if a.range:
        lo, hi = map(int, a.range.split(":"))
        only = set(range(lo, hi))
    for n, (f, i, k, line, text, new, src) in enumerate(pool):
        if only and n not in only:
            continue
        if f not in sels:
            sels[f] = selection(dst, f, src, times, allfiles)
    print("seed %d: %d mutants (of --max %d)" % (a.seed, len(pool), a.max))
    for f, s in sorted(sels.items()) if not a.only else ():
        base = sum(times.get(t, 0) for t in s[1:])
        print("map %s -> ~%.0fs %s | stage 2: %s" % (os.path.relpath(f, dst), base, " ".join(x.replace("tests/", "") for x in s),
                                                    " ".join(x.replace("tests/", "") for x in SECOND.get(f, []))))
    sys.stdout.flush()
    if a.list:
        for n, (f, i, k, line, text, new, src) in enumerate(pool):
            print("#%d %s:%s %s | %s" % (n, os.path.relpath(f, dst), line, k, text))
        shutil.rmtree(work, ignore_errors=True)
        return
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1",
               HYPOTHESIS_PROFILE=os.environ.get("HYPOTHESIS_PROFILE", "default"))
    killed, cands, ran = 0, [], 0
    for n, (f, i, k, line, text, new, src) in enumerate(pool):
        if only and n not in only:
            continue
        ran += 1
        sel = sels[f] if not a.tests else ["tests/test_doctests.py::test_module_doctests[%s]" % dotted(dst, f)] + a.tests.split(",")
        timeout = max(60, 4 * sum(times.get(t, 30) for t in sel[1:]))
        open(f, "w").write(new)
        t0 = time.time()
        stages = [sel] + ([SECOND[f]] if a.stage2 and SECOND.get(f) and not a.tests else [])
        for stage, tests in enumerate(stages):
            timeout = min(TIMEOUT_CAP, max(60, 4 * sum(times.get(t, 30) for t in tests if "::" not in t) + 30 * sum("::" in t for t in tests)))
            try:
                r = subprocess.run(PYTEST + tests, cwd=dst, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   universal_newlines=True, timeout=timeout)
                dead = r.returncode != 0
                how = "stage %d rc=%d" % (stage + 1, r.returncode)
                if r.returncode not in (0, 1):
                    how += " " + " / ".join(r.stdout.strip().splitlines()[-2:])
            except subprocess.TimeoutExpired:
                # Not counted as killed: on a loaded machine a slow run is not a hang.
                dead, how = False, "stage %d TIMEOUT %ds (not counted)" % (stage + 1, timeout)
                break
            if dead:
                break
        open(f, "w").write(src)
        rel = os.path.relpath(f, dst)
        status = "killed" if dead else "CANDIDATE"
        print("#%d %s %s:%s %s (%.0fs, %s) | %s" % (n, status, rel, line, k, time.time() - t0, how, text))
        sys.stdout.flush()
        if dead:
            killed += 1
        else:
            cands.append("#%d %s:%s %s | %s" % (n, rel, line, k, text))
    print()
    for c in cands:
        print("candidate", c)
    print("seed %d: lower bound %d/%d killed (%.1f%%); %d candidates; %d mutants in pool"
          % (a.seed, killed, ran, 100.0 * killed / max(ran, 1), len(cands), len(pool)))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
