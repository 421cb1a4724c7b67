/*
 * import_svg.c — SVG reader for import(): the filled shapes of a drawing as a 2D shape in mm.
 *
 * What is read: <svg> width/height (units px, pt, pc, mm, cm, in; a percentage or a missing
 * size falls back to the viewBox) and viewBox; <g> and shapes with `transform` (matrix,
 * translate, scale, rotate, skewX, skewY, composed down the tree) and the fill rule
 * (`fill-rule` attribute or style, inherited); <path> with every command (M L H V C S Q T A
 * Z, relative and absolute, implicit repeats), <rect> (rounded corners too), <circle>,
 * <ellipse>, <polygon>, <polyline>. <line> has no area. Content of <defs>, <symbol>,
 * <clipPath>, <mask>, <pattern>, <marker>, <metadata>, <title>, <desc>, <style> and
 * elements with display:none is skipped.
 *
 * Coordinates: user units go through the viewBox to px, px to mm at 25.4 / dpi, and y is
 * flipped about the page height so that the page's bottom-left corner is the origin, as
 * OpenSCAD places imported drawings; a page with no size and no viewBox has user units in
 * mm and y simply negated (what OpenSCAD 2021.01 does with such files). Arcs and circles get the fragments of their radius
 * ($fn/$fa/$fs); Bezier curves get those of a circle as long as their control polygon.
 *
 * Each shape is filled under its own rule (fill_operand) and all shapes are united.
 * Malformed markup or path data ends the element (or the file) early, never with an error:
 * what was read so far is kept.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/crmath.h"
#include "geom/fragments.h"
#include "geom/poly2_ops.h"
#include "io/import.h"
#include "io/import_fill.h"

#define SVG_PI 3.14159265358979323846
#define SVG_MAX_DEPTH 256

typedef struct svg_state {
    double m[6]; /* x' = m0 x + m2 y + m4, y' = m1 x + m3 y + m5 (user units -> page px) */
    fill_rule rule;
    bool hidden;
} svg_state;

typedef struct svg_attr {
    const char *name, *val;
    size_t nlen, vlen;
} svg_attr;

typedef struct svg_run {
    facet_ctx *ctx;
    double dpi, page_h, to_mm;
    csg_frag frag;
    fill_contours fc;
    poly2 **ops;
    int nops, capops;
    double cx, cy; /* current point (user units) for contour building */
    svg_state st;
} svg_run;

/* ---------------------------------------------------------------- small parsers */

static bool attr_is(const svg_attr *a, const char *name) {
    return a->nlen == strlen(name) && memcmp(a->name, name, a->nlen) == 0;
}

/* Reads a number from s (advancing it); skips separators first. */
static bool num(const char **s, const char *end, double *out) {
    const char *p = *s;
    while (p < end && (isspace((unsigned char)*p) || *p == ',')) p++;
    if (p >= end) return false;
    char buf[64];
    size_t n = 0;
    if (*p == '+' || *p == '-') buf[n++] = *p++;
    bool digits = false, dot = false;
    while (p < end && n < sizeof buf - 8) {
        if (isdigit((unsigned char)*p)) {
            digits = true;
            buf[n++] = *p++;
        } else if (*p == '.' && !dot) {
            dot = true;
            buf[n++] = *p++;
        } else {
            break;
        }
    }
    if (!digits) return false;
    if (p < end && (*p == 'e' || *p == 'E')) {
        const char *q = p + 1;
        if (q < end && (*q == '+' || *q == '-')) q++;
        if (q < end && isdigit((unsigned char)*q)) {
            buf[n++] = *p++;
            if (*p == '+' || *p == '-') buf[n++] = *p++;
            while (p < end && isdigit((unsigned char)*p) && n < sizeof buf - 1) buf[n++] = *p++;
        }
    }
    buf[n] = '\0';
    *out = strtod(buf, NULL);
    *s = p;
    return isfinite(*out);
}

/* An arc flag: a single 0 or 1, possibly not separated from what follows. */
static bool flag(const char **s, const char *end, int *out) {
    const char *p = *s;
    while (p < end && (isspace((unsigned char)*p) || *p == ',')) p++;
    if (p >= end || (*p != '0' && *p != '1')) return false;
    *out = *p == '1';
    *s = p + 1;
    return true;
}

/* A length with a unit, in px at the given dpi; percentages are unknown (false). */
static bool length_px(const char *s, size_t n, double dpi, double *out) {
    const char *p = s, *end = s + n;
    double v;
    if (!num(&p, end, &v)) return false;
    while (p < end && isspace((unsigned char)*p)) p++;
    size_t u = (size_t)(end - p);
    while (u > 0 && isspace((unsigned char)p[u - 1])) u--;
    double k = 1;
    if (u == 0 || (u == 2 && memcmp(p, "px", 2) == 0)) k = 1;
    else if (u == 2 && memcmp(p, "mm", 2) == 0) k = dpi / 25.4;
    else if (u == 2 && memcmp(p, "cm", 2) == 0) k = dpi / 2.54;
    else if (u == 2 && memcmp(p, "in", 2) == 0) k = dpi;
    else if (u == 2 && memcmp(p, "pt", 2) == 0) k = dpi / 72;
    else if (u == 2 && memcmp(p, "pc", 2) == 0) k = dpi / 6;
    else return false;
    *out = v * k;
    return true;
}

static double attr_num(const svg_attr *a, double dflt) {
    const char *p = a->val;
    double v;
    return num(&p, a->val + a->vlen, &v) ? v : dflt;
}

static void mat_mul(double r[6], const double a[6], const double b[6]) { /* r = a * b */
    double t[6] = {a[0] * b[0] + a[2] * b[1], a[1] * b[0] + a[3] * b[1],
                   a[0] * b[2] + a[2] * b[3], a[1] * b[2] + a[3] * b[3],
                   a[0] * b[4] + a[2] * b[5] + a[4], a[1] * b[4] + a[3] * b[5] + a[5]};
    memcpy(r, t, sizeof t);
}

/* transform="..." applied on the right of m */
static void parse_transform(double m[6], const char *s, size_t n) {
    const char *p = s, *end = s + n;
    while (p < end) {
        while (p < end && (isspace((unsigned char)*p) || *p == ',')) p++;
        const char *name = p;
        while (p < end && isalpha((unsigned char)*p)) p++;
        size_t nl = (size_t)(p - name);
        while (p < end && isspace((unsigned char)*p)) p++;
        if (nl == 0 || p >= end || *p != '(') return;
        p++;
        double a[6];
        int k = 0;
        while (k < 6 && num(&p, end, &a[k])) k++;
        while (p < end && *p != ')') p++;
        if (p < end) p++;
        double t[6] = {1, 0, 0, 1, 0, 0};
        if (nl == 6 && memcmp(name, "matrix", 6) == 0 && k == 6) {
            memcpy(t, a, sizeof t);
        } else if (nl == 9 && memcmp(name, "translate", 9) == 0 && k >= 1) {
            t[4] = a[0];
            t[5] = k >= 2 ? a[1] : 0;
        } else if (nl == 5 && memcmp(name, "scale", 5) == 0 && k >= 1) {
            t[0] = a[0];
            t[3] = k >= 2 ? a[1] : a[0];
        } else if (nl == 6 && memcmp(name, "rotate", 6) == 0 && k >= 1) {
            double r = a[0] * SVG_PI / 180, c = fc_cos(r), s2 = fc_sin(r);
            double cx = k >= 3 ? a[1] : 0, cy = k >= 3 ? a[2] : 0;
            t[0] = c;
            t[1] = s2;
            t[2] = -s2;
            t[3] = c;
            t[4] = cx - c * cx + s2 * cy;
            t[5] = cy - s2 * cx - c * cy;
        } else if (nl == 5 && memcmp(name, "skewX", 5) == 0 && k >= 1) {
            t[2] = tan(a[0] * SVG_PI / 180);
        } else if (nl == 5 && memcmp(name, "skewY", 5) == 0 && k >= 1) {
            t[1] = tan(a[0] * SVG_PI / 180);
        } else {
            return;
        }
        mat_mul(m, m, t);
    }
}

/* style="a:b; c:d": fill-rule and display */
static void parse_style(svg_state *st, const char *s, size_t n) {
    const char *p = s, *end = s + n;
    while (p < end) {
        const char *k = p;
        while (p < end && *p != ':' && *p != ';') p++;
        const char *ke = p;
        const char *v = p < end && *p == ':' ? p + 1 : p;
        p = v;
        while (p < end && *p != ';') p++;
        const char *ve = p;
        if (p < end) p++;
        while (k < ke && isspace((unsigned char)*k)) k++;
        while (ke > k && isspace((unsigned char)ke[-1])) ke--;
        while (v < ve && isspace((unsigned char)*v)) v++;
        while (ve > v && isspace((unsigned char)ve[-1])) ve--;
        size_t kl = (size_t)(ke - k), vl = (size_t)(ve - v);
        if (kl == 9 && memcmp(k, "fill-rule", 9) == 0) st->rule = (vl == 7 && memcmp(v, "evenodd", 7) == 0) ? FILL_EVENODD : FILL_NONZERO;
        if (kl == 7 && memcmp(k, "display", 7) == 0 && vl == 4 && memcmp(v, "none", 4) == 0) st->hidden = true;
    }
}

/* ---------------------------------------------------------------- contours */

static void emit_point(svg_run *R, double x, double y) {
    const double *m = R->st.m;
    double px = m[0] * x + m[2] * y + m[4], py = m[1] * x + m[3] * y + m[5];
    fill_point(&R->fc, px * R->to_mm, (R->page_h - py) * R->to_mm);
}

static int segments_for(svg_run *R, double r) {
    return geom_fragments(r, R->frag.fn, R->frag.fa, R->frag.fs);
}

static void finish_shape(svg_run *R) {
    if (R->fc.ncont == 0) {
        fill_init(&R->fc, R->ctx);
        return;
    }
    poly2 *op = fill_operand(&R->fc, R->st.rule);
    if (R->st.rule == FILL_NONZERO) {
        poly2 *c = poly2_boolean(R->ctx, &op, 1, BOOL_UNION);
        poly2_free(R->ctx, op);
        op = c;
    }
    FC_PUSH(R->ctx, R->ops, R->nops, R->capops, op);
}

static void ellipse_contour(svg_run *R, double cx, double cy, double rx, double ry) {
    if (!(rx > 0) || !(ry > 0)) return;
    int n = segments_for(R, fmax(rx, ry));
    fill_begin(&R->fc);
    for (int i = 0; i < n; i++) {
        double a = 2 * SVG_PI * i / n;
        emit_point(R, cx + rx * fc_cos(a), cy + ry * fc_sin(a));
    }
    fill_end(&R->fc);
}

/* Elliptical arc from the current point (x1, y1) to (x2, y2), SVG endpoint parameters. */
static void arc_to(svg_run *R, double x1, double y1, double rx, double ry, double phi_deg, int large,
                   int sweep, double x2, double y2) {
    if (x1 == x2 && y1 == y2) return;
    rx = fabs(rx);
    ry = fabs(ry);
    if (rx == 0 || ry == 0) {
        emit_point(R, x2, y2);
        return;
    }
    double phi = phi_deg * SVG_PI / 180, cp = fc_cos(phi), sp = fc_sin(phi);
    double dx = (x1 - x2) / 2, dy = (y1 - y2) / 2;
    double x1p = cp * dx + sp * dy, y1p = -sp * dx + cp * dy;
    double lam = (x1p * x1p) / (rx * rx) + (y1p * y1p) / (ry * ry);
    if (lam > 1) {
        double s = sqrt(lam);
        rx *= s;
        ry *= s;
    }
    double num_ = rx * rx * ry * ry - rx * rx * y1p * y1p - ry * ry * x1p * x1p;
    double den = rx * rx * y1p * y1p + ry * ry * x1p * x1p;
    double co = den > 0 ? sqrt(fmax(0, num_ / den)) : 0;
    if (large == sweep) co = -co;
    double cxp = co * rx * y1p / ry, cyp = -co * ry * x1p / rx;
    double cx = cp * cxp - sp * cyp + (x1 + x2) / 2, cy = sp * cxp + cp * cyp + (y1 + y2) / 2;
    double t1 = atan2((y1p - cyp) / ry, (x1p - cxp) / rx);
    double t2 = atan2((-y1p - cyp) / ry, (-x1p - cxp) / rx);
    double dt = t2 - t1;
    if (sweep && dt < 0) dt += 2 * SVG_PI;
    if (!sweep && dt > 0) dt -= 2 * SVG_PI;
    int n = (int)ceil(segments_for(R, fmax(rx, ry)) * fabs(dt) / (2 * SVG_PI));
    if (n < 1) n = 1;
    for (int i = 1; i <= n; i++) {
        double t = i == n ? t2 : t1 + dt * i / n;
        if (i == n) {
            emit_point(R, x2, y2);
            break;
        }
        double ex = rx * fc_cos(t), ey = ry * fc_sin(t);
        emit_point(R, cp * ex - sp * ey + cx, sp * ex + cp * ey + cy);
    }
}

static void bezier_to(svg_run *R, const double *pts, int order) {
    /* pts: order+1 control points (x, y) from the current point */
    double len = 0;
    for (int i = 0; i < order; i++) len += hypot(pts[2 * i + 2] - pts[2 * i], pts[2 * i + 3] - pts[2 * i + 1]);
    int n = segments_for(R, len / (2 * SVG_PI));
    if (n < 4) n = 4;
    for (int i = 1; i <= n; i++) {
        double t = (double)i / n, u = 1 - t, x, y;
        if (order == 2) {
            x = u * u * pts[0] + 2 * u * t * pts[2] + t * t * pts[4];
            y = u * u * pts[1] + 2 * u * t * pts[3] + t * t * pts[5];
        } else {
            x = u * u * u * pts[0] + 3 * u * u * t * pts[2] + 3 * u * t * t * pts[4] + t * t * t * pts[6];
            y = u * u * u * pts[1] + 3 * u * u * t * pts[3] + 3 * u * t * t * pts[5] + t * t * t * pts[7];
        }
        if (i == n) {
            x = pts[2 * order];
            y = pts[2 * order + 1];
        }
        emit_point(R, x, y);
    }
}

static void path_data(svg_run *R, const char *s, size_t n) {
    const char *p = s, *end = s + n;
    double x = 0, y = 0, sx = 0, sy = 0, lcx = 0, lcy = 0; /* current, subpath start, last control */
    char cmd = 0, prev = 0;
    bool open = false;
    while (p < end) {
        while (p < end && (isspace((unsigned char)*p) || *p == ',')) p++;
        if (p >= end) break;
        if (isalpha((unsigned char)*p)) {
            cmd = *p++;
        } else if (!cmd) {
            return;
        }
        char c = (char)toupper((unsigned char)cmd);
        bool rel = cmd != c;
        double a[7];
        if (c == 'Z') {
            if (open) fill_end(&R->fc);
            open = false;
            x = sx;
            y = sy;
            prev = 'Z';
            cmd = 0;
            continue;
        }
        int need = c == 'M' || c == 'L' || c == 'T' ? 2 : c == 'H' || c == 'V' ? 1 : c == 'S' || c == 'Q' ? 4 : c == 'C' ? 6 : c == 'A' ? 7 : -1;
        if (need < 0) return;
        for (int k = 0; k < need; k++) {
            bool ok;
            if (c == 'A' && (k == 3 || k == 4)) {
                int f = 0;
                ok = flag(&p, end, &f);
                a[k] = f;
            } else {
                ok = num(&p, end, &a[k]);
            }
            if (!ok) {
                if (open) fill_end(&R->fc);
                return;
            }
        }
        if (c != 'M' && !open) { /* drawing without a moveto starts at the current point */
            fill_begin(&R->fc);
            emit_point(R, x, y);
            sx = x;
            sy = y;
            open = true;
        }
        double ox = rel ? x : 0, oy = rel ? y : 0;
        switch (c) {
        case 'M':
            if (open) fill_end(&R->fc);
            x = a[0] + ox;
            y = a[1] + oy;
            sx = x;
            sy = y;
            fill_begin(&R->fc);
            emit_point(R, x, y);
            open = true;
            cmd = rel ? 'l' : 'L'; /* further pairs are lineto */
            break;
        case 'L':
            x = a[0] + ox;
            y = a[1] + oy;
            emit_point(R, x, y);
            break;
        case 'H':
            x = a[0] + (rel ? x : 0);
            emit_point(R, x, y);
            break;
        case 'V':
            y = a[0] + (rel ? y : 0);
            emit_point(R, x, y);
            break;
        case 'C':
        case 'S': {
            double c1x, c1y, c2x, c2y, ex, ey;
            if (c == 'C') {
                c1x = a[0] + ox, c1y = a[1] + oy, c2x = a[2] + ox, c2y = a[3] + oy, ex = a[4] + ox, ey = a[5] + oy;
            } else {
                bool refl = prev == 'C' || prev == 'S';
                c1x = refl ? 2 * x - lcx : x;
                c1y = refl ? 2 * y - lcy : y;
                c2x = a[0] + ox, c2y = a[1] + oy, ex = a[2] + ox, ey = a[3] + oy;
            }
            double pts[8] = {x, y, c1x, c1y, c2x, c2y, ex, ey};
            bezier_to(R, pts, 3);
            lcx = c2x;
            lcy = c2y;
            x = ex;
            y = ey;
            break;
        }
        case 'Q':
        case 'T': {
            double qx, qy, ex, ey;
            if (c == 'Q') {
                qx = a[0] + ox, qy = a[1] + oy, ex = a[2] + ox, ey = a[3] + oy;
            } else {
                bool refl = prev == 'Q' || prev == 'T';
                qx = refl ? 2 * x - lcx : x;
                qy = refl ? 2 * y - lcy : y;
                ex = a[0] + ox, ey = a[1] + oy;
            }
            double pts[6] = {x, y, qx, qy, ex, ey};
            bezier_to(R, pts, 2);
            lcx = qx;
            lcy = qy;
            x = ex;
            y = ey;
            break;
        }
        case 'A': {
            double ex = a[5] + ox, ey = a[6] + oy;
            arc_to(R, x, y, a[0], a[1], a[2], (int)a[3], (int)a[4], ex, ey);
            x = ex;
            y = ey;
            break;
        }
        default: break;
        }
        prev = c;
        fc_tick(R->ctx);
    }
    if (open) fill_end(&R->fc);
}

static void points_list(svg_run *R, const char *s, size_t n) {
    const char *p = s, *end = s + n;
    double x, y;
    fill_begin(&R->fc);
    while (num(&p, end, &x) && num(&p, end, &y)) emit_point(R, x, y);
    fill_end(&R->fc);
}

static void rect_shape(svg_run *R, double x, double y, double w, double h, double rx, double ry) {
    if (!(w > 0) || !(h > 0)) return;
    if (rx < 0) rx = ry > 0 ? ry : 0;
    if (ry < 0) ry = rx > 0 ? rx : 0;
    rx = fmin(rx, w / 2);
    ry = fmin(ry, h / 2);
    fill_begin(&R->fc);
    if (rx > 0 && ry > 0) {
        int n = segments_for(R, fmax(rx, ry));
        int q = n / 4 > 1 ? n / 4 : 1;
        const double cx[4] = {x + w - rx, x + w - rx, x + rx, x + rx};
        const double cy[4] = {y + ry, y + h - ry, y + h - ry, y + ry};
        const double a0[4] = {-90, 0, 90, 180};
        for (int k = 0; k < 4; k++)
            for (int i = 0; i <= q; i++) {
                double a = (a0[k] + 90.0 * i / q) * SVG_PI / 180;
                emit_point(R, cx[k] + rx * fc_cos(a), cy[k] + ry * fc_sin(a));
            }
    } else {
        emit_point(R, x, y);
        emit_point(R, x + w, y);
        emit_point(R, x + w, y + h);
        emit_point(R, x, y + h);
    }
    fill_end(&R->fc);
}

/* ---------------------------------------------------------------- elements */

static bool skipped_container(const char *name, size_t n) {
    static const char *const names[] = {"defs", "symbol", "clipPath", "mask", "pattern", "marker",
                                        "metadata", "title", "desc", "style", "script", "linearGradient",
                                        "radialGradient", "filter"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strlen(names[i]) == n && memcmp(names[i], name, n) == 0) return true;
    return false;
}

static void shape(svg_run *R, const char *name, size_t nl, const svg_attr *at, int na) {
    double x = 0, y = 0, w = 0, h = 0, rx = -1, ry = -1, cx = 0, cy = 0, r = 0;
    const svg_attr *d = NULL, *pts = NULL;
    for (int i = 0; i < na; i++) {
        const svg_attr *a = &at[i];
        if (attr_is(a, "x")) x = attr_num(a, 0);
        else if (attr_is(a, "y")) y = attr_num(a, 0);
        else if (attr_is(a, "width")) w = attr_num(a, 0);
        else if (attr_is(a, "height")) h = attr_num(a, 0);
        else if (attr_is(a, "rx")) rx = attr_num(a, -1);
        else if (attr_is(a, "ry")) ry = attr_num(a, -1);
        else if (attr_is(a, "cx")) cx = attr_num(a, 0);
        else if (attr_is(a, "cy")) cy = attr_num(a, 0);
        else if (attr_is(a, "r")) r = attr_num(a, 0);
        else if (attr_is(a, "d")) d = a;
        else if (attr_is(a, "points")) pts = a;
    }
#define IS(s) (nl == sizeof(s) - 1 && memcmp(name, s, nl) == 0)
    if (IS("path") && d) path_data(R, d->val, d->vlen);
    else if (IS("rect")) rect_shape(R, x, y, w, h, rx, ry);
    else if (IS("circle")) ellipse_contour(R, cx, cy, r, r);
    else if (IS("ellipse")) ellipse_contour(R, cx, cy, rx, ry);
    else if ((IS("polygon") || IS("polyline")) && pts) points_list(R, pts->val, pts->vlen);
#undef IS
    finish_shape(R);
}

static void svg_root(svg_run *R, const svg_attr *at, int na) {
    double w = -1, h = -1, vb[4] = {0, 0, -1, -1};
    bool have_vb = false;
    for (int i = 0; i < na; i++) {
        const svg_attr *a = &at[i];
        if (attr_is(a, "width")) {
            if (!length_px(a->val, a->vlen, R->dpi, &w)) w = -1;
        } else if (attr_is(a, "height")) {
            if (!length_px(a->val, a->vlen, R->dpi, &h)) h = -1;
        } else if (attr_is(a, "viewBox")) {
            const char *p = a->val;
            int k = 0;
            while (k < 4 && num(&p, a->val + a->vlen, &vb[k])) k++;
            have_vb = k == 4 && vb[2] > 0 && vb[3] > 0;
        }
    }
    double m[6] = {1, 0, 0, 1, 0, 0};
    if (have_vb) {
        if (w < 0) w = vb[2];
        if (h < 0) h = vb[3];
        m[0] = w / vb[2];
        m[3] = h / vb[3];
        m[4] = -vb[0] * m[0];
        m[5] = -vb[1] * m[3];
    }
    R->page_h = h > 0 ? h : 0;
    /* a page with neither a size nor a viewBox: OpenSCAD takes user units as mm */
    if (w < 0 && h < 0 && !have_vb) R->to_mm = 1;
    memcpy(R->st.m, m, sizeof m);
}

poly2 *import_svg(facet_ctx *ctx, const char *data, size_t len, const char *name, double dpi,
                  csg_frag frag, fc_loc loc) {
    (void)name;
    (void)loc;
    svg_run R;
    memset(&R, 0, sizeof R);
    R.ctx = ctx;
    R.dpi = dpi > 0 ? dpi : 72;
    R.to_mm = 25.4 / R.dpi;
    R.frag = frag;
    fill_init(&R.fc, ctx);
    R.st.m[0] = R.st.m[3] = 1;
    R.st.rule = FILL_NONZERO;
    svg_state stack[SVG_MAX_DEPTH];
    int depth = 0, skip_depth = -1;
    bool seen_root = false;
    svg_attr at[64];
    const char *p = data, *end = data + len;
    while (p < end) {
        const char *lt = memchr(p, '<', (size_t)(end - p));
        if (!lt) break;
        p = lt + 1;
        if (p < end && *p == '!') {
            const char *close = NULL;
            if (end - p >= 3 && memcmp(p, "!--", 3) == 0) {
                for (const char *q = p + 3; q + 2 < end; q++)
                    if (q[0] == '-' && q[1] == '-' && q[2] == '>') {
                        close = q + 3;
                        break;
                    }
            } else if (end - p >= 8 && memcmp(p, "![CDATA[", 8) == 0) {
                for (const char *q = p + 8; q + 2 < end; q++)
                    if (q[0] == ']' && q[1] == ']' && q[2] == '>') {
                        close = q + 3;
                        break;
                    }
            } else {
                close = memchr(p, '>', (size_t)(end - p));
                if (close) close++;
            }
            if (!close) break;
            p = close;
            continue;
        }
        if (p < end && *p == '?') {
            const char *q = memchr(p, '>', (size_t)(end - p));
            if (!q) break;
            p = q + 1;
            continue;
        }
        bool closing = p < end && *p == '/';
        if (closing) p++;
        const char *en = p;
        while (p < end && !isspace((unsigned char)*p) && *p != '>' && *p != '/') p++;
        size_t enl = (size_t)(p - en);
        /* strip a namespace prefix (svg:path) */
        const char *colon = memchr(en, ':', enl);
        if (colon) {
            enl -= (size_t)(colon + 1 - en);
            en = colon + 1;
        }
        int na = 0;
        bool self = false;
        while (p < end) {
            while (p < end && isspace((unsigned char)*p)) p++;
            if (p >= end) break;
            if (*p == '>') {
                p++;
                break;
            }
            if (*p == '/') {
                self = true;
                p++;
                continue;
            }
            const char *an = p;
            while (p < end && !isspace((unsigned char)*p) && *p != '=' && *p != '>' && *p != '/') p++;
            size_t anl = (size_t)(p - an);
            while (p < end && isspace((unsigned char)*p)) p++;
            if (p < end && *p == '=') {
                p++;
                while (p < end && isspace((unsigned char)*p)) p++;
                if (p < end && (*p == '"' || *p == '\'')) {
                    char qch = *p++;
                    const char *v = p;
                    const char *q = memchr(p, qch, (size_t)(end - p));
                    if (!q) {
                        p = end;
                        break;
                    }
                    if (na < 64) {
                        at[na].name = an;
                        at[na].nlen = anl;
                        at[na].val = v;
                        at[na].vlen = (size_t)(q - v);
                        na++;
                    }
                    p = q + 1;
                }
            } else if (anl == 0) {
                p++;
            }
        }
        if (closing) {
            if (depth > 0) {
                depth--;
                R.st = stack[depth];
                if (skip_depth == depth) skip_depth = -1;
            }
            continue;
        }
        /* opening (or self-closing) element */
        svg_state saved = R.st;
        if (skip_depth < 0) {
            for (int i = 0; i < na; i++) {
                if (attr_is(&at[i], "transform")) parse_transform(R.st.m, at[i].val, at[i].vlen);
                else if (attr_is(&at[i], "style")) parse_style(&R.st, at[i].val, at[i].vlen);
                else if (attr_is(&at[i], "fill-rule"))
                    R.st.rule = (at[i].vlen == 7 && memcmp(at[i].val, "evenodd", 7) == 0) ? FILL_EVENODD : FILL_NONZERO;
                else if (attr_is(&at[i], "display") && at[i].vlen == 4 && memcmp(at[i].val, "none", 4) == 0)
                    R.st.hidden = true;
            }
            if (enl == 3 && memcmp(en, "svg", 3) == 0 && !seen_root) {
                seen_root = true;
                double keep[6];
                memcpy(keep, R.st.m, sizeof keep);
                svg_root(&R, at, na);
                mat_mul(R.st.m, R.st.m, keep);
            } else if (!R.st.hidden && !skipped_container(en, enl)) {
                shape(&R, en, enl, at, na);
            }
        }
        if (self) {
            R.st = saved;
            continue;
        }
        if (depth >= SVG_MAX_DEPTH) break;
        stack[depth++] = saved;
        if (skip_depth < 0 && (R.st.hidden || skipped_container(en, enl))) skip_depth = depth - 1;
    }
    if (R.nops == 0) return poly2_empty(ctx);
    poly2 *res = poly2_boolean(ctx, R.ops, R.nops, BOOL_UNION);
    for (int i = 0; i < R.nops; i++) poly2_free(ctx, R.ops[i]);
    fc_free(ctx, R.ops);
    return res;
}
