/*
 * export_num.c — number text for the exporters: OpenSCAD's "%g" look, without its loss.
 *
 * OpenSCAD writes coordinates through a C++ stream with the default precision, i.e. "%.6g":
 * 1.1 stays "1.1" but 1/3 becomes "0.333333". We keep the look and add only the digits that
 * are needed to read the value back exactly. The shortest such text is found by trying a few
 * precisions: if "%.6g" already reads back, no shorter precision can give a different
 * (shorter) text, because "%g" drops trailing zeros and a value that is the nearest double
 * (float) to a k-digit decimal rounds to that same decimal at any precision between k and 15
 * (8 for float32: the rounding error of the representation is far below half a unit in the
 * last printed digit). So the candidates are 6, then 15, 16, 17 for doubles and 6 to 9 for
 * floats; at most four snprintf/strtod pairs per number. Subnormals carry fewer bits than
 * that argument assumes, so for them every precision is tried in turn.
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "io/export.h"

static int print_prec(char *buf, int prec, double v) {
    int n = snprintf(buf, EXPORT_NUM_MAX, "%.*g", prec, v);
    return n < 0 ? 0 : n;
}

int export_num(char buf[EXPORT_NUM_MAX], double v) {
    static const int precs[] = {6, 15, 16};
    if (v != v || v - v != 0) return print_prec(buf, 6, v); /* nan, inf: as streams print them */
    if (v != 0 && fabs(v) < DBL_MIN) {
        for (int prec = 1; prec < 17; prec++) {
            int n = print_prec(buf, prec, v);
            if (strtod(buf, NULL) == v) return n;
        }
        return print_prec(buf, 17, v);
    }
    for (size_t i = 0; i < sizeof precs / sizeof precs[0]; i++) {
        int n = print_prec(buf, precs[i], v);
        if (strtod(buf, NULL) == v) return n;
    }
    return print_prec(buf, 17, v);
}

int export_num_f32(char buf[EXPORT_NUM_MAX], float v) {
    if (v != v || v - v != 0) return print_prec(buf, 6, v);
    for (int prec = v != 0 && fabsf(v) < FLT_MIN ? 1 : 6; prec < 9; prec++) {
        int n = print_prec(buf, prec, v);
        if (strtof(buf, NULL) == v) return n;
    }
    return print_prec(buf, 9, v);
}

void export_put_num(sbuf *b, double v) {
    char buf[EXPORT_NUM_MAX];
    int n = export_num(buf, v);
    sb_put(b, buf, (size_t)n);
}

void export_put_num_f32(sbuf *b, float v) {
    char buf[EXPORT_NUM_MAX];
    int n = export_num_f32(buf, v);
    sb_put(b, buf, (size_t)n);
}

void export_put_int(sbuf *b, long v) {
    char buf[24], *e = buf + sizeof buf, *p = e;
    unsigned long u = v < 0 ? 0ul - (unsigned long)v : (unsigned long)v;
    do *--p = (char)('0' + u % 10);
    while ((u /= 10) != 0);
    if (v < 0) *--p = '-';
    sb_put(b, p, (size_t)(e - p));
}
