/*
 * crmath.h — correctly rounded sin/cos in radians (see crmath.c for why). Use these, never
 * libm's sin/cos, wherever the result reaches geometry or output.
 */
#ifndef FC_CRMATH_H
#define FC_CRMATH_H

double fc_sin(double x);
double fc_cos(double x);

#endif
