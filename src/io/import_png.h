/*
 * import_png.h — PNG images as 8-bit RGB, for surface() (private to src/io/import*).
 */
#ifndef FC_IMPORT_PNG_H
#define FC_IMPORT_PNG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/ctx.h"

typedef struct png_image {
    int w, h;
    uint8_t *rgb; /* 3 * w * h bytes, rows top to bottom (render pool) */
} png_image;

/* Decodes a PNG file; false when the data is not a PNG this decoder reads. */
bool png_decode_rgb(facet_ctx *ctx, const uint8_t *data, size_t len, png_image *img);

#endif
