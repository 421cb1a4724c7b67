/*
 * test_value.c — OpenSCAD values: number and value formatting, equality, truthiness,
 * ranges, UTF-8 strings, and reference counting (memory returns to where it started).
 */
#include <math.h>

#include "testutil.h"

#include "core/sbuf.h"
#include "eval/value.h"
#include "lang/parse.h"

/* Formats with val_format_num into a static buffer. */
static const char *fmt_num(facet_ctx *ctx, double d) {
    static char out[128];
    sbuf b;
    sb_init(&b, ctx);
    val_format_num(&b, d);
    sb_putc(&b, '\0');
    snprintf(out, sizeof out, "%s", b.data);
    sb_free(&b);
    return out;
}

static const char *fmt_val(facet_ctx *ctx, val v, bool as_str) {
    static char out[1024];
    sbuf b;
    sb_init(&b, ctx);
    if (as_str)
        val_format_str(ctx, &b, v);
    else
        val_format(ctx, &b, v);
    sb_putc(&b, '\0');
    snprintf(out, sizeof out, "%s", b.data);
    sb_free(&b);
    return out;
}

/* echo((x+k)*pow(10,e-e1)) for x = e1*pow(10,e1), e1 in [1:6], e in [-10:10], k in 1, 5, 6:
 * the output of OpenSCAD 2021.01 (`openscad -o out.echo`), which agrees with the
 * expectations of OpenSCAD's own echo-tests (issue #2950: trailing zeros, exponents, and
 * exact ties such as 600000.5, which round away from zero). */
static const struct {
    int e1, e, k;
    const char *expect;
} num_table[] = {
    {1, -10, 1, "1.1e-10"},
    {1, -10, 5, "1.5e-10"},
    {1, -10, 6, "1.6e-10"},
    {1, -9, 1, "1.1e-9"},
    {1, -9, 5, "1.5e-9"},
    {1, -9, 6, "1.6e-9"},
    {1, -8, 1, "1.1e-8"},
    {1, -8, 5, "1.5e-8"},
    {1, -8, 6, "1.6e-8"},
    {1, -7, 1, "1.1e-7"},
    {1, -7, 5, "1.5e-7"},
    {1, -7, 6, "1.6e-7"},
    {1, -6, 1, "1.1e-6"},
    {1, -6, 5, "1.5e-6"},
    {1, -6, 6, "1.6e-6"},
    {1, -5, 1, "0.000011"},
    {1, -5, 5, "0.000015"},
    {1, -5, 6, "0.000016"},
    {1, -4, 1, "0.00011"},
    {1, -4, 5, "0.00015"},
    {1, -4, 6, "0.00016"},
    {1, -3, 1, "0.0011"},
    {1, -3, 5, "0.0015"},
    {1, -3, 6, "0.0016"},
    {1, -2, 1, "0.011"},
    {1, -2, 5, "0.015"},
    {1, -2, 6, "0.016"},
    {1, -1, 1, "0.11"},
    {1, -1, 5, "0.15"},
    {1, -1, 6, "0.16"},
    {1, 0, 1, "1.1"},
    {1, 0, 5, "1.5"},
    {1, 0, 6, "1.6"},
    {1, 1, 1, "11"},
    {1, 1, 5, "15"},
    {1, 1, 6, "16"},
    {1, 2, 1, "110"},
    {1, 2, 5, "150"},
    {1, 2, 6, "160"},
    {1, 3, 1, "1100"},
    {1, 3, 5, "1500"},
    {1, 3, 6, "1600"},
    {1, 4, 1, "11000"},
    {1, 4, 5, "15000"},
    {1, 4, 6, "16000"},
    {1, 5, 1, "110000"},
    {1, 5, 5, "150000"},
    {1, 5, 6, "160000"},
    {1, 6, 1, "1.1e+6"},
    {1, 6, 5, "1.5e+6"},
    {1, 6, 6, "1.6e+6"},
    {1, 7, 1, "1.1e+7"},
    {1, 7, 5, "1.5e+7"},
    {1, 7, 6, "1.6e+7"},
    {1, 8, 1, "1.1e+8"},
    {1, 8, 5, "1.5e+8"},
    {1, 8, 6, "1.6e+8"},
    {1, 9, 1, "1.1e+9"},
    {1, 9, 5, "1.5e+9"},
    {1, 9, 6, "1.6e+9"},
    {1, 10, 1, "1.1e+10"},
    {1, 10, 5, "1.5e+10"},
    {1, 10, 6, "1.6e+10"},
    {2, -10, 1, "2.01e-10"},
    {2, -10, 5, "2.05e-10"},
    {2, -10, 6, "2.06e-10"},
    {2, -9, 1, "2.01e-9"},
    {2, -9, 5, "2.05e-9"},
    {2, -9, 6, "2.06e-9"},
    {2, -8, 1, "2.01e-8"},
    {2, -8, 5, "2.05e-8"},
    {2, -8, 6, "2.06e-8"},
    {2, -7, 1, "2.01e-7"},
    {2, -7, 5, "2.05e-7"},
    {2, -7, 6, "2.06e-7"},
    {2, -6, 1, "2.01e-6"},
    {2, -6, 5, "2.05e-6"},
    {2, -6, 6, "2.06e-6"},
    {2, -5, 1, "0.0000201"},
    {2, -5, 5, "0.0000205"},
    {2, -5, 6, "0.0000206"},
    {2, -4, 1, "0.000201"},
    {2, -4, 5, "0.000205"},
    {2, -4, 6, "0.000206"},
    {2, -3, 1, "0.00201"},
    {2, -3, 5, "0.00205"},
    {2, -3, 6, "0.00206"},
    {2, -2, 1, "0.0201"},
    {2, -2, 5, "0.0205"},
    {2, -2, 6, "0.0206"},
    {2, -1, 1, "0.201"},
    {2, -1, 5, "0.205"},
    {2, -1, 6, "0.206"},
    {2, 0, 1, "2.01"},
    {2, 0, 5, "2.05"},
    {2, 0, 6, "2.06"},
    {2, 1, 1, "20.1"},
    {2, 1, 5, "20.5"},
    {2, 1, 6, "20.6"},
    {2, 2, 1, "201"},
    {2, 2, 5, "205"},
    {2, 2, 6, "206"},
    {2, 3, 1, "2010"},
    {2, 3, 5, "2050"},
    {2, 3, 6, "2060"},
    {2, 4, 1, "20100"},
    {2, 4, 5, "20500"},
    {2, 4, 6, "20600"},
    {2, 5, 1, "201000"},
    {2, 5, 5, "205000"},
    {2, 5, 6, "206000"},
    {2, 6, 1, "2.01e+6"},
    {2, 6, 5, "2.05e+6"},
    {2, 6, 6, "2.06e+6"},
    {2, 7, 1, "2.01e+7"},
    {2, 7, 5, "2.05e+7"},
    {2, 7, 6, "2.06e+7"},
    {2, 8, 1, "2.01e+8"},
    {2, 8, 5, "2.05e+8"},
    {2, 8, 6, "2.06e+8"},
    {2, 9, 1, "2.01e+9"},
    {2, 9, 5, "2.05e+9"},
    {2, 9, 6, "2.06e+9"},
    {2, 10, 1, "2.01e+10"},
    {2, 10, 5, "2.05e+10"},
    {2, 10, 6, "2.06e+10"},
    {3, -10, 1, "3.001e-10"},
    {3, -10, 5, "3.005e-10"},
    {3, -10, 6, "3.006e-10"},
    {3, -9, 1, "3.001e-9"},
    {3, -9, 5, "3.005e-9"},
    {3, -9, 6, "3.006e-9"},
    {3, -8, 1, "3.001e-8"},
    {3, -8, 5, "3.005e-8"},
    {3, -8, 6, "3.006e-8"},
    {3, -7, 1, "3.001e-7"},
    {3, -7, 5, "3.005e-7"},
    {3, -7, 6, "3.006e-7"},
    {3, -6, 1, "3.001e-6"},
    {3, -6, 5, "3.005e-6"},
    {3, -6, 6, "3.006e-6"},
    {3, -5, 1, "0.00003001"},
    {3, -5, 5, "0.00003005"},
    {3, -5, 6, "0.00003006"},
    {3, -4, 1, "0.0003001"},
    {3, -4, 5, "0.0003005"},
    {3, -4, 6, "0.0003006"},
    {3, -3, 1, "0.003001"},
    {3, -3, 5, "0.003005"},
    {3, -3, 6, "0.003006"},
    {3, -2, 1, "0.03001"},
    {3, -2, 5, "0.03005"},
    {3, -2, 6, "0.03006"},
    {3, -1, 1, "0.3001"},
    {3, -1, 5, "0.3005"},
    {3, -1, 6, "0.3006"},
    {3, 0, 1, "3.001"},
    {3, 0, 5, "3.005"},
    {3, 0, 6, "3.006"},
    {3, 1, 1, "30.01"},
    {3, 1, 5, "30.05"},
    {3, 1, 6, "30.06"},
    {3, 2, 1, "300.1"},
    {3, 2, 5, "300.5"},
    {3, 2, 6, "300.6"},
    {3, 3, 1, "3001"},
    {3, 3, 5, "3005"},
    {3, 3, 6, "3006"},
    {3, 4, 1, "30010"},
    {3, 4, 5, "30050"},
    {3, 4, 6, "30060"},
    {3, 5, 1, "300100"},
    {3, 5, 5, "300500"},
    {3, 5, 6, "300600"},
    {3, 6, 1, "3.001e+6"},
    {3, 6, 5, "3.005e+6"},
    {3, 6, 6, "3.006e+6"},
    {3, 7, 1, "3.001e+7"},
    {3, 7, 5, "3.005e+7"},
    {3, 7, 6, "3.006e+7"},
    {3, 8, 1, "3.001e+8"},
    {3, 8, 5, "3.005e+8"},
    {3, 8, 6, "3.006e+8"},
    {3, 9, 1, "3.001e+9"},
    {3, 9, 5, "3.005e+9"},
    {3, 9, 6, "3.006e+9"},
    {3, 10, 1, "3.001e+10"},
    {3, 10, 5, "3.005e+10"},
    {3, 10, 6, "3.006e+10"},
    {4, -10, 1, "4.0001e-10"},
    {4, -10, 5, "4.0005e-10"},
    {4, -10, 6, "4.0006e-10"},
    {4, -9, 1, "4.0001e-9"},
    {4, -9, 5, "4.0005e-9"},
    {4, -9, 6, "4.0006e-9"},
    {4, -8, 1, "4.0001e-8"},
    {4, -8, 5, "4.0005e-8"},
    {4, -8, 6, "4.0006e-8"},
    {4, -7, 1, "4.0001e-7"},
    {4, -7, 5, "4.0005e-7"},
    {4, -7, 6, "4.0006e-7"},
    {4, -6, 1, "4.0001e-6"},
    {4, -6, 5, "4.0005e-6"},
    {4, -6, 6, "4.0006e-6"},
    {4, -5, 1, "0.000040001"},
    {4, -5, 5, "0.000040005"},
    {4, -5, 6, "0.000040006"},
    {4, -4, 1, "0.00040001"},
    {4, -4, 5, "0.00040005"},
    {4, -4, 6, "0.00040006"},
    {4, -3, 1, "0.0040001"},
    {4, -3, 5, "0.0040005"},
    {4, -3, 6, "0.0040006"},
    {4, -2, 1, "0.040001"},
    {4, -2, 5, "0.040005"},
    {4, -2, 6, "0.040006"},
    {4, -1, 1, "0.40001"},
    {4, -1, 5, "0.40005"},
    {4, -1, 6, "0.40006"},
    {4, 0, 1, "4.0001"},
    {4, 0, 5, "4.0005"},
    {4, 0, 6, "4.0006"},
    {4, 1, 1, "40.001"},
    {4, 1, 5, "40.005"},
    {4, 1, 6, "40.006"},
    {4, 2, 1, "400.01"},
    {4, 2, 5, "400.05"},
    {4, 2, 6, "400.06"},
    {4, 3, 1, "4000.1"},
    {4, 3, 5, "4000.5"},
    {4, 3, 6, "4000.6"},
    {4, 4, 1, "40001"},
    {4, 4, 5, "40005"},
    {4, 4, 6, "40006"},
    {4, 5, 1, "400010"},
    {4, 5, 5, "400050"},
    {4, 5, 6, "400060"},
    {4, 6, 1, "4.0001e+6"},
    {4, 6, 5, "4.0005e+6"},
    {4, 6, 6, "4.0006e+6"},
    {4, 7, 1, "4.0001e+7"},
    {4, 7, 5, "4.0005e+7"},
    {4, 7, 6, "4.0006e+7"},
    {4, 8, 1, "4.0001e+8"},
    {4, 8, 5, "4.0005e+8"},
    {4, 8, 6, "4.0006e+8"},
    {4, 9, 1, "4.0001e+9"},
    {4, 9, 5, "4.0005e+9"},
    {4, 9, 6, "4.0006e+9"},
    {4, 10, 1, "4.0001e+10"},
    {4, 10, 5, "4.0005e+10"},
    {4, 10, 6, "4.0006e+10"},
    {5, -10, 1, "5.00001e-10"},
    {5, -10, 5, "5.00005e-10"},
    {5, -10, 6, "5.00006e-10"},
    {5, -9, 1, "5.00001e-9"},
    {5, -9, 5, "5.00005e-9"},
    {5, -9, 6, "5.00006e-9"},
    {5, -8, 1, "5.00001e-8"},
    {5, -8, 5, "5.00005e-8"},
    {5, -8, 6, "5.00006e-8"},
    {5, -7, 1, "5.00001e-7"},
    {5, -7, 5, "5.00005e-7"},
    {5, -7, 6, "5.00006e-7"},
    {5, -6, 1, "5.00001e-6"},
    {5, -6, 5, "5.00005e-6"},
    {5, -6, 6, "5.00006e-6"},
    {5, -5, 1, "0.0000500001"},
    {5, -5, 5, "0.0000500005"},
    {5, -5, 6, "0.0000500006"},
    {5, -4, 1, "0.000500001"},
    {5, -4, 5, "0.000500005"},
    {5, -4, 6, "0.000500006"},
    {5, -3, 1, "0.00500001"},
    {5, -3, 5, "0.00500005"},
    {5, -3, 6, "0.00500006"},
    {5, -2, 1, "0.0500001"},
    {5, -2, 5, "0.0500005"},
    {5, -2, 6, "0.0500006"},
    {5, -1, 1, "0.500001"},
    {5, -1, 5, "0.500005"},
    {5, -1, 6, "0.500006"},
    {5, 0, 1, "5.00001"},
    {5, 0, 5, "5.00005"},
    {5, 0, 6, "5.00006"},
    {5, 1, 1, "50.0001"},
    {5, 1, 5, "50.0005"},
    {5, 1, 6, "50.0006"},
    {5, 2, 1, "500.001"},
    {5, 2, 5, "500.005"},
    {5, 2, 6, "500.006"},
    {5, 3, 1, "5000.01"},
    {5, 3, 5, "5000.05"},
    {5, 3, 6, "5000.06"},
    {5, 4, 1, "50000.1"},
    {5, 4, 5, "50000.5"},
    {5, 4, 6, "50000.6"},
    {5, 5, 1, "500001"},
    {5, 5, 5, "500005"},
    {5, 5, 6, "500006"},
    {5, 6, 1, "5.00001e+6"},
    {5, 6, 5, "5.00005e+6"},
    {5, 6, 6, "5.00006e+6"},
    {5, 7, 1, "5.00001e+7"},
    {5, 7, 5, "5.00005e+7"},
    {5, 7, 6, "5.00006e+7"},
    {5, 8, 1, "5.00001e+8"},
    {5, 8, 5, "5.00005e+8"},
    {5, 8, 6, "5.00006e+8"},
    {5, 9, 1, "5.00001e+9"},
    {5, 9, 5, "5.00005e+9"},
    {5, 9, 6, "5.00006e+9"},
    {5, 10, 1, "5.00001e+10"},
    {5, 10, 5, "5.00005e+10"},
    {5, 10, 6, "5.00006e+10"},
    {6, -10, 1, "6e-10"},
    {6, -10, 5, "6e-10"},
    {6, -10, 6, "6.00001e-10"},
    {6, -9, 1, "6e-9"},
    {6, -9, 5, "6.00001e-9"},
    {6, -9, 6, "6.00001e-9"},
    {6, -8, 1, "6e-8"},
    {6, -8, 5, "6.00001e-8"},
    {6, -8, 6, "6.00001e-8"},
    {6, -7, 1, "6e-7"},
    {6, -7, 5, "6e-7"},
    {6, -7, 6, "6.00001e-7"},
    {6, -6, 1, "6e-6"},
    {6, -6, 5, "6e-6"},
    {6, -6, 6, "6.00001e-6"},
    {6, -5, 1, "0.00006"},
    {6, -5, 5, "0.00006"},
    {6, -5, 6, "0.0000600001"},
    {6, -4, 1, "0.0006"},
    {6, -4, 5, "0.000600001"},
    {6, -4, 6, "0.000600001"},
    {6, -3, 1, "0.006"},
    {6, -3, 5, "0.00600001"},
    {6, -3, 6, "0.00600001"},
    {6, -2, 1, "0.06"},
    {6, -2, 5, "0.06"},
    {6, -2, 6, "0.0600001"},
    {6, -1, 1, "0.6"},
    {6, -1, 5, "0.6"},
    {6, -1, 6, "0.600001"},
    {6, 0, 1, "6"},
    {6, 0, 5, "6"},
    {6, 0, 6, "6.00001"},
    {6, 1, 1, "60"},
    {6, 1, 5, "60.0001"},
    {6, 1, 6, "60.0001"},
    {6, 2, 1, "600"},
    {6, 2, 5, "600"},
    {6, 2, 6, "600.001"},
    {6, 3, 1, "6000"},
    {6, 3, 5, "6000.01"},
    {6, 3, 6, "6000.01"},
    {6, 4, 1, "60000"},
    {6, 4, 5, "60000.1"},
    {6, 4, 6, "60000.1"},
    {6, 5, 1, "600000"},
    {6, 5, 5, "600001"},
    {6, 5, 6, "600001"},
    {6, 6, 1, "6e+6"},
    {6, 6, 5, "6.00001e+6"},
    {6, 6, 6, "6.00001e+6"},
    {6, 7, 1, "6e+7"},
    {6, 7, 5, "6.00001e+7"},
    {6, 7, 6, "6.00001e+7"},
    {6, 8, 1, "6e+8"},
    {6, 8, 5, "6.00001e+8"},
    {6, 8, 6, "6.00001e+8"},
    {6, 9, 1, "6e+9"},
    {6, 9, 5, "6.00001e+9"},
    {6, 9, 6, "6.00001e+9"},
    {6, 10, 1, "6e+10"},
    {6, 10, 5, "6.00001e+10"},
    {6, 10, 6, "6.00001e+10"},
};

static void test_number_table_matches_openscad(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    for (size_t i = 0; i < sizeof num_table / sizeof num_table[0]; i++) {
        double x = num_table[i].e1 * pow(10, num_table[i].e1);
        double d = (x + num_table[i].k) * pow(10, num_table[i].e - num_table[i].e1);
        const char *got = fmt_num(ctx, d);
        if (strcmp(got, num_table[i].expect) != 0)
            fail_msg("e1=%d e=%d k=%d: got %s, expected %s", num_table[i].e1, num_table[i].e,
                     num_table[i].k, got, num_table[i].expect);
    }
    tu_ctx_free(ctx);
}

/* native-tests/data/values/numbers.tsv: 3000 doubles (random magnitudes, random bit
 * patterns, exact seven-digit ties, dyadic fractions) and what OpenSCAD 2021.01 echoed for
 * each. */
static void test_number_corpus_matches_openscad(void **state) {
    (void)state;
    char path[1024];
    snprintf(path, sizeof path, "%s/values/numbers.tsv", tu_env("FACET_TESTDATA", "native-tests/data"));
    FILE *f = fopen(path, "r");
    if (!f) fail_msg("cannot open %s", path);
    facet_ctx *ctx = tu_ctx();
    char line[256];
    int n = 0;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#') continue;
        line[strcspn(line, "\r\n")] = '\0';
        char *tab = strchr(line, '\t');
        assert_non_null(tab);
        *tab = '\0';
        double d = strtod(line, NULL);
        const char *got = fmt_num(ctx, d);
        if (strcmp(got, tab + 1) != 0) fail_msg("%s: got %s, OpenSCAD %s", line, got, tab + 1);
        n++;
    }
    fclose(f);
    assert_int_equal(n, 3000);
    tu_ctx_free(ctx);
}

static void test_number_special_forms(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    /* all from OpenSCAD 2021.01's echo() */
    assert_string_equal(fmt_num(ctx, 1.0 / 3), "0.333333");
    assert_string_equal(fmt_num(ctx, 1e-6), "1e-6");
    assert_string_equal(fmt_num(ctx, 1e6), "1e+6");
    assert_string_equal(fmt_num(ctx, 100000), "100000");
    assert_string_equal(fmt_num(ctx, 1e21), "1e+21");
    assert_string_equal(fmt_num(ctx, 1e20), "1e+20");
    assert_string_equal(fmt_num(ctx, 123456789), "1.23457e+8");
    assert_string_equal(fmt_num(ctx, -0.0), "0");
    assert_string_equal(fmt_num(ctx, 0.0001), "0.0001");
    assert_string_equal(fmt_num(ctx, 0.00001), "0.00001");
    assert_string_equal(fmt_num(ctx, 1.5e-7), "1.5e-7");
    assert_string_equal(fmt_num(ctx, INFINITY), "inf");
    assert_string_equal(fmt_num(ctx, -INFINITY), "-inf");
    assert_string_equal(fmt_num(ctx, NAN), "nan");
    assert_string_equal(fmt_num(ctx, 3.14159265358979), "3.14159");
    assert_string_equal(fmt_num(ctx, 0.8), "0.8");
    assert_string_equal(fmt_num(ctx, -54.44444444), "-54.4444");
    assert_string_equal(fmt_num(ctx, 20210100), "2.02101e+7");
    /* analytic: exact ties round away from zero; 999999.5 carries into a new digit */
    assert_string_equal(fmt_num(ctx, 100000.5), "100001");
    assert_string_equal(fmt_num(ctx, -100000.5), "-100001");
    assert_string_equal(fmt_num(ctx, 999999.5), "1e+6");
    assert_string_equal(fmt_num(ctx, 0.5), "0.5");
    assert_string_equal(fmt_num(ctx, 5e-324), "4.94066e-324");
    assert_string_equal(fmt_num(ctx, 1.7976931348623157e308), "1.79769e+308");
    tu_ctx_free(ctx);
}

static void test_value_formatting(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    size_t start = ctx->mem.used;
    TU_PROTECT(ctx) {
        val items[6];
        items[0] = val_num(1);
        items[1] = val_str_cstr(ctx, "a\"b");
        items[2] = val_vec3(ctx, 2, 3.5, -0.0);
        items[3] = val_undef();
        items[4] = val_bool(true);
        items[5] = val_range_new(ctx, 0, 1, 10);
        val v = val_vec_from(ctx, items, 6);
        for (int i = 0; i < 6; i++) val_release(ctx, items[i]);
        /* OpenSCAD prints strings inside quotes without escaping them */
        assert_string_equal(fmt_val(ctx, v, false),
                            "[1, \"a\"b\", [2, 3.5, 0], undef, true, [0 : 1 : 10]]");
        assert_string_equal(fmt_val(ctx, v, true),
                            "[1, \"a\"b\", [2, 3.5, 0], undef, true, [0 : 1 : 10]]");
        val s = val_str_cstr(ctx, "x\ny");
        assert_string_equal(fmt_val(ctx, s, false), "\"x\ny\"");
        assert_string_equal(fmt_val(ctx, s, true), "x\ny");
        val e = val_vec_new(ctx, 0);
        assert_string_equal(fmt_val(ctx, e, false), "[]");
        assert_string_equal(fmt_val(ctx, val_bool(false), true), "false");
        val r = val_range_new(ctx, -1.5, 0.25, 1e7);
        assert_string_equal(fmt_val(ctx, r, false), "[-1.5 : 0.25 : 1e+7]");
        val_release(ctx, v);
        val_release(ctx, s);
        val_release(ctx, e);
        val_release(ctx, r);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    assert_int_equal(ctx->mem.used, start);
    tu_ctx_free(ctx);
}

/* [[[...[1]...]]] nested n deep. */
static val nest(facet_ctx *ctx, int n) {
    val v = val_num(1);
    for (int i = 0; i < n; i++) {
        val w = val_vec_new(ctx, 1);
        w.u.v->items[0] = v;
        v = w;
    }
    return v;
}

static void test_deep_vectors_do_not_exhaust_the_stack(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    size_t start = ctx->mem.used;
    TU_PROTECT(ctx) {
        val a = nest(ctx, 200000), b = nest(ctx, 200000);
        assert_true(val_equal(a, b));
        val_release(ctx, a);
        val_release(ctx, b);
        val small = nest(ctx, 3);
        assert_string_equal(fmt_val(ctx, small, false), "[[[1]]]");
        val_release(ctx, small);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    assert_int_equal(ctx->mem.used, start);
    /* in a warning it prints as "..." (OpenSCAD's toEchoStringNoThrow) */
    TU_PROTECT(ctx) {
        val deep = nest(ctx, 50000);
        sbuf b;
        sb_init(&b, ctx);
        sb_puts(&b, "x=");
        val_format_nothrow(ctx, &b, deep);
        assert_string_equal(b.data, "x=...");
        sb_free(&b);
        val_release(ctx, deep);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    /* printing one is OpenSCAD's error, not a crash */
    TU_PROTECT(ctx) {
        val deep = nest(ctx, 50000);
        fmt_val(ctx, deep, false);
        fail_msg("formatting a 50000-deep vector returned");
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_RECURSION_DEPTH);
    assert_string_equal(ctx->err.message, "Stack exhausted while trying to convert a vector to EchoString");
    tu_ctx_free(ctx);
}

static void test_equality(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    size_t start = ctx->mem.used;
    TU_PROTECT(ctx) {
        assert_true(val_equal(val_undef(), val_undef()));
        assert_false(val_equal(val_num(NAN), val_num(NAN)));
        assert_true(val_equal(val_num(-0.0), val_num(0.0)));
        assert_false(val_equal(val_num(1), val_bool(true))); /* no conversion across types */
        assert_false(val_equal(val_num(0), val_undef()));
        assert_true(val_equal(val_bool(false), val_bool(false)));
        val s1 = val_str_cstr(ctx, "abc"), s2 = val_str_cstr(ctx, "abc"), s3 = val_str_cstr(ctx, "abd");
        assert_true(val_equal(s1, s2));
        assert_false(val_equal(s1, s3));
        val v1 = val_vec3(ctx, 1, 2, 3), v2 = val_vec3(ctx, 1, 2, 3), v3 = val_vec3(ctx, 1, 2, NAN);
        assert_true(val_equal(v1, v2));
        assert_false(val_equal(v1, v3));
        assert_false(val_equal(v3, v3)); /* NaN inside, even the same vector */
        val twice_v3[2] = {v3, v3};
        val w1 = val_vec_from(ctx, twice_v3, 2);
        assert_false(val_equal(w1, w1)); /* also when shared deeper down */
        val_release(ctx, w1);
        val items[2] = {v1, s1};
        val n1 = val_vec_from(ctx, items, 2);
        items[0] = v2;
        val n2 = val_vec_from(ctx, items, 2);
        val n3 = val_vec_from(ctx, items, 1);
        assert_true(val_equal(n1, n2));
        assert_false(val_equal(n1, n3));
        assert_false(val_equal(n1, v1));
        /* ranges compare by the values they produce (OpenSCAD 2021.01: false, true, true,
         * true for the four pairs below) */
        val r1 = val_range_new(ctx, 0, 0, 0), r2 = val_range_new(ctx, 1, 0, 1);
        assert_false(val_equal(r1, r2));
        val r3 = val_range_new(ctx, 5, 1, 1), r4 = val_range_new(ctx, 7, 1, 2);
        assert_true(val_equal(r3, r4));
        val r5 = val_range_new(ctx, 1, 2, 5), r6 = val_range_new(ctx, 1, 2, 6);
        assert_true(val_equal(r5, r6));
        val r7 = val_range_new(ctx, 0, 1, 0), r8 = val_range_new(ctx, 0, 1, 0.5);
        assert_true(val_equal(r7, r8));
        assert_false(val_equal(r5, r7));
        /* functions by identity */
        val f1 = val_func_new(ctx, NULL, NULL), f2 = val_func_new(ctx, NULL, NULL);
        assert_true(val_equal(f1, f1));
        assert_false(val_equal(f1, f2));
        val all[] = {s1, s2, s3, v1, v2, v3, n1, n2, n3, r1, r2, r3, r4, r5, r6, r7, r8, f1, f2};
        for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) val_release(ctx, all[i]);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    assert_int_equal(ctx->mem.used, start);
    tu_ctx_free(ctx);
}

static void test_truthiness(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        assert_false(val_truthy(val_undef()));
        assert_false(val_truthy(val_bool(false)));
        assert_true(val_truthy(val_bool(true)));
        assert_false(val_truthy(val_num(0)));
        assert_false(val_truthy(val_num(-0.0)));
        assert_true(val_truthy(val_num(NAN)));
        assert_true(val_truthy(val_num(-1)));
        val e = val_str_cstr(ctx, ""), s = val_str_cstr(ctx, "0");
        assert_false(val_truthy(e));
        assert_true(val_truthy(s));
        val ve = val_vec_new(ctx, 0), v = val_vec_new(ctx, 1);
        assert_false(val_truthy(ve));
        assert_true(val_truthy(v)); /* [undef] is true */
        val r = val_range_new(ctx, 5, 1, 1); /* even an empty range */
        assert_true(val_truthy(r));
        val f = val_func_new(ctx, NULL, NULL);
        assert_true(val_truthy(f));
        assert_string_equal(val_type_name(VAL_UNDEF), "undefined");
        assert_string_equal(val_type_name(VAL_VEC), "vector");
        assert_string_equal(val_type_name(VAL_FUNC), "function");
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

static uint64_t count3(double b, double s, double e) {
    val_range r = {1, b, s, e};
    return val_range_count(&r);
}

static uint64_t iter3(double b, double s, double e) {
    val_range r = {1, b, s, e};
    return val_range_iter_count(&r);
}

static void test_ranges(void **state) {
    (void)state;
    /* expectations from OpenSCAD's range-tests (echo corpus) and RangeType::numValues */
    assert_int_equal(count3(1, 1, 4), 4);
    assert_int_equal(count3(4, 1, 1), 0);
    assert_int_equal(count3(0, 1, 0), 1);
    assert_int_equal(iter3(0, 1, 0), 1);
    assert_int_equal(count3(1, -1, 5), 0);
    assert_int_equal(count3(5, -1, 1), 5);
    assert_int_equal(count3(3, -0.5, -3), 13);
    assert_int_equal(count3(0, 0, 0), 1);
    assert_int_equal(iter3(0, 0, 0), 0);  /* [0:0:0] iterates nothing */
    assert_int_equal(count3(1, 0, 5), 4294967295u); /* "too many elements (4294967295)" */
    assert_int_equal(iter3(1, 0, 5), 0);
    assert_int_equal(count3(0, 1, INFINITY), 4294967295u);
    assert_int_equal(count3(0, INFINITY, 5), 1);
    assert_int_equal(count3(0, 1, 1e12), 4294967295u);
    assert_int_equal(count3(NAN, 1, 5), 0);
    assert_int_equal(count3(0, NAN, 5), 0);
    assert_int_equal(iter3(0, NAN, 5), 0);
    assert_int_equal(count3(0, 0.1, 1), 11);
    /* range-tests: len([for (x=[0:1/d:1]) 0]) == d+1 for every d in [1:1000] */
    for (int d = 1; d <= 1000; d++)
        if (count3(0, 1.0 / d, 1) != (uint64_t)d + 1) fail_msg("[0:1/%d:1] miscounted", d);
    val_range r = {1, 3, -0.5, -3};
    assert_true(val_range_at(&r, 0) == 3);
    assert_true(val_range_at(&r, 12) == -3);
    assert_true(val_range_at(&r, 7) == -0.5);
    /* operators-tests (echo corpus): [0:3] vs [0:3] is neither > nor <, but >= and <=;
     * [0:1] < [0:3]; empty ranges compare equal whatever their parameters */
    val_range r03 = {1, 0, 1, 3}, r01 = {1, 0, 1, 1}, e1 = {1, 1, -1, 3}, e2 = {1, -1, -1, 1};
    assert_false(val_range_less(&r03, &r03));
    assert_true(val_range_less_eq(&r03, &r03));
    assert_true(val_range_less(&r01, &r03));
    assert_false(val_range_less(&r03, &r01));
    assert_true(val_range_less_eq(&r01, &r03));
    assert_false(val_range_less(&e1, &e2));
    assert_true(val_range_less_eq(&e1, &e2) && val_range_less_eq(&e2, &e1));
    assert_true(val_range_less(&e1, &r01));
    /* for-tests: for (i = [0:1/0:0]) echo(i) prints 0, and [1:-1/0:0] prints 1 */
    val_range inf_step = {1, 0, INFINITY, 0};
    assert_int_equal(val_range_iter_count(&inf_step), 1);
    assert_true(val_range_at(&inf_step, 0) == 0);
    val_range ninf_step = {1, 1, -INFINITY, 0};
    assert_int_equal(val_range_iter_count(&ninf_step), 1);
    assert_true(val_range_at(&ninf_step, 0) == 1);
    val_range ninf_up = {1, 0, -INFINITY, 1};
    assert_int_equal(val_range_count(&ninf_up), 0);
}

static void test_strings_utf8(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    size_t start = ctx->mem.used;
    TU_PROTECT(ctx) {
        val s = val_str_cstr(ctx, "a\xD0\x9B" "b\xF0\x9F\x82\xA1");  /* aЛb🂡 */
        assert_int_equal(s.u.s->nchars, 4);
        assert_int_equal(s.u.s->len, 8);
        val c1 = val_str_char_at(ctx, s.u.s, 1);
        assert_int_equal(c1.type, VAL_STR);
        assert_string_equal(c1.u.s->data, "\xD0\x9B");
        val c3 = val_str_char_at(ctx, s.u.s, 3);
        assert_string_equal(c3.u.s->data, "\xF0\x9F\x82\xA1");
        assert_int_equal(val_str_char_at(ctx, s.u.s, 4).type, VAL_UNDEF);
        assert_int_equal(val_utf8_decode(c3.u.s->data, c3.u.s->len), 0x1F0A1);
        assert_true(val_utf8_valid(s.u.s->data, s.u.s->len));
        /* latin-1 bytes: a stray continuation byte counts as one character, a lead byte
         * takes its continuation with it (glib's rules) */
        const char bad[] = "\xA4\xC4\xD6\xDC\xDF";
        assert_int_equal(val_utf8_count(bad, 5), 3);
        assert_false(val_utf8_valid(bad, 5));
        assert_false(val_utf8_valid("\xC0\x80", 2)); /* overlong */
        assert_false(val_utf8_valid("\xED\xA0\x80", 3)); /* surrogate */
        assert_int_equal(val_utf8_count("ab\xE2\x82", 4), 2); /* truncated last char */
        val_release(ctx, s);
        val_release(ctx, c1);
        val_release(ctx, c3);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    assert_int_equal(ctx->mem.used, start);
    tu_ctx_free(ctx);
}

static int env_released;
static void count_env_release(facet_ctx *ctx, struct scope *env) {
    (void)ctx;
    (void)env;
    env_released++;
}

static void test_reference_counts_balance(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    size_t start = ctx->mem.used;
    TU_PROTECT(ctx) {
        val s = val_str_cstr(ctx, "shared");
        val f = val_func_new(ctx, NULL, (struct scope *)&env_released);
        f.u.f->env_release = count_env_release;
        val_builder b;
        vb_init(&b, ctx);
        for (int i = 0; i < 100; i++) {
            vb_push(&b, s);
            vb_push_take(&b, val_vec3(ctx, i, i, i));
            vb_push(&b, f);
        }
        val big = vb_finish(&b);
        assert_int_equal(big.u.v->n, 300);
        assert_int_equal(s.u.s->rc, 101);
        val twice = val_vec_cat(ctx, big.u.v, big.u.v);
        assert_int_equal(twice.u.v->n, 600);
        assert_int_equal(s.u.s->rc, 301);
        val_release(ctx, big);
        assert_int_equal(s.u.s->rc, 201);
        val_retain(twice);
        val_release(ctx, twice);
        val_release(ctx, twice);
        assert_int_equal(s.u.s->rc, 1);
        assert_int_equal(env_released, 0);
        val_release(ctx, f);
        assert_int_equal(env_released, 1);
        val_release(ctx, s);
        /* a discarded builder releases what it holds */
        vb_init(&b, ctx);
        vb_push_take(&b, val_str_cstr(ctx, "gone"));
        vb_push_take(&b, val_range_new(ctx, 0, 1, 2));
        vb_discard(&b);
        double xyz[3];
        val v = val_vec3(ctx, 1, 2, 3);
        assert_true(val_get_vec(v, xyz, 3));
        assert_true(xyz[2] == 3);
        assert_false(val_get_vec(v, xyz, 2));
        double x = 7;
        assert_false(val_get_num(v, &x));
        assert_true(x == 7);
        assert_true(val_get_num(val_num(4), &x) && x == 4);
        assert_true(val_equal(val_vec_at(v, 1), val_num(2)));
        assert_int_equal(val_vec_at(v, 3).type, VAL_UNDEF);
        val_release(ctx, v);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    assert_int_equal(ctx->mem.used, start);
    tu_ctx_free(ctx);
}

static void test_function_values_print_their_source(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        int file = fc_file_add(ctx, "/tmp/f.scad", "f.scad");
        const char *src = "function(x, y = 2) x + y * [1, \"a\"]";
        ast_node *lit = parse_expression(ctx, file, src, strlen(src));
        val f = val_func_new(ctx, lit, NULL);
        val v = val_vec_from(ctx, &f, 1);
        /* OpenSCAD 2021.01: echo(f); echo(str(f)); echo([f]); */
        assert_string_equal(fmt_val(ctx, f, false), "function(x, y = 2) (x + (y * [1, \"a\"]))");
        assert_string_equal(fmt_val(ctx, f, true), "function(x, y = 2) (x + (y * [1, \"a\"]))");
        assert_string_equal(fmt_val(ctx, v, false), "[function(x, y = 2) (x + (y * [1, \"a\"]))]");
        val_release(ctx, v);
        val_release(ctx, f);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

/* Objects as OpenSCAD's development version prints them: the member layout of
 * fontmetrics()'s result in the corpus (echo/text-metrics-test.echo). */
static void test_objects(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    size_t start = ctx->mem.used;
    TU_PROTECT(ctx) {
        val font = val_obj_new(ctx, 2);
        val_obj_set_take(ctx, font, 0, "family", val_str_cstr(ctx, "Liberation Sans"));
        val_obj_set_take(ctx, font, 1, "style", val_str_cstr(ctx, "Regular"));
        val o = val_obj_new(ctx, 3);
        val_obj_set_take(ctx, o, 0, "interline", val_num(15.9709));
        val_obj_set_take(ctx, o, 1, "pos", val_vec3(ctx, 1, -0.5, 0));
        val_retain(font);
        val_obj_set_take(ctx, o, 2, "font", font);
        assert_int_equal(font.u.o->rc, 2);
        assert_string_equal(fmt_val(ctx, o, false),
                            "{ interline = 15.9709; pos = [1, -0.5, 0]; font = { family = \"Liberation "
                            "Sans\"; style = \"Regular\"; }; }");
        /* str() prints objects the same way; inside a vector too */
        assert_string_equal(fmt_val(ctx, font, true), "{ family = \"Liberation Sans\"; style = \"Regular\"; }");
        val v = val_vec_from(ctx, &font, 1);
        assert_string_equal(fmt_val(ctx, v, false), "[{ family = \"Liberation Sans\"; style = \"Regular\"; }]");
        val empty = val_obj_new(ctx, 0);
        assert_string_equal(fmt_val(ctx, empty, false), "{ }");
        /* members by name; a missing one is undef */
        assert_true(val_equal(val_obj_get(o, "interline"), val_num(15.9709)));
        assert_true(val_equal(val_obj_get(val_obj_get(o, "font"), "style"), val_vec_at(v, 0).u.o->items[3]));
        assert_int_equal(val_obj_get(o, "nothere").type, VAL_UNDEF);
        assert_int_equal(val_obj_get(val_num(1), "x").type, VAL_UNDEF);
        /* OpenSCAD leaves object == object undefined: as a truth value, never equal */
        val same = val_obj_new(ctx, 2);
        val_obj_set_take(ctx, same, 0, "family", val_str_cstr(ctx, "Liberation Sans"));
        val_obj_set_take(ctx, same, 1, "style", val_str_cstr(ctx, "Regular"));
        val other = val_obj_new(ctx, 2);
        val_obj_set_take(ctx, other, 0, "family", val_str_cstr(ctx, "Liberation Sans"));
        val_obj_set_take(ctx, other, 1, "style", val_str_cstr(ctx, "Bold"));
        assert_false(val_equal(font, same));
        assert_false(val_equal(font, font));
        assert_false(val_equal(font, other));
        assert_false(val_equal(font, o));
        assert_false(val_equal(font, empty));
        assert_false(val_equal(font, v));
        assert_string_equal(val_type_name(VAL_OBJ), "object");
        assert_true(val_truthy(font));
        /* releasing frees nested members */
        val_release(ctx, v);
        val_release(ctx, o);
        assert_int_equal(font.u.o->rc, 1);
        val_release(ctx, font);
        val_release(ctx, same);
        val_release(ctx, other);
        val_release(ctx, empty);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    assert_int_equal(ctx->mem.used, start);
    tu_ctx_free(ctx);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_number_table_matches_openscad),
        cmocka_unit_test(test_number_corpus_matches_openscad),
        cmocka_unit_test(test_number_special_forms),
        cmocka_unit_test(test_value_formatting),
        cmocka_unit_test(test_deep_vectors_do_not_exhaust_the_stack),
        cmocka_unit_test(test_equality),
        cmocka_unit_test(test_truthiness),
        cmocka_unit_test(test_ranges),
        cmocka_unit_test(test_strings_utf8),
        cmocka_unit_test(test_reference_counts_balance),
        cmocka_unit_test(test_function_values_print_their_source),
        cmocka_unit_test(test_objects),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
