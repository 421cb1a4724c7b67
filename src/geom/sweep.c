/*
 * sweep.c — see sweep.h.
 */
#include "geom/sweep.h"

void sweep_convex(const double *uv, int32_t k, int32_t *tri) {
    int32_t lo = 0, hi = 0;
    for (int32_t i = 1; i < k; i++) {
        const double *q = uv + 2 * i, *ql = uv + 2 * lo, *qh = uv + 2 * hi;
        if (q[0] < ql[0] || (q[0] == ql[0] && q[1] < ql[1])) lo = i;
        if (q[0] > qh[0] || (q[0] == qh[0] && q[1] > qh[1])) hi = i;
    }
    int32_t n = 0;
    if (lo == hi) { /* all corners at one point: any triangulation is as good */
        for (int32_t i = 1; i + 1 < k; i++) {
            tri[n++] = 0;
            tri[n++] = i;
            tri[n++] = i + 1;
        }
        return;
    }
    /* fa walks forward (polygon order) from lo, fb backward; both end at hi */
    int32_t fa = (lo + 1) % k, fb = (lo + k - 1) % k;
    tri[n++] = fb;
    tri[n++] = lo;
    tri[n++] = fa;
    for (int32_t made = 1; made < k - 2; made++) {
        int32_t nf = (fa + 1) % k, nb = (fb + k - 1) % k;
        int forward;
        if (fa == hi) forward = 0;
        else if (fb == hi) forward = 1;
        else forward = uv[2 * nf] <= uv[2 * nb];
        if (forward) {
            tri[n++] = fa;
            tri[n++] = nf;
            tri[n++] = fb;
            fa = nf;
        } else {
            tri[n++] = nb;
            tri[n++] = fb;
            tri[n++] = fa;
            fb = nb;
        }
    }
}
