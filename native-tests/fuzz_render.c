/*
 * fuzz_render.c — libFuzzer target: arbitrary bytes as an OpenSCAD model through the whole
 * pipeline (parse, evaluate, geometry, export).
 *
 * Whatever the input, facet_render must return an error kind or succeed: no crash, no
 * sanitizer report, no leak, no hang. Small limits keep each input cheap (256 MiB, a
 * million evaluation steps, one second), so runaway recursion, huge $fn or enormous loops
 * end in the typed limit errors instead of timing out the fuzzer. Files cannot be read
 * (include<>/import() see a missing file), which keeps runs independent of the disk. The
 * output format follows from the input's length so every exporter gets exercised.
 *
 *   make fuzz        builds build/fuzz/fuzz_render and runs it for a minute
 */
#include <stdint.h>
#include <string.h>

#include "facet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int no_files(void *user, const char *path, const char **data, size_t *len) {
    (void)user, (void)path, (void)data, (void)len;
    return -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    facet_options opt;
    memset(&opt, 0, sizeof opt);
    opt.memory_limit = (size_t)256 << 20;
    opt.step_limit = 1000000;
    opt.recursion_limit = 1000;
    opt.timeout_ms = 1000;
    opt.read_file = no_files;
    facet_ctx *ctx = facet_new(&opt);
    if (!ctx) return 0;
    facet_format fmt = (facet_format)(1 + size % (FACET_FORMAT_COUNT - 1));
    facet_result r;
    facet_error_kind k = facet_render(ctx, "fuzz.scad", (const char *)data, size, NULL, 0, fmt, &r);
    /* everything the result points to must be readable whatever happened (ASan checks) */
    volatile size_t sink = 0;
    for (size_t i = 0; i < r.size; i++) sink += r.data[i];
    sink += strlen(r.meta_json) + strlen(r.params_json);
    for (int i = 0; i < r.nlog; i++) sink += strlen(r.log[i]);
    if (k != FACET_ERR_OK) sink += strlen(facet_last_error(ctx)->message);
    (void)sink;
    facet_parameters(ctx, "fuzz.scad", (const char *)data, size, &r);
    facet_free(ctx);
    return 0;
}
