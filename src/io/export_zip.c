/*
 * export_zip.c — a minimal zip writer for 3MF packages: stored (uncompressed) entries.
 *
 * 3MF readers accept stored entries, and leaving out deflate keeps the writer small and
 * the output byte-for-byte predictable. Each entry gets a local header with its CRC-32 and
 * sizes up front (so no data descriptors), the central directory follows the data, then
 * the end-of-central-directory record. Timestamps are fixed at the DOS epoch
 * (1980-01-01 00:00) so the archive depends on its contents alone. Sizes past 4 GiB would
 * need zip64; the memory cap keeps a render far below that, and we refuse rather than
 * write a corrupt archive.
 */
#include <string.h>

#include "io/export.h"

#define ZIP_VERSION 20        /* 2.0: what a stored entry needs */
#define ZIP_DOS_DATE 0x0021   /* 1980-01-01 */
#define ZIP_DOS_TIME 0x0000

uint32_t export_crc32(uint32_t crc, const void *data, size_t len) {
    /* The reflected CRC-32 of zip (polynomial 0xEDB88320), one table lookup per byte; the
     * table is rebuilt per call, which costs 2048 shifts and keeps the module state-free. */
    uint32_t table[256];
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        table[i] = c;
    }
    const unsigned char *p = data;
    crc = ~crc;
    for (size_t i = 0; i < len; i++) crc = table[(crc ^ p[i]) & 0xFF] ^ (crc >> 8);
    return ~crc;
}

static void check_size(facet_ctx *ctx, size_t n) {
    if (n > 0xFFFFFFFFu)
        fc_throw(ctx, FACET_ERR_GEOMETRY, FC_NOLOC, "3MF export: package larger than 4 GiB");
}

void export_zip(facet_ctx *ctx, const export_zip_entry *entries, int n, sbuf *out) {
    size_t base = out->len;
    uint32_t *crc = fc_alloc(ctx, sizeof *crc * (size_t)(n > 0 ? n : 1));
    uint32_t *offset = fc_alloc(ctx, sizeof *offset * (size_t)(n > 0 ? n : 1));
    for (int i = 0; i < n; i++) {
        const export_zip_entry *e = &entries[i];
        size_t name_len = strlen(e->name);
        check_size(ctx, e->size);
        check_size(ctx, out->len - base);
        crc[i] = export_crc32(0, e->data, e->size);
        offset[i] = (uint32_t)(out->len - base);
        sb_u32le(out, 0x04034b50u); /* local file header */
        sb_u16le(out, ZIP_VERSION);
        sb_u16le(out, 0); /* flags */
        sb_u16le(out, 0); /* method: stored */
        sb_u16le(out, ZIP_DOS_TIME);
        sb_u16le(out, ZIP_DOS_DATE);
        sb_u32le(out, crc[i]);
        sb_u32le(out, (uint32_t)e->size); /* compressed = uncompressed */
        sb_u32le(out, (uint32_t)e->size);
        sb_u16le(out, (uint16_t)name_len);
        sb_u16le(out, 0); /* extra field length */
        sb_put(out, e->name, name_len);
        sb_put(out, e->data, e->size);
    }
    size_t cd_start = out->len - base;
    check_size(ctx, cd_start);
    for (int i = 0; i < n; i++) {
        const export_zip_entry *e = &entries[i];
        size_t name_len = strlen(e->name);
        sb_u32le(out, 0x02014b50u); /* central directory header */
        sb_u16le(out, ZIP_VERSION); /* made by: MS-DOS attributes, version 2.0 */
        sb_u16le(out, ZIP_VERSION);
        sb_u16le(out, 0);
        sb_u16le(out, 0);
        sb_u16le(out, ZIP_DOS_TIME);
        sb_u16le(out, ZIP_DOS_DATE);
        sb_u32le(out, crc[i]);
        sb_u32le(out, (uint32_t)e->size);
        sb_u32le(out, (uint32_t)e->size);
        sb_u16le(out, (uint16_t)name_len);
        sb_u16le(out, 0); /* extra */
        sb_u16le(out, 0); /* comment */
        sb_u16le(out, 0); /* disk number start */
        sb_u16le(out, 0); /* internal attributes */
        sb_u32le(out, 0); /* external attributes */
        sb_u32le(out, offset[i]);
        sb_put(out, e->name, name_len);
    }
    size_t cd_size = out->len - base - cd_start;
    check_size(ctx, out->len - base);
    sb_u32le(out, 0x06054b50u); /* end of central directory */
    sb_u16le(out, 0);           /* this disk */
    sb_u16le(out, 0);           /* disk with the central directory */
    sb_u16le(out, (uint16_t)n);
    sb_u16le(out, (uint16_t)n);
    sb_u32le(out, (uint32_t)cd_size);
    sb_u32le(out, (uint32_t)cd_start);
    sb_u16le(out, 0); /* comment length */
    fc_free(ctx, crc);
    fc_free(ctx, offset);
}
