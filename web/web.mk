# web.mk — the viewer widget, its demo page, its browser tests and its benchmark (included by
# the top-level Makefile after wasm/wasm.mk).
#
#   make web         $(BUILD)/web/: facet-viewer.js (one ES module: the <facet-viewer> element,
#                    mount(), the anywidget module; three.js, the client and the worker inside)
#                    with facet-viewer.d.ts (+ facet-client.d.ts, whose types it uses),
#                    facet-viewer-loader.js (classic-script loader for <script src>),
#                    facet-core.wasm and facet-fonts.bin beside them
#   make demo        builds everything, runs demo-cli, then serves web/demo/ + $(BUILD)/web/ on
#                    http://127.0.0.1:$(PORT)/
#   make web-tests   web/tests/*.mjs in headless Chromium (playwright-core), on a free port
#   make bench-web   web/bench.mjs: slider-to-pixels latency and time to first picture

WEB_OUT := $(BUILD)/web
WEB_SRC := $(wildcard web/src/*.js) web/build.mjs wasm/facet-client.mjs
WEB_ENV := FACET_BUILD=$(abspath $(BUILD)) FACET_CORPUS=$(abspath $(CORPUS)) FACET_WEB_DIR=$(abspath $(WEB_OUT))

.PHONY: web demo web-tests bench-web

web: $(WEB_OUT)/facet-viewer.js $(WEB_OUT)/facet-viewer.d.ts $(WEB_OUT)/facet-client.d.ts \
     $(WEB_OUT)/facet-viewer-loader.js $(WEB_OUT)/facet-core.wasm $(WEB_OUT)/facet-fonts.bin

$(WEB_OUT)/facet-viewer.js: $(WEB_SRC) $(BUILD)/wasm/facet-worker.js | deps-node
	@mkdir -p $(dir $@)
	node web/build.mjs $(BUILD)/wasm $@ --minify

# types: facet-viewer.d.ts refers to the client's types beside it
$(WEB_OUT)/facet-viewer.d.ts: web/facet-viewer.d.ts
	@mkdir -p $(dir $@)
	cp $< $@

$(WEB_OUT)/facet-client.d.ts: wasm/facet-client.d.ts
	@mkdir -p $(dir $@)
	cp $< $@

$(WEB_OUT)/facet-viewer-loader.js: web/loader.js
	@mkdir -p $(dir $@)
	cp $< $@

# emcc writes facet-core.wasm beside facet-core.js
$(WEB_OUT)/facet-core.wasm: $(BUILD)/wasm/facet-core.js
	@mkdir -p $(dir $@)
	cp $(BUILD)/wasm/facet-core.wasm $@

$(WEB_OUT)/facet-fonts.bin: $(BUILD)/wasm/facet-fonts.bin
	@mkdir -p $(dir $@)
	cp $< $@

demo: demo-cli all wasm web
	PORT=$(PORT) $(WEB_ENV) node web/serve.mjs $(PORT)

web-tests: all web deps-browser deps-node
	$(WEB_ENV) node web/tests/run.mjs

bench-web: all web deps-browser deps-node
	$(WEB_ENV) node web/bench.mjs

EXTRA_TESTS += web-tests
