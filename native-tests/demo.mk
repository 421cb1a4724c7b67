# demo.mk — `make demo-cli`: build the CLI and render a real model with it.
#
# Renders the corpus's parametric candle stand to $(BUILD)/demo.stl and prints its statistics
# (--stats). `make demo` depends on it; the web area adds the viewer page to `demo`.

DEMO_MODEL ?= $(CORPUS)/examples/Parametric/candleStand.scad

.PHONY: demo demo-cli

demo: demo-cli

# (the font pack is named directly: fonts.mk, which defines FONT_PACK, is included after us)
demo-cli: $(BUILD)/facet $(BUILD)/facet-fonts.bin
	$(BUILD)/facet $(DEMO_MODEL) -o $(BUILD)/demo.stl --stats
	@echo "wrote $(BUILD)/demo.stl"
