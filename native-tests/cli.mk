# cli.mk — end-to-end tests of the `facet` command (native-tests/test_cli.sh) against the
# sanitized build; part of `make test`.

.PHONY: cli-tests

cli-tests: $(BUILD)/asan/facet $(FONT_PACK)
	@$(TEST_ENV) sh native-tests/test_cli.sh $(BUILD)/asan/facet

EXTRA_TESTS += cli-tests
