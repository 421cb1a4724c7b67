/*
 * degtrig.c — degree-exact sine/cosine/tangent (see degtrig.h for why).
 */
#include "core/crmath.h"
#include "core/degtrig.h"

#include <math.h>

#define FC_PI 3.14159265358979323846
#define FC_SQRT3_2 0.86602540378443864676 /* sqrt(3)/2, correctly rounded */
#define FC_SQRT1_2 0.70710678118654752440

static double rad(double deg) { return deg * (FC_PI / 180.0); }

double fc_sin_deg(double x) {
    if (!isfinite(x)) return NAN;
    if (!(x >= 0.0 && x < 360.0)) {
        x = fmod(x, 360.0);
        if (x < 0.0) x += 360.0;
    }
    int neg = x >= 180.0;
    if (neg) x -= 180.0;
    if (x > 90.0) x = 180.0 - x;
    double r;
    if (x < 45.0) r = x == 30.0 ? 0.5 : fc_sin(rad(x));
    else if (x == 45.0) r = FC_SQRT1_2;
    else if (x == 60.0) r = FC_SQRT3_2;
    else r = fc_cos(rad(90.0 - x));
    return neg ? -r : r;
}

/* OpenSCAD reduces the angle by cosine's own symmetries instead of computing sin(x + 90):
 * adding 90 rounds for angles that are not exact in binary, and the sign of zero differs
 * (cos 90 is +0, cos 270 is -0). Circle vertices depend on this bit for bit. */
double fc_cos_deg(double x) {
    if (!isfinite(x)) return NAN;
    if (!(x >= 0.0 && x < 360.0)) {
        x = fmod(x, 360.0);
        if (x < 0.0) x += 360.0;
    }
    int neg = x >= 180.0;
    if (neg) x -= 180.0;
    if (x > 90.0) {
        x = 180.0 - x;
        neg = !neg;
    }
    double r;
    if (x > 45.0) r = x == 60.0 ? 0.5 : fc_sin(rad(90.0 - x));
    else if (x == 45.0) r = FC_SQRT1_2;
    else if (x == 30.0) r = FC_SQRT3_2;
    else r = fc_cos(rad(x));
    return neg ? -r : r;
}
