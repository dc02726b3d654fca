# tools/tools.mk - make rules for the tools behind `tools/freebeam`: their
# Erlang application (tools/erlang: the image builder, `image --app` and
# `--release`, `test-image` and its runner; entered through fb_main) compiled once into the SDK
# ($(SDK)/tools/ebin, docs/sdk.md), with its .app.  Image rules depend on an
# up-to-date builder:
#   $(B)/images/x.img: systems/x.config $(FREEBEAM_TOOLS) ...
#           tools/freebeam image $< -o $@ ...
# Every tool finds the SDK through FREEBEAM_SDK (default: this checkout's
# build/sdk); the build exports it, so that `make B=out` builds and uses out/sdk.
SDK := $(B)/sdk
export FREEBEAM_SDK := $(abspath $(SDK))
FREEBEAM_TOOLS_SRC := $(wildcard tools/erlang/src/*.erl tools/erlang/src/*.hrl) tools/erlang/src/freebeam_tools.app.src
FREEBEAM_TOOLS_MODS := $(shell ls tools/erlang/src/*.erl | sed 's|.*/||; s|\.erl$$||' | paste -sd, -)
SDK_EBIN := $(SDK)/tools/ebin
FREEBEAM_TOOLS := $(SDK_EBIN)/.built tools/freebeam
# The whole SDK made (tools/sdk.mk): a prerequisite of the images that
# `tools/freebeam image --app` makes, which takes erts and drivers from it.
SDK_DONE := $(SDK)/.built

# Into a temporary folder first: a tool run meanwhile never sees a half-written file.
$(SDK_EBIN)/.built: $(FREEBEAM_TOOLS_SRC)
	@mkdir -p $(@D)
	@rm -rf $(@D).tmp && mkdir -p $(@D).tmp
	erlc -I tools/erlang/src -o $(@D).tmp $(filter %.erl,$^)
	sed 's/{modules, \[\]}/{modules, [$(FREEBEAM_TOOLS_MODS)]}/' \
	  tools/erlang/src/freebeam_tools.app.src >$(@D).tmp/freebeam_tools.app
	@mv -f $(@D).tmp/* $(@D)/ && rmdir $(@D).tmp
	@touch $@

.PHONY: tools sdk-tools
tools sdk-tools: $(SDK_EBIN)/.built
all: tools

# `make mix-task`: installs the `mix freebeam.image` task (tools/mix_freebeam,
# docs/elixir.md) as a Mix archive in $MIX_HOME (default ~/.mix), built
# under $(B)/mix_freebeam so the source tree stays clean.
.PHONY: mix-task
mix-task:
	cd tools/mix_freebeam && MIX_ENV=prod MIX_BUILD_PATH=$(abspath $(B))/mix_freebeam/_build \
	  mix do archive.build -o $(abspath $(B))/mix_freebeam/mix_freebeam.ez, \
	  archive.install $(abspath $(B))/mix_freebeam/mix_freebeam.ez --force
