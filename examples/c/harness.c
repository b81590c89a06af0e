/* A conformance harness for a C port of nnref's relu, sigmoid, softmax and dense, in float.
 *
 *   python -m nnref vectors --format lines --out VECTORS_DIR    # the flat line form
 *   cc -std=c99 -O2 harness.c -lm -o harness
 *   mkdir -p RESULTS_DIR && ./harness VECTORS_DIR RESULTS_DIR
 *   python -m nnref check --allowlist allowlist.json --ops relu,sigmoid,softmax,dense \
 *       --dtype float32 VECTORS_DIR RESULTS_DIR
 *
 * C99 and its standard library only.  It reads the float32 files relu.float32.lines,
 * sigmoid.float32.lines, softmax.float32.lines and dense.float32.lines (standard C cannot
 * list a folder, so it names them; RESULTS_DIR must exist) and writes a results file of
 * the same name for each.  The grammar is in docs/conformance.md; one case per line:
 *
 *   OP DTYPE TCID RESULT NARGS ARG... expect EXPECTED
 *   ARG is  f RANK D_1 .. D_RANK V_1 .. V_N   (a float array; each V an 8-digit bit pattern)
 *       or  i INT   or  x KIND   (not a float array at all: a ragged list, a string, ...)
 *
 * and one results line per case: "TCID value RANK D.. V..", or "TCID error REASON".
 * A bit pattern becomes a float with strtoul and memcpy, and back with memcpy and
 * printf("%08lx"): exact for every float, NaN, the infinities and -0.0 included.
 *
 * An `x KIND` argument cannot be built as a C array, so the harness answers `error` for
 * it, as a C API rejects such input before any arithmetic; the operations answer `error`
 * for shapes they reject (a plain number to softmax, misaligned dense operands).  Every
 * float array form the vectors hold is supported, so no case is answered `unsupported`;
 * a port that takes only batches would answer that for a plain number or a vector, and
 * list those cases in its allow-list with the reason.
 *
 * The operations are the naive, sound ones a port starts from, computing and adding in
 * float; what they do differently from nnref (which rounds every sum exactly) is listed in
 * allowlist.json beside this file.
 */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_RANK 8
#define MAX_ARGS 3

typedef struct {
    int rank;
    long dims[MAX_RANK];
    long n;          /* number of elements: the product of the dims, 1 for rank 0 */
    float *v;        /* row-major */
} array;

static float from_bits(const char *hex)
{
    unsigned long u = strtoul(hex, NULL, 16);
    unsigned int bits = (unsigned int)u;      /* 32 bits */
    float x;
    memcpy(&x, &bits, sizeof x);
    return x;
}

static unsigned long to_bits(float x)
{
    unsigned int bits;
    memcpy(&bits, &x, sizeof bits);
    return (unsigned long)bits;
}

static void put_array(FILE *out, const array *a)
{
    int d;
    long i;
    fprintf(out, "value %d", a->rank);
    for (d = 0; d < a->rank; d++) fprintf(out, " %ld", a->dims[d]);
    for (i = 0; i < a->n; i++) fprintf(out, " %08lx", to_bits(a->v[i]));
}

static array new_array(int rank, const long *dims)
{
    array a;
    int d;
    a.rank = rank;
    a.n = 1;
    for (d = 0; d < rank; d++) {
        a.dims[d] = dims[d];
        a.n *= dims[d];
    }
    a.v = malloc((size_t)(a.n > 0 ? a.n : 1) * sizeof(float));
    if (a.v == NULL) {
        fprintf(stderr, "harness: out of memory\n");
        exit(1);
    }
    return a;
}

/* --- the operations: naive but sound; each returns NULL or the reason it rejects its input */

static const char *relu(const array *x, array *out)
{
    long i;
    *out = new_array(x->rank, x->dims);
    for (i = 0; i < x->n; i++) {
        float v = x->v[i];
        out->v[i] = (v > 0.0f || v != v) ? v : 0.0f;     /* NaN stays NaN */
    }
    return NULL;
}

static const char *sigmoid(const array *x, array *out)
{
    long i;
    *out = new_array(x->rank, x->dims);
    for (i = 0; i < x->n; i++) {
        float v = x->v[i];
        /* Two branches, so that expf never overflows. */
        if (v >= 0.0f) {
            out->v[i] = 1.0f / (1.0f + expf(-v));
        } else {
            float e = expf(v);
            out->v[i] = e / (1.0f + e);
        }
    }
    return NULL;
}

static const char *softmax(const array *x, array *out)
{
    long n, start, i;
    if (x->rank == 0) return "TypeError: softmax: a number has no row";
    n = x->dims[x->rank - 1];
    *out = new_array(x->rank, x->dims);
    for (start = 0; n > 0 && start < x->n; start += n) {
        float max = -INFINITY, sum = 0.0f;
        for (i = start; i < start + n; i++) {
            float v = x->v[i];
            if (v > max || v != v) max = v;              /* a NaN, once seen, stays */
        }
        for (i = start; i < start + n; i++) sum += (out->v[i] = expf(x->v[i] - max));
        for (i = start; i < start + n; i++) out->v[i] /= sum;
    }
    return NULL;
}

static const char *dense(const array *inputs, const array *weights, const array *biases, array *out)
{
    long n, k, m, i, j, p, dims[2];
    if (inputs->rank != 2) return "ValueError: dense: inputs is not a batch of rows";
    if (weights->rank != 2) return "ValueError: dense: weights is not a matrix";
    n = inputs->dims[0];
    k = inputs->dims[1];
    m = weights->dims[1];
    if (weights->dims[0] != k) return "ValueError: dense: inputs and weights are not aligned";
    if (!((biases->rank == 1 && biases->dims[0] == m)
          || (biases->rank == 2 && biases->dims[0] == 1 && biases->dims[1] == m)))
        return "ValueError: dense: biases must be (m,) or (1, m) for weights (k, m)";
    dims[0] = n;
    dims[1] = m;
    *out = new_array(2, dims);
    for (i = 0; i < n; i++) {
        for (j = 0; j < m; j++) {
            float sum = -0.0f;                    /* the IEEE identity: -0 + x is x */
            for (p = 0; p < k; p++) sum += inputs->v[i * k + p] * weights->v[p * m + j];
            out->v[i * m + j] = sum + biases->v[j];
        }
    }
    return NULL;
}

/* --- reading the line form ---------------------------------------------------------------- */

static void skip_line(FILE *in)
{
    int c;
    while ((c = getc(in)) != EOF && c != '\n') {
    }
}

/* Read one ARG.  Returns 1 for a float array (in *a), 0 for `i INT` or `x KIND` (the kind
 * in what, size 64), -1 on a malformed line. */
static int read_arg(FILE *in, array *a, char *what)
{
    char tag[64], token[64];
    long dims[MAX_RANK], i;
    int rank, d;
    if (fscanf(in, "%63s", tag) != 1) return -1;
    if (strcmp(tag, "i") == 0 || strcmp(tag, "x") == 0) {
        if (fscanf(in, "%63s", token) != 1) return -1;
        sprintf(what, "%.20s %.40s", strcmp(tag, "i") == 0 ? "an integer" : "a", token);
        return 0;
    }
    if (strcmp(tag, "f") != 0 || fscanf(in, "%d", &rank) != 1 || rank < 0 || rank > MAX_RANK) return -1;
    for (d = 0; d < rank; d++)
        if (fscanf(in, "%ld", &dims[d]) != 1 || dims[d] < 0) return -1;
    *a = new_array(rank, dims);
    for (i = 0; i < a->n; i++) {
        if (fscanf(in, "%63s", token) != 1) return -1;
        a->v[i] = from_bits(token);
    }
    return 1;
}

/* One line: a comment (returns 2), or a case: read it, run it, write its results line
 * (returns 1).  0 at the end of the file, -1 for a malformed line. */
static int run_case(FILE *in, FILE *out, const char *path)
{
    char op[64], dtype[64], result[64], expect[64], what[64];
    long tc_id;
    int nargs, i, built = 0, kind;
    array args[MAX_ARGS], value;
    const char *rejected = NULL;
    char reason[160];

    if (fscanf(in, "%63s", op) != 1) return 0;
    if (op[0] == '#') {
        skip_line(in);
        return 2;
    }
    if (fscanf(in, "%63s %ld %63s %d", dtype, &tc_id, result, &nargs) != 4 || nargs < 0 || nargs > MAX_ARGS) {
        fprintf(stderr, "harness: %s: a malformed line\n", path);
        return -1;
    }
    reason[0] = '\0';
    for (i = 0; i < nargs; i++) {
        kind = read_arg(in, &args[built], what);
        if (kind < 0) {
            fprintf(stderr, "harness: %s: tcId %ld: a malformed argument\n", path, tc_id);
            return -1;
        }
        if (kind == 1) {
            built++;
        } else if (reason[0] == '\0') {
            sprintf(reason, "argument %d is %s, not a float array", i + 1, what);
        }
    }
    if (fscanf(in, "%63s", expect) != 1 || strcmp(expect, "expect") != 0) {
        fprintf(stderr, "harness: %s: tcId %ld: no 'expect'\n", path, tc_id);
        return -1;
    }
    skip_line(in);                       /* the expected value is for the checker, not for us */

    if (reason[0] != '\0') {
        fprintf(out, "%ld error %s\n", tc_id, reason);
    } else {
        if (strcmp(op, "relu") == 0 && nargs == 1) rejected = relu(&args[0], &value);
        else if (strcmp(op, "sigmoid") == 0 && nargs == 1) rejected = sigmoid(&args[0], &value);
        else if (strcmp(op, "softmax") == 0 && nargs == 1) rejected = softmax(&args[0], &value);
        else if (strcmp(op, "dense") == 0 && nargs == 3) rejected = dense(&args[0], &args[1], &args[2], &value);
        else rejected = "not an operation of this harness";
        if (rejected != NULL) {
            fprintf(out, "%ld error %s\n", tc_id, rejected);
        } else {
            fprintf(out, "%ld ", tc_id);
            put_array(out, &value);
            fprintf(out, "\n");
            free(value.v);
        }
    }
    for (i = 0; i < built; i++) free(args[i].v);
    return 1;
}

int main(int argc, char **argv)
{
    static const char *const ops[] = {"relu", "sigmoid", "softmax", "dense"};
    char in_path[4096], out_path[4096];
    int i, status, files = 0;
    if (argc != 3) {
        fprintf(stderr, "usage: harness VECTORS_DIR RESULTS_DIR\n");
        return 2;
    }
    for (i = 0; i < 4; i++) {
        FILE *in, *out;
        long cases = 0;
        sprintf(in_path, "%.2000s/%s.float32.lines", argv[1], ops[i]);
        sprintf(out_path, "%.2000s/%s.float32.lines", argv[2], ops[i]);
        in = fopen(in_path, "r");
        if (in == NULL) {
            fprintf(stderr, "harness: cannot read %s\n", in_path);
            return 1;
        }
        out = fopen(out_path, "w");
        if (out == NULL) {
            fprintf(stderr, "harness: cannot write %s (does the folder exist?)\n", out_path);
            return 1;
        }
        fprintf(out, "# results of examples/c/harness.c for %s.float32.lines\n", ops[i]);
        while ((status = run_case(in, out, in_path)) > 0) cases += status == 1;
        fclose(in);
        if (fclose(out) != 0 || status < 0) return 1;
        printf("%s.float32.lines: %ld cases\n", ops[i], cases);
        files++;
    }
    return files == 4 ? 0 : 1;
}
