// Run Python code against the checkout's nnref on MicroPython (WebAssembly) in Node.
//
//   node tools/js/run_micropython.mjs [--root DIR] [--heapsize SIZE] (-c SOURCE | -m MODULE | FILE) [ARG ...]
//
// Every .py file of the checkout's nnref/ (--root, default: two folders up
// from this file), with its subpackages (nnref/_base/, exact/, book/,
// conformance/, cli/: every folder that has an __init__.py), is copied into
// MicroPython's in-memory file system under /lib/nnref, and /lib goes first on
// sys.path.  Data files (the conformance vectors) are not copied: the
// self-check and the tour do not read them.  sys.argv is
// [FILE or "-c" or MODULE, ARG ...].
// `-m MODULE` runs the checkout's MODULE/__main__.py (or MODULE.py) as
// __main__, as `python -m` does (MicroPython has no runpy), so
// `-m nnref selfcheck` is `python -m nnref selfcheck`.  The source runs
// without a package context, so it must use absolute imports (as
// nnref/__main__.py does).
// Standard output and error go straight through.  The exit code is the one a
// CPython would give: 0 when the code ends normally, n for SystemExit(n) (1 for
// a non-integer message, which is printed), and 1 for any other exception
// (its traceback is printed to standard error).
//
// The package's own micropython.mjs command line always exits 0 and leaves
// sys.argv empty, which is why this runner exists.
//
// Memory: this build's garbage collector only reclaims memory once control
// returns to JavaScript, so one long synchronous run only ever grows.  What is
// run here must be small (the self-check is).

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadMicroPython } from "@micropython/micropython-webassembly-pyscript";

const HERE = path.dirname(fileURLToPath(import.meta.url));

function usage(message) {
  if (message) process.stderr.write(`run_micropython: ${message}\n`);
  process.stderr.write(
    "usage: node run_micropython.mjs [--root DIR] [--heapsize SIZE] (-c SOURCE | -m MODULE | FILE) [ARG ...]\n");
  process.exit(2);
}

function parseSize(text) {
  const match = /^(\d+)([kKmM]?)$/.exec(text);
  if (!match) usage(`bad --heapsize ${JSON.stringify(text)} (use e.g. 262144, 512k or 64m)`);
  const scale = { "": 1, k: 1024, m: 1024 * 1024 }[match[2].toLowerCase()];
  return parseInt(match[1], 10) * scale;
}

function parseArgs(argv) {
  const options = { root: path.resolve(HERE, "..", ".."), heapsize: 64 * 1024 * 1024 };
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--root" && i + 1 < argv.length) options.root = path.resolve(argv[++i]);
    else if (arg === "--heapsize" && i + 1 < argv.length) options.heapsize = parseSize(argv[++i]);
    else if (arg === "-h" || arg === "--help") usage();
    else break;
  }
  if (i >= argv.length) usage("nothing to run");
  if (argv[i] === "-c") {
    if (i + 1 >= argv.length) usage("-c needs a source");
    options.source = argv[i + 1];
    options.filename = "<string>";
    options.argv = ["-c", ...argv.slice(i + 2)];
  } else if (argv[i] === "-m") {
    if (i + 1 >= argv.length) usage("-m needs a module");
    const base = path.join(options.root, ...argv[i + 1].split("."));
    const candidates = [path.join(base, "__main__.py"), base + ".py"];
    const found = candidates.find((file) => fs.existsSync(file));
    if (!found) usage(`no module ${argv[i + 1]} in ${options.root}`);
    options.filename = "/lib/" + path.relative(options.root, found);
    options.source = fs.readFileSync(found, "utf8");
    options.argv = [argv[i + 1], ...argv.slice(i + 2)];
  } else {
    options.filename = argv[i];
    options.source = fs.readFileSync(argv[i], "utf8");
    options.argv = argv.slice(i);
  }
  return options;
}

// Copy the package's modules, subpackages included, into the Emscripten file system.
function copyPackage(mp, root) {
  const packageDir = path.join(root, "nnref");
  if (!fs.existsSync(path.join(packageDir, "__init__.py"))) usage(`no nnref package in ${root}`);
  mp.FS.mkdir("/lib");
  const copyFolder = (from, to) => {
    mp.FS.mkdir(to);
    for (const entry of fs.readdirSync(from, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const source = path.join(from, entry.name);
      if (entry.isDirectory()) {
        if (fs.existsSync(path.join(source, "__init__.py"))) copyFolder(source, `${to}/${entry.name}`);
      } else if (entry.name.endsWith(".py")) {
        mp.FS.writeFile(`${to}/${entry.name}`, fs.readFileSync(source));
      }
    }
  };
  copyFolder(packageDir, "/lib/nnref");
}

// Runs the user's code inside MicroPython and leaves the exit code in
// _runner_rc, so that exceptions never have to cross into JavaScript.
const WRAPPER = `
import sys
sys.path.insert(0, "/lib")
_runner_rc = 0
try:
    exec(compile(_runner_source, _runner_filename, "exec"), {"__name__": "__main__"})
except SystemExit as exc:
    code = exc.args[0] if exc.args else None
    if code is None:
        _runner_rc = 0
    elif type(code) is int:
        _runner_rc = code
    else:
        print(code, file=sys.stderr)
        _runner_rc = 1
except BaseException as exc:
    sys.print_exception(exc, sys.stderr)
    _runner_rc = 1
`;

async function main() {
  // A closed pipe (`... | head`) ends the run quietly, as it would CPython.
  process.stdout.on("error", (error) => {
    if (error.code === "EPIPE") process.exit(process.exitCode || 0);
    throw error;
  });
  const options = parseArgs(process.argv.slice(2));
  const mp = await loadMicroPython({
    heapsize: options.heapsize,
    stdout: (line) => process.stdout.write(line + "\n"),
    stderr: (line) => process.stderr.write(line + "\n"),
  });
  copyPackage(mp, options.root);
  mp.runPython("import sys");
  const sys = mp.pyimport("sys");
  sys.argv.clear();
  for (const arg of options.argv) sys.argv.append(arg);
  mp.globals.set("_runner_source", options.source);
  mp.globals.set("_runner_filename", options.filename);
  let rc;
  try {
    mp.runPython(WRAPPER);
    rc = mp.globals.get("_runner_rc");
  } catch (error) {
    // Only reached if the wrapper itself failed (for example a crash of the VM).
    process.stderr.write(`run_micropython: ${error.type || error.name}: ${error.message}\n`);
    rc = 1;
  }
  process.exitCode = typeof rc === "number" ? rc & 0xff : 1;
}

main().catch((error) => {
  process.stderr.write(`run_micropython: ${error.stack || error}\n`);
  process.exit(1);
});
