/*
 * fragments.h — OpenSCAD's rule for how many segments a circle of radius r gets.
 */
#ifndef FC_FRAGMENTS_H
#define FC_FRAGMENTS_H

/* if r < 2^-20 or fn not finite: 3; if fn > 0: max(floor(fn), 3);
 * else ceil(max(min(360/fa, 2*pi*r/fs), 5)), with fa and fs clamped to >= 0.01.
 * Saturates at GEOM_MAX_FRAGMENTS so that a hostile $fn cannot allocate without bound;
 * callers that see the saturated value report it. */
int geom_fragments(double r, double fn, double fa, double fs);

#define GEOM_MAX_FRAGMENTS 1000000

#endif
