# Fuzzing for libjks (fuzz/README.md). Called by the top Makefile as
#   make fuzz         a local campaign: AFL++ (ASan+UBSan), one target at a
#                     time on one core, FUZZ_SECONDS per target (default 600);
#                     summary in fuzz/out/summary.txt
#   make fuzz-smoke   every target for FUZZ_SMOKE_SECONDS (default 30) with the
#                     libFuzzer builds; fails on any crash, leak or hang
# Other targets: fuzz-build (both builds), fuzz-lf, fuzz-afl, fuzz-replay
# (standalone ASan replay drivers), fuzz-clean.
# Variables: FUZZ_TARGETS, FUZZ_SECONDS, FUZZ_SMOKE_SECONDS, FUZZ_ENGINE
# (afl or libfuzzer, for `make fuzz`), FUZZ_TIMEOUT_MS (hang limit).

FUZZ_TARGETS       ?= jks jceks javaser pkcs12 pem roundtrip cert bks uber bcfks
FUZZ_SECONDS       ?= 600
FUZZ_SMOKE_SECONDS ?= 30
FUZZ_ENGINE        ?= afl
FUZZ_TIMEOUT_MS    ?= 5000
FB                 ?= build-fuzz
CLANG              ?= clang
AFL_CC             ?= afl-clang-fast

Q := @
ifeq ($(V),1)
Q :=
endif

LIB_DIRS := base model crypto cert jks pkcs12 pem bks ops check
LIB_SRC  := $(sort $(foreach d,$(LIB_DIRS),$(wildcard $(d)/*.c)))
HDRS     := $(wildcard include/*.h include/jks/*.h $(LIB_DIRS:%=%/*.h)) fuzz/fuzz_common.h
FZ_CFLAGS := -std=c11 -D_GNU_SOURCE -Iinclude $(LIB_DIRS:%=-I%) -Ifuzz -g -O1 \
             -fno-omit-frame-pointer -Wall -Wextra -Wno-unused-parameter
SAN      := -fsanitize=address,undefined -fno-sanitize-recover=all
LIBS     := -lssl -lcrypto -ltasn1 -lpthread

LF_OBJ   := $(LIB_SRC:%.c=$(FB)/lf/obj/%.o)
AFL_OBJ  := $(LIB_SRC:%.c=$(FB)/afl/obj/%.o)
RP_OBJ   := $(LIB_SRC:%.c=$(FB)/replay/obj/%.o)
LF_BIN   := $(FUZZ_TARGETS:%=$(FB)/lf/fuzz_%)
AFL_BIN  := $(FUZZ_TARGETS:%=$(FB)/afl/fuzz_%)
RP_BIN   := $(FUZZ_TARGETS:%=$(FB)/replay/fuzz_%)

.PHONY: fuzz fuzz-smoke fuzz-build fuzz-lf fuzz-afl fuzz-replay fuzz-clean

fuzz-build: fuzz-lf fuzz-afl
fuzz-lf: $(LF_BIN)
fuzz-afl: $(AFL_BIN)
fuzz-replay: $(RP_BIN)

# libFuzzer: library instrumented for coverage, harness linked with the runtime.
$(FB)/lf/obj/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(Q)$(CLANG) $(FZ_CFLAGS) $(SAN) -fsanitize=fuzzer-no-link -c -o $@ $<
$(FB)/lf/libjks.a: $(LF_OBJ)
	$(Q)rm -f $@ && ar rcs $@ $^
$(FB)/lf/fuzz_%: fuzz/fuzz_%.c $(FB)/lf/libjks.a $(HDRS)
	@echo "  LIBFUZZER $@"
	$(Q)$(CLANG) $(FZ_CFLAGS) $(SAN) -fsanitize=fuzzer -o $@ $< $(FB)/lf/libjks.a $(LIBS)

# AFL++: afl-clang-fast persistent mode, ASan+UBSan through AFL_USE_*.
$(FB)/afl/obj/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(Q)AFL_QUIET=1 AFL_USE_ASAN=1 AFL_USE_UBSAN=1 $(AFL_CC) $(FZ_CFLAGS) -c -o $@ $<
$(FB)/afl/libjks.a: $(AFL_OBJ)
	$(Q)rm -f $@ && ar rcs $@ $^
$(FB)/afl/fuzz_%: fuzz/fuzz_%.c $(FB)/afl/libjks.a $(HDRS)
	@echo "  AFL       $@"
	$(Q)AFL_QUIET=1 AFL_USE_ASAN=1 AFL_USE_UBSAN=1 $(AFL_CC) $(FZ_CFLAGS) -o $@ $< $(FB)/afl/libjks.a $(LIBS)

# Standalone replay drivers (no fuzzing engine): main() runs each file given.
$(FB)/replay/obj/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(Q)$(CLANG) $(FZ_CFLAGS) $(SAN) -c -o $@ $<
$(FB)/replay/libjks.a: $(RP_OBJ)
	$(Q)rm -f $@ && ar rcs $@ $^
$(FB)/replay/fuzz_%: fuzz/fuzz_%.c $(FB)/replay/libjks.a $(HDRS)
	$(Q)$(CLANG) $(FZ_CFLAGS) $(SAN) -DFUZZ_STANDALONE -o $@ $< $(FB)/replay/libjks.a $(LIBS)

# keep objects between runs (they are intermediates of pattern rules)
.SECONDARY:

# Short bounded run of every target (libFuzzer: its exit status reports
# crashes, leaks and timeouts directly). Seeds are read-only; new inputs go
# to $(FB)/smoke/<target>/corpus, crash artifacts next to it.
fuzz-smoke: $(LF_BIN)
	$(Q)FB=$(FB) FUZZ_TARGETS="$(FUZZ_TARGETS)" FUZZ_SMOKE_SECONDS=$(FUZZ_SMOKE_SECONDS) \
	  bash fuzz/smoke.sh

# Local campaign; one target at a time, on one core.
fuzz: $(if $(filter afl,$(FUZZ_ENGINE)),$(AFL_BIN),$(LF_BIN))
	$(Q)FB=$(FB) FUZZ_TARGETS="$(FUZZ_TARGETS)" FUZZ_SECONDS=$(FUZZ_SECONDS) \
	  FUZZ_ENGINE=$(FUZZ_ENGINE) FUZZ_TIMEOUT_MS=$(FUZZ_TIMEOUT_MS) bash fuzz/campaign.sh

fuzz-clean:
	rm -rf $(FB)
