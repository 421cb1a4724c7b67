# cli.mk — end-to-end tests of the `facet` command (native-tests/test_cli.sh) against the
# sanitized build; part of `make test`.

.PHONY: cli-tests

# (the font pack is named directly: fonts.mk, which defines FONT_PACK, is included after us)
cli-tests: $(BUILD)/asan/facet $(BUILD)/facet-fonts.bin
	@$(TEST_ENV) sh native-tests/test_cli.sh $(BUILD)/asan/facet

EXTRA_TESTS += cli-tests
