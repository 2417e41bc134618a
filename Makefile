# libjks / jkstool: one non-recursive Makefile. `make V=1` shows commands.
# Targets: all (default), check, demo, install, python-check, python-install, vectors, fuzz, fuzz-smoke, bench, clean.
# Sanitizer builds live in build-asan/ and build-tsan/ so they never mix with release objects.

PREFIX  ?= /usr/local
CC      ?= cc
BUILD   ?= build
SONAME  := libjks.so.2
VERSION := 2.0.0

Q := @
ifeq ($(V),1)
Q :=
endif

WARN    := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wno-format-nonliteral
CFLAGS  ?= -O2 -g
# The library's layers, lowest first (README "Design"; `make layering` checks
# that every include points down this list, and that codecs never include
# each other).
LIB_DIRS := base model crypto cert jks pkcs12 pem bks ops check
LIB_INCS := -Iinclude $(LIB_DIRS:%=-I%)
ALL_CFLAGS := -std=c11 -D_GNU_SOURCE -fPIC -fvisibility=hidden $(WARN) $(LIB_INCS) \
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

.PHONY: all check demo install vectors fuzz fuzz-smoke bench clean deps unit interop asan-check tsan-check layering abi-check
.PHONY: docs-check json-check man-check completion-check install-docs python-check python-install

all: $(BUILD)/libjks.a $(BUILD)/libjks.so $(BUILD)/jkstool

LIB_HDRS := $(wildcard include/*.h include/jks/*.h $(LIB_DIRS:%=%/*.h) cli/*.h)

$(BUILD)/%.o: %.c $(LIB_HDRS)
	@mkdir -p $(dir $@)
	@[ "$(Q)" = "" ] || echo "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/libjks.a: $(LIB_OBJ)
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/$(SONAME): $(LIB_OBJ) libjks.vers
	$(Q)$(CC) -shared -Wl,-soname,$(SONAME) -Wl,--version-script=libjks.vers -Wl,-z,relro,-z,now \
	  -o $@ $(LIB_OBJ) $(LDFLAGS) $(LIBS)

$(BUILD)/libjks.so: $(BUILD)/$(SONAME)
	$(Q)ln -sf $(SONAME) $@

$(BUILD)/jkstool: $(CLI_OBJ) $(BUILD)/libjks.a
	@[ "$(Q)" = "" ] || echo "  LD      $@"
	$(Q)$(CC) $(ALL_CFLAGS) -Wl,-z,relro,-z,now -o $@ $(CLI_OBJ) $(BUILD)/libjks.a $(LDFLAGS) $(LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(wildcard tests/unit/*.h) $(BUILD)/libjks.a
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) -Itests/unit -o $@ $< $(BUILD)/libjks.a $(LDFLAGS) $(LIBS) -lcunit

# The installed library: exported symbols == the headers' JKS_EXTERN names,
# internal look-alikes in a program do not capture the library's calls, and
# examples/ build with pkg-config alone and agree with jkstool (tests/abi.sh).
abi-check: all
	$(Q)bash tests/abi.sh

# Includes point down the layers (tools/layering.sh; README "Design").
layering:
	$(Q)bash tools/layering.sh

deps:
	$(Q)sh tests/ensure-deps.sh

# Unit suites (CUnit), then interop tests against real keytool/openssl.
unit: $(TEST_BIN)
	$(Q)set -e; for t in $(TEST_BIN); do echo "== $$t"; JKS_VECTORS=vectors $$t; done

# jkstool runs through $(BUILD)/jkstool-json, which saves every --json output
# in $(JSON_CAPTURE) for `make json-check` (tests/json/jkstool-json-capture).
JSON_CAPTURE = $(abspath $(BUILD)/json-capture)
interop: $(BUILD)/jkstool $(BUILD)/jkstool-json
	$(Q)rm -rf $(JSON_CAPTURE); set -e; for t in $(sort $(wildcard tests/interop/*.sh)); do echo "== $$t"; \
	  s=$$(date +%s); JKSTOOL=$(abspath $(BUILD)/jkstool-json) JKSTOOL_JSON_CAPTURE=$(JSON_CAPTURE) \
	  JKSTOOL_JSON_TAG=$$t bash $$t; echo "   ($$t: $$(( $$(date +%s) - s )) s)"; done

# The whole suite under ASan+UBSan, in its own build directory.
asan-check:
	$(Q)$(MAKE) --no-print-directory BUILD=build-asan \
	  CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	  LDFLAGS="-fsanitize=address,undefined" unit interop

# The threading rule (include/jks/jks.h "Threading") under ThreadSanitizer:
# the library and tests/unit/test_threads.c in their own build directory.
TSAN_CC ?= $(CC)
tsan-check:
	$(Q)$(MAKE) --no-print-directory BUILD=build-tsan CC=$(TSAN_CC) \
	  CFLAGS="-O1 -g -fsanitize=thread -fno-omit-frame-pointer" \
	  LDFLAGS="-fsanitize=thread" build-tsan/tests/test_threads
	$(Q)TSAN_OPTIONS="halt_on_error=1 exitcode=66 $(TSAN_OPTIONS)" JKS_VECTORS=vectors \
	  build-tsan/tests/test_threads

check: deps
	$(Q)$(MAKE) --no-print-directory layering
	$(Q)bash tests/layering_test.sh
	$(Q)$(MAKE) --no-print-directory all unit interop
	$(Q)$(MAKE) --no-print-directory asan-check
	$(Q)$(MAKE) --no-print-directory tsan-check
	$(Q)$(MAKE) --no-print-directory docs-check
	$(Q)$(MAKE) --no-print-directory python-check
	$(Q)$(MAKE) --no-print-directory abi-check
	$(Q)if [ -d tests/regress ] && [ -f tests/regress.sh ]; then bash tests/regress.sh build-asan/jkstool; fi
	@echo "make check: all tests passed"

# ---- docs-check: JSON schemas, man pages, shell completion -----------------
# json-check holds every --json output of the last `make interop` (and of the
# ASan run's, when there is one) against schemas/; man-check lints man/,
# compares each page's options with --help and runs libjks(3)'s example;
# completion-check drives the bash and zsh completion; install_test.sh
# installs into a scratch DESTDIR.
DOCS_PY := $(firstword $(wildcard /usr/bin/python3) python3)
MAN1 := $(sort $(wildcard man/*.1))
MAN3 := $(sort $(wildcard man/*.3))
# Debian's zsh reads /usr/local/share/zsh/site-functions but, under /usr,
# /usr/share/zsh/vendor-completions: packages set ZSH_COMPLETION_DIR to it.
BASH_COMPLETION_DIR ?= $(PREFIX)/share/bash-completion/completions
ZSH_COMPLETION_DIR ?= $(PREFIX)/share/zsh/site-functions

$(BUILD)/jkstool-json: tests/json/jkstool-json-capture
	$(Q)install -m 755 $< $@

docs-check: json-check man-check completion-check
	$(Q)bash tests/install_test.sh

json-check: $(BUILD)/jkstool
	$(Q)for d in $(JSON_CAPTURE) $(filter-out $(JSON_CAPTURE),$(wildcard $(abspath build-asan/json-capture))); do \
	  echo "== json-check $$d"; \
	  $(DOCS_PY) tests/json/validate.py schemas $$d --require list,check,convert,genkey,genseckey,probe,rename || exit 1; done
	$(Q)bash tests/json/validate_test.sh $(BUILD)

man-check: $(BUILD)/jkstool $(BUILD)/libjks.a
	$(Q)mandoc -T lint -W warning $(MAN1) $(MAN3)
	$(Q)for m in $(MAN1) $(MAN3); do MANWIDTH=80 man -l $$m >/dev/null 2>$(BUILD)/man.err && \
	  ! [ -s $(BUILD)/man.err ] || { echo "man -l $$m:"; cat $(BUILD)/man.err; exit 1; }; done
	$(Q)bash tests/man_options.sh $(BUILD)/jkstool man
	$(Q)bash tests/man_options_test.sh $(BUILD)/jkstool man
	$(Q)bash tests/man_example.sh $(BUILD)

completion-check: $(BUILD)/jkstool
	$(Q)bash tests/completion.sh $(BUILD)/jkstool

# Man pages, JSON schemas and shell completion (README "Packaging").
install-docs:
	$(Q)install -d $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/man/man3 \
	  $(DESTDIR)$(PREFIX)/share/jkstool/schemas $(DESTDIR)$(BASH_COMPLETION_DIR) \
	  $(DESTDIR)$(ZSH_COMPLETION_DIR)
	$(Q)install -m 644 $(MAN1) $(DESTDIR)$(PREFIX)/share/man/man1/
	$(Q)install -m 644 $(MAN3) $(DESTDIR)$(PREFIX)/share/man/man3/
	$(Q)install -m 644 schemas/*.schema.json $(DESTDIR)$(PREFIX)/share/jkstool/schemas/
	$(Q)install -m 644 completion/jkstool.bash $(DESTDIR)$(BASH_COMPLETION_DIR)/jkstool
	$(Q)install -m 644 completion/_jkstool $(DESTDIR)$(ZSH_COMPLETION_DIR)/_jkstool

# ---- the Python binding (python/, README "Python binding") ---------------------
# ctypes over libjks.so.2; tests compare it with build/jkstool on every vector.
PYTHON_DIR ?= $(PREFIX)/lib/python3/dist-packages

python-check: all
	$(Q)if ! sh tests/ensure-deps.sh python; then \
	  echo "python-check: SKIP: python3-pytest is missing and could not be installed"; \
	else cd python && JKSTOOL=$(abspath $(BUILD))/jkstool LIBJKS_LIBRARY=$(abspath $(BUILD))/$(SONAME) \
	  /usr/bin/python3 -m pytest -q -p no:cacheprovider tests; fi

python-install:
	$(Q)install -d $(DESTDIR)$(PYTHON_DIR)/libjks/compat
	$(Q)install -m 644 python/libjks/__init__.py $(DESTDIR)$(PYTHON_DIR)/libjks/
	$(Q)install -m 644 python/libjks/compat/*.py $(DESTDIR)$(PYTHON_DIR)/libjks/compat/

demo: deps all
	$(Q)sh tests/demo.sh $(BUILD)/jkstool

vectors:
	$(Q)bash vectors/make-vectors.sh vectors/files

install: all install-docs python-install
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
	rm -rf build build-asan build-tsan build-fuzz
