/*
 * fragments.c — the fragment count rule (DESIGN §5), identical to OpenSCAD 2021.01's.
 */
#include "geom/fragments.h"

#include <math.h>

#define GRID_FINE (1.0 / 1048576.0) /* 2^-20: below this a "circle" is a point */

int geom_fragments(double r, double fn, double fa, double fs) {
    if (fs < 0.01) fs = 0.01;
    if (fa < 0.01) fa = 0.01;
    if (!(r >= GRID_FINE) || !isfinite(fn)) return 3;
    if (fn > 0.0) {
        if (fn >= GEOM_MAX_FRAGMENTS) return GEOM_MAX_FRAGMENTS;
        int n = (int)fn;
        return n >= 3 ? n : 3;
    }
    double n = ceil(fmax(fmin(360.0 / fa, r * 2.0 * 3.14159265358979323846 / fs), 5.0));
    if (!(n < GEOM_MAX_FRAGMENTS)) return GEOM_MAX_FRAGMENTS;
    return (int)n;
}
