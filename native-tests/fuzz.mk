# fuzz.mk — libFuzzer over the whole render pipeline (native-tests/fuzz_render.c).
#
#   make fuzz      build $(BUILD)/fuzz/fuzz_render and fuzz for FUZZ_SECONDS (60) from seeds
#   make fuzz-ci   the same for 30 s; part of `make test`
#
# The library is compiled here with clang and -fsanitize=fuzzer-no-link,address,undefined
# into $(BUILD)/fuzz/ from its own list of every library source, so it does not depend on a
# LIB_SRC override. Seeds come from the corpus (fuzz-seeds); findings (crash-*, leak-*,
# timeout-*) land in $(BUILD)/fuzz/ with the input that caused them.

FUZZ_CC      ?= clang
FUZZ_DIR     := $(BUILD)/fuzz
FUZZ_SECONDS ?= 60
FUZZ_SRC     := $(sort $(shell find src -name '*.c' -not -path 'src/cli/*'))
FUZZ_OBJ     := $(FUZZ_SRC:%.c=$(FUZZ_DIR)/%.o)
FUZZ_CFLAGS  := $(STD) $(WARN) $(INC) -g -O1 -fno-omit-frame-pointer
FUZZ_RUN     = $(FUZZ_DIR)/fuzz_render -max_total_time=$(1) -timeout=20 -rss_limit_mb=2048 \
               -max_len=8192 -print_final_stats=1 -artifact_prefix=$(FUZZ_DIR)/ \
               $(FUZZ_DIR)/corpus $(FUZZ_DIR)/seeds

.PHONY: fuzz fuzz-ci fuzz-seeds

$(FUZZ_OBJ): | deps-native

$(FUZZ_DIR)/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link,address,undefined -c $< -o $@

$(FUZZ_DIR)/fuzz_render: native-tests/fuzz_render.c $(FUZZ_OBJ)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer,address,undefined -o $@ $^ $(LDLIBS)

# Seeds: every example model (real, geometry-heavy), plus OpenSCAD's small function and
# miscellaneous regression models (cheap to run, covering most of the language); only files
# within the length the fuzzer mutates.
fuzz-seeds:
	@mkdir -p $(FUZZ_DIR)/seeds $(FUZZ_DIR)/corpus
	@for f in $(CORPUS)/examples/*/*.scad $(CORPUS)/openscad-tests/scad/functions/*.scad \
	          $(CORPUS)/openscad-tests/scad/misc/*.scad; do \
	  [ -f "$$f" ] && [ "$$(wc -c <"$$f")" -le 8192 ] || continue; \
	  d=$$(basename "$$(dirname "$$f")"); cp "$$f" "$(FUZZ_DIR)/seeds/$$d-$$(basename "$$f" | tr ' ' _)"; done

fuzz: $(FUZZ_DIR)/fuzz_render fuzz-seeds
	ASAN_OPTIONS=detect_leaks=1 $(call FUZZ_RUN,$(FUZZ_SECONDS))

fuzz-ci: $(FUZZ_DIR)/fuzz_render fuzz-seeds
	ASAN_OPTIONS=detect_leaks=1 $(call FUZZ_RUN,30)

EXTRA_TESTS += fuzz-ci
