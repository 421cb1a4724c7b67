/*
 * import.h — import(): reading meshes (STL, OFF, OBJ) and 2D drawings (SVG, DXF).
 *
 * import_file() is what the geometry stage calls for a CSG_IMPORT node: it reads the file
 * through the host's resolver, picks the reader by the node's format, applies `center`
 * (and, for DXF, `origin` and `scale`; for SVG, `dpi`) and returns a 3D mesh or a 2D shape.
 * A file that cannot be read gives OpenSCAD's warning ("Can't open import file '...',
 * import() at line N") and empty geometry; a file that is read but malformed throws
 * FACET_ERR_IO with OpenSCAD's message and the import()'s location.
 *
 * The readers are usable on their own (tests, round trips): they take the bytes, a name
 * for messages and the location of the import() call. 3D readers weld vertices with equal
 * coordinates and return a mesh whose `manifold` flag says whether it is closed; 2D
 * readers return the drawing as raw contours under the non-zero rule (SVG: each shape
 * oriented so that its own fill rule holds), to be cleaned by a 2D union.
 */
#ifndef FC_IMPORT_H
#define FC_IMPORT_H

#include "csg/csg.h"
#include "geom/geo.h"

geo import_file(facet_ctx *ctx, const csg_node *node);

mesh *import_stl(facet_ctx *ctx, const char *data, size_t len, const char *name, fc_loc loc);
mesh *import_off(facet_ctx *ctx, const char *data, size_t len, const char *name, fc_loc loc);
mesh *import_obj(facet_ctx *ctx, const char *data, size_t len, const char *name, fc_loc loc);

/* SVG: dpi converts px (OpenSCAD's default is 72); frag flattens arcs and curves. */
poly2 *import_svg(facet_ctx *ctx, const char *data, size_t len, const char *name, double dpi,
                  csg_frag frag, fc_loc loc);

/* DXF: the entities of `layer` (NULL or "" = all layers), coordinates (v - origin) * scale;
 * circles and arcs flattened with frag. */
poly2 *import_dxf(facet_ctx *ctx, const char *data, size_t len, const char *name,
                  const char *layer, const double origin[2], double scale, csg_frag frag,
                  fc_loc loc);

/* surface(): the heightmap of a CSG_SURFACE node (a .dat text file: rows of numbers,
 * '#' comment lines; or a PNG image, heights from luminance) as OpenSCAD 2021.01 builds it: every cell becomes four triangles
 * around its centre at the mean height, walls go down to one below the lowest value (or 0
 * when that is lower), and a flat bottom closes the solid; `center` centres x and y. A
 * file that cannot be read gives OpenSCAD's warning and an empty mesh. */
mesh *import_surface(facet_ctx *ctx, const csg_node *node);
mesh *import_surface_dat(facet_ctx *ctx, const char *data, size_t len, const char *name, bool center);

/* dxf_dim(): the measured value of the dimension `dim_name` (any when NULL or "") on
 * `layer`, as OpenSCAD computes it per dimension type; dxf_cross(): the intersection of the
 * first two two-point paths on `layer`. `name` is used in warnings. */
enum { DXF_DIM_FOUND, DXF_DIM_NOT_FOUND, DXF_DIM_UNSUPPORTED };
int dxf_dim_value(facet_ctx *ctx, const char *data, size_t len, const char *name, const char *layer,
                  const char *dim_name, const double origin[2], double scale, double *value);
bool dxf_cross_point(facet_ctx *ctx, const char *data, size_t len, const char *name, const char *layer,
                     const double origin[2], double scale, double out[2]);

#endif
