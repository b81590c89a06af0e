// Run Python code against the checkout's nnref on Pyodide (CPython in WebAssembly) in Node.
//
//   node tools/js/run_pyodide.mjs [--root DIR] (-c SOURCE | -m MODULE | FILE) [ARG ...]
//
// Pyodide is loaded from the npm package alone (no network).  The checkout
// (--root, default: two folders up from this file) is mounted read-write with
// NODEFS at the same path, becomes the working directory, and goes first on
// sys.path, so `import nnref` imports the checkout's package.  sys.argv is
// [FILE or "-c" or MODULE, ARG ...]; `-m MODULE` runs it with runpy, as
// `python -m MODULE` does.  The exit code is the one CPython would give: 0
// when the code ends normally, n for SystemExit(n) (1 for a non-integer
// message, which is printed) and 1 for any other exception (its traceback is
// printed to standard error).

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadPyodide } from "pyodide";

const HERE = path.dirname(fileURLToPath(import.meta.url));

function usage(message) {
  if (message) process.stderr.write(`run_pyodide: ${message}\n`);
  process.stderr.write("usage: node run_pyodide.mjs [--root DIR] (-c SOURCE | -m MODULE | FILE) [ARG ...]\n");
  process.exit(2);
}

function parseArgs(argv) {
  const options = { root: path.resolve(HERE, "..", "..") };
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--root" && i + 1 < argv.length) options.root = path.resolve(argv[++i]);
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
    options.filename = "<runpy>";
    options.source = "import runpy\nrunpy.run_module(" + JSON.stringify(argv[i + 1]) +
      ", run_name='__main__', alter_sys=True)\n";
    options.argv = [argv[i + 1], ...argv.slice(i + 2)];
  } else {
    options.filename = path.resolve(argv[i]);
    options.source = fs.readFileSync(argv[i], "utf8");
    options.argv = argv.slice(i);
  }
  if (!fs.existsSync(path.join(options.root, "nnref", "__init__.py"))) {
    usage(`no nnref package in ${options.root}`);
  }
  return options;
}

// Create every folder of an absolute path in the Emscripten file system.
function makeTree(FS, dir) {
  let current = "";
  for (const part of dir.split("/").filter(Boolean)) {
    current += "/" + part;
    try {
      FS.mkdir(current);
    } catch (error) {
      // Already there (EEXIST); anything else shows up at mount time.
    }
  }
}

// Runs the user's code and returns the exit code, so that exceptions are
// reported by Python itself rather than by the JavaScript bridge.
const WRAPPER = `
import os, sys, traceback

def _runner_main(root, source, filename, argv):
    os.chdir(root)
    sys.path.insert(0, root)
    sys.dont_write_bytecode = True  # leave the mounted checkout as it was
    sys.argv[:] = list(argv)
    try:
        code = compile(source, filename, "exec")
        exec(code, {"__name__": "__main__", "__file__": filename})
    except SystemExit as exc:
        if exc.code is None:
            return 0
        if isinstance(exc.code, int):
            return exc.code
        print(exc.code, file=sys.stderr)
        return 1
    except BaseException:
        traceback.print_exc()
        return 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
    return 0
`;

async function main() {
  // A closed pipe (`... | head`) ends the run quietly, as it would CPython.
  process.stdout.on("error", (error) => {
    if (error.code === "EPIPE") process.exit(process.exitCode || 0);
    throw error;
  });
  const options = parseArgs(process.argv.slice(2));
  const pyodide = await loadPyodide({
    stdout: (line) => process.stdout.write(line + "\n"),
    stderr: (line) => process.stderr.write(line + "\n"),
  });
  makeTree(pyodide.FS, options.root);
  pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: options.root }, options.root);
  pyodide.runPython(WRAPPER);
  const runnerMain = pyodide.globals.get("_runner_main");
  const argv = pyodide.toPy(options.argv);
  let rc;
  try {
    rc = runnerMain(options.root, options.source, options.filename, argv);
  } finally {
    argv.destroy();
    runnerMain.destroy();
  }
  process.exitCode = typeof rc === "number" ? rc & 0xff : 1;
}

main().catch((error) => {
  process.stderr.write(`run_pyodide: ${error.stack || error}\n`);
  process.exit(1);
});
