/*
 * degtrig.h — trigonometry in degrees, exact where OpenSCAD is exact.
 *
 * OpenSCAD reduces the angle by symmetry into [0, 90] degrees and returns exact values at
 * 0, 30, 45, 60 and 90 degrees, so that e.g. sin(30) is exactly 0.5 and a circle with
 * $fn = 4 has vertices exactly on the axes. Both the built-in functions (sin, cos) and
 * the tessellation of circles, spheres and cylinders use these, which is what makes our
 * vertices identical to OpenSCAD's.
 */
#ifndef FC_DEGTRIG_H
#define FC_DEGTRIG_H

double fc_sin_deg(double deg);
double fc_cos_deg(double deg);

#endif
