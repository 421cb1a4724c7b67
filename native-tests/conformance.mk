# conformance.mk — what native-tests/conformance-geometry.sh needs besides the CLI: the text
# models render with the font pack beside it (build/facet-fonts.bin, found by the CLI from
# build/asan/facet through "../facet-fonts.bin"); without it they fail at ~10%. The pack is
# named directly (fonts.mk, which defines FONT_PACK, is included after us).
conformance-geometry: $(BUILD)/facet-fonts.bin
