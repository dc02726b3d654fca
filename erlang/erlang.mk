# erlang.mk - the freebeam OTP application (erlang/src, issue 11): its
# modules compiled with the host's erlc (the image's OTP is the host's) into
# build/erlang/freebeam-VSN/ebin with the .app, which beam/mkroot.sh puts
# into every BEAM image's OTP root as /otp/lib/freebeam-VSN.  Its NIF
# (erlang/c_src) is linked into beam.smp by third_party/erlang.mk.
#
#   make freebeam-app   build/erlang/freebeam-VSN/ebin/{*.beam,freebeam.app}

FREEBEAM_APP_SRC := erlang/src/freebeam.app.src
FREEBEAM_APP_VSN := $(shell erlang/app-vsn.sh)
FREEBEAM_APP_DIR := $(B)/erlang/freebeam-$(FREEBEAM_APP_VSN)
FREEBEAM_ERLS := $(wildcard erlang/src/*.erl)
FREEBEAM_BEAMS := $(patsubst erlang/src/%.erl,$(FREEBEAM_APP_DIR)/ebin/%.beam,$(FREEBEAM_ERLS))
FREEBEAM_APP_FILE := $(FREEBEAM_APP_DIR)/ebin/freebeam.app
# The OTP modules freebeam patches (third_party/erlang/otp-patches), compiled
# from the erlang source package that erts is built from (fetched by
# third_party/erlang/build.sh) into FREEBEAM_APP_DIR/otp/APP-VSN/ebin:
# beam/mkroot.sh puts them over OTP's own, and the SDK carries them with
# the application.  They are not part of the application itself.
ERLANG_SRC := $(B)/third_party/erlang-$(shell dpkg-query -W -f='$${Version}' erlang-base 2>/dev/null | sed 's/^[0-9]*://')
FREEBEAM_OTP_STAMP := $(FREEBEAM_APP_DIR)/otp/.built
$(FREEBEAM_OTP_STAMP): third_party/erlang/otp-modules.sh $(wildcard third_party/erlang/otp-patches/*.patch) | $(ERTS_BEAM)
	third_party/erlang/otp-modules.sh $(ERLANG_SRC) $(@D)
	@touch $@
# What an OTP root archive with the application depends on.
FREEBEAM_APP_FILES := $(FREEBEAM_APP_FILE) $(FREEBEAM_BEAMS) $(FREEBEAM_OTP_STAMP)

$(FREEBEAM_APP_DIR)/ebin/%.beam: erlang/src/%.erl
	@mkdir -p $(@D)
	erlc +deterministic -Werror -o $(@D) $<

# The .app: the .app.src as it is, once erlang/check-app.escript agrees that
# its modules are exactly those of erlang/src and its version is the NIF's.
$(FREEBEAM_APP_FILE): $(FREEBEAM_APP_SRC) erlang/check-app.escript erlang/c_src/freebeam_nif.c $(FREEBEAM_ERLS)
	@mkdir -p $(@D)
	escript erlang/check-app.escript $(FREEBEAM_APP_SRC) erlang/c_src/freebeam_nif.c $(FREEBEAM_ERLS)
	cp $(FREEBEAM_APP_SRC) $@

.PHONY: freebeam-app
freebeam-app: $(FREEBEAM_APP_FILES)
