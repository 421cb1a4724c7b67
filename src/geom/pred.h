/*
 * pred.h — exact geometric predicates on doubles (orientation in 2D and 3D, in-circle).
 *
 * Each predicate returns a double whose SIGN is exactly the sign of the determinant
 * evaluated with the input coordinates as exact real numbers; the magnitude is an
 * approximation of the determinant (useful as a tie-free comparison key, not as a length).
 * A fast floating-point evaluation with a certified error bound answers almost every call;
 * only near-degenerate inputs fall through to exact expansion arithmetic (Shewchuk,
 * "Adaptive Precision Floating-Point Arithmetic and Fast Robust Geometric Predicates").
 *
 * Inputs must be finite. Exactness needs IEEE doubles with round-to-nearest and no fused
 * multiply-add contraction (the build sets -ffp-contract=off), and no overflow/underflow in
 * the products (coordinates between about 1e-140 and 1e140 in magnitude, or 0).
 *
 * Sign conventions:
 *   pred_orient2d(a, b, c) > 0  when a, b, c turn counter-clockwise (c left of a->b),
 *                          < 0  clockwise, 0 collinear.
 *                          = det | ax-cx  ay-cy |
 *                                | bx-cx  by-cy |   (twice the signed area of abc)
 *   pred_orient3d(a, b, c, d) > 0 when d lies BELOW the plane through a, b, c, "above"
 *                          being the side from which a, b, c appear counter-clockwise,
 *                          i.e. on the side opposite the normal (b-a) x (c-a);
 *                          < 0 above, 0 coplanar.
 *                          = det | a-d ; b-d ; c-d |  = -((b-a) x (c-a)) . (d-a)
 *                          (Shewchuk's convention; six times the signed volume of the
 *                          tetrahedron with outward-facing triangle a,b,c seen from d is
 *                          -pred_orient3d.)
 *   pred_incircle(a, b, c, d) > 0 when d lies inside the circle through a, b, c, provided
 *                          a, b, c are counter-clockwise (the sign flips when they are
 *                          clockwise); 0 when the four points are cocircular.
 */
#ifndef FC_PRED_H
#define FC_PRED_H

double pred_orient2d(const double a[2], const double b[2], const double c[2]);
double pred_orient3d(const double a[3], const double b[3], const double c[3],
                     const double d[3]);
double pred_incircle(const double a[2], const double b[2], const double c[2],
                     const double d[2]);

/* -1, 0 or +1: the sign of a predicate's result. */
static inline int pred_sign(double v) { return (v > 0) - (v < 0); }

#endif
