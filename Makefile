# libjks / jkstool: one non-recursive Makefile. `make V=1` shows commands.
# Targets: all (default), check, demo, install, vectors, fuzz, fuzz-smoke, bench, clean.
# Sanitizer builds live in build-asan/ so they never mix with release objects.

PREFIX  ?= /usr/local
CC      ?= cc
BUILD   ?= build
SONAME  := libjks.so.0
VERSION := 0.1.0

Q := @
ifeq ($(V),1)
Q :=
endif

WARN    := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wno-format-nonliteral
CFLAGS  ?= -O2 -g
# The library's layers, lowest first (README "Design"; `make layering` checks
# that every include points down this list, and that codecs never include
# each other).
LIB_DIRS := base model crypto cert jks pkcs12 pem ops check
LIB_INCS := -Iinclude $(LIB_DIRS:%=-I%)
ALL_CFLAGS := -std=c11 -D_GNU_SOURCE -fPIC $(WARN) $(LIB_INCS) \
              -D_FORTIFY_SOURCE=2 -fstack-protector-strong $(CFLAGS) $(EXTRA_CFLAGS)
# No -lssl: only `jkstool probe` needs libssl, and opens it at run time (cli/probe_ssl.h).
LIBS    := -lcrypto -ltasn1 -lpthread
LDFLAGS ?=

LIB_SRC := $(sort $(foreach d,$(LIB_DIRS),$(wildcard $(d)/*.c)))
CLI_SRC := $(sort $(wildcard cli/*.c))
TEST_SRC := $(sort $(wildcard tests/unit/test_*.c))

LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/%.o)
TEST_BIN := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all check demo install vectors fuzz fuzz-smoke bench clean deps unit interop asan-check layering

all: $(BUILD)/libjks.a $(BUILD)/libjks.so $(BUILD)/jkstool

LIB_HDRS := $(wildcard include/*.h include/jks/*.h $(LIB_DIRS:%=%/*.h) cli/*.h)

$(BUILD)/%.o: %.c $(LIB_HDRS)
	@mkdir -p $(dir $@)
	@[ "$(Q)" = "" ] || echo "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/libjks.a: $(LIB_OBJ)
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/$(SONAME): $(LIB_OBJ)
	$(Q)$(CC) -shared -Wl,-soname,$(SONAME) -Wl,-z,relro,-z,now -o $@ $^ $(LDFLAGS) $(LIBS)

$(BUILD)/libjks.so: $(BUILD)/$(SONAME)
	$(Q)ln -sf $(SONAME) $@

$(BUILD)/jkstool: $(CLI_OBJ) $(BUILD)/libjks.a
	@[ "$(Q)" = "" ] || echo "  LD      $@"
	$(Q)$(CC) $(ALL_CFLAGS) -Wl,-z,relro,-z,now -o $@ $(CLI_OBJ) $(BUILD)/libjks.a $(LDFLAGS) $(LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(wildcard tests/unit/*.h) $(BUILD)/libjks.a
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) -Itests/unit -o $@ $< $(BUILD)/libjks.a $(LDFLAGS) $(LIBS) -lcunit

# Includes point down the layers (tools/layering.sh; README "Design").
layering:
	$(Q)bash tools/layering.sh

deps:
	$(Q)sh tests/ensure-deps.sh

# Unit suites (CUnit), then interop tests against real keytool/openssl.
unit: $(TEST_BIN)
	$(Q)set -e; for t in $(TEST_BIN); do echo "== $$t"; JKS_VECTORS=vectors $$t; done

interop: $(BUILD)/jkstool
	$(Q)set -e; for t in $(sort $(wildcard tests/interop/*.sh)); do echo "== $$t"; \
	  JKSTOOL=$(abspath $(BUILD)/jkstool) bash $$t; done

# The whole suite under ASan+UBSan, in its own build directory.
asan-check:
	$(Q)$(MAKE) --no-print-directory BUILD=build-asan \
	  CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	  LDFLAGS="-fsanitize=address,undefined" unit interop

check: deps
	$(Q)$(MAKE) --no-print-directory all unit interop
	$(Q)$(MAKE) --no-print-directory asan-check
	$(Q)if [ -d tests/regress ] && [ -f tests/regress.sh ]; then bash tests/regress.sh build-asan/jkstool; fi
	@echo "make check: all tests passed"

demo: deps all
	$(Q)sh tests/demo.sh $(BUILD)/jkstool

vectors:
	$(Q)bash vectors/make-vectors.sh vectors/files

install: all
	$(Q)install -d $(DESTDIR)$(PREFIX)/include/jks $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/bin \
	  $(DESTDIR)$(PREFIX)/lib/pkgconfig
	$(Q)install -m 644 include/jks/*.h $(DESTDIR)$(PREFIX)/include/jks/
	$(Q)install -m 644 $(BUILD)/libjks.a $(DESTDIR)$(PREFIX)/lib/libjks.a
	$(Q)install -m 755 $(BUILD)/$(SONAME) $(DESTDIR)$(PREFIX)/lib/$(SONAME)
	$(Q)ln -sf $(SONAME) $(DESTDIR)$(PREFIX)/lib/libjks.so
	$(Q)install -m 755 $(BUILD)/jkstool $(DESTDIR)$(PREFIX)/bin/jkstool
	$(Q)sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' libjks.pc.in \
	  > $(DESTDIR)$(PREFIX)/lib/pkgconfig/libjks.pc

fuzz fuzz-smoke:
	$(Q)$(MAKE) --no-print-directory -f fuzz/fuzz.mk $@

bench: all
	$(Q)bash bench/run.sh

# For scripts that build the library sources themselves (fuzz, regress).
print-incs:
	@echo $(LIB_INCS)
print-lib-src:
	@echo $(LIB_SRC)

clean:
	rm -rf build build-asan build-fuzz
