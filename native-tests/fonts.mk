# fonts.mk — the font pack text() reads through the virtual path FACET_FONTS_PATH
# ("facet:fonts", src/facet.h): Liberation Sans, Serif and Mono in Regular, Bold, Italic and
# Bold Italic from Debian's fonts-liberation2 (SIL Open Font License 1.1), packed unchanged by
# native-tests/tools/fontpack.c (format: src/geom/text_font.h). The licence ships beside it.
#
#   build/facet-fonts.bin        beside the CLI (the CLI maps facet:fonts to it)
#   build/wasm/facet-fonts.bin   beside the wasm module (the worker fetches it on demand)

FONT_DIR     ?= /usr/share/fonts/truetype/liberation2
FONT_LICENSE ?= /usr/share/doc/fonts-liberation2/copyright
FONT_FILES   := $(foreach f,Sans Serif Mono,$(foreach s,Regular Bold Italic BoldItalic,$(FONT_DIR)/Liberation$(f)-$(s).ttf))
FONT_PACK    := $(BUILD)/facet-fonts.bin

.PHONY: fonts deps-fonts

fonts: $(FONT_PACK) $(BUILD)/wasm/facet-fonts.bin

deps-fonts:
	$(call apt_ensure,fonts-liberation2)

$(BUILD)/tools/fontpack: native-tests/tools/fontpack.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 $(WARN) -O2 -o $@ $<

# The fonts are not prerequisites (they may not be installed yet); the recipe installs the
# package when missing, then packs.
$(FONT_PACK): $(BUILD)/tools/fontpack native-tests/fonts.mk
	$(call apt_ensure,fonts-liberation2)
	$(BUILD)/tools/fontpack $@.tmp $(FONT_FILES)
	@mv $@.tmp $@
	cp $(FONT_LICENSE) $(BUILD)/facet-fonts-LICENSE.txt

$(BUILD)/wasm/facet-fonts.bin: $(FONT_PACK)
	@mkdir -p $(dir $@)
	cp $(FONT_PACK) $@
	cp $(BUILD)/facet-fonts-LICENSE.txt $(BUILD)/wasm/facet-fonts-LICENSE.txt

# The CLI and the tests that render text need the pack.
all: fonts
unit-tests: $(FONT_PACK)
$(BUILD)/asan/tests/test_text $(BUILD)/vg/tests/test_text: $(FONT_PACK)
$(BUILD)/asan/tests/test_poly2_corpus $(BUILD)/vg/tests/test_poly2_corpus: $(FONT_PACK)
